// Exact answers of the small runtime modules that the end-to-end suites reach only through a child
// process (CLI) or not at all: stage handlers, status rows and table, manual retry, the export
// download header, constant-time comparison. Written against surviving mutants.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { transcribeText, renderDraft, renderExport, extensionOf, defaultHandlers } from '../../src/defaultHandlers.ts';
import { statusReport, renderStatusTable, type JobStatusRow } from '../../src/statusReport.ts';
import { retryJob, JobBusyError, JobNotFailedError } from '../../src/retryJob.ts';
import { enqueue } from '../../src/enqueue.ts';
import { runPass } from '../../src/runnerPass.ts';
import { writeTombstone } from '../../src/tombstone.ts';
import { acquireLock } from '../../src/ownerLock.ts';
import { attachmentDisposition } from '../../src/http/contentDisposition.ts';
import { constantTimeEqual } from '../../src/http/constantTimeEqual.ts';
import { InvalidInputError, UsageError } from '../../src/errors.ts';
import { makeRealWorld, SRT, bytes, type TestWorld } from '../support/realIo.ts';

const enc = (t: string) => new TextEncoder().encode(t);

describe('stage handlers', () => {
  it('transcribe keeps the spoken lines of .srt, .vtt and .txt, cleaned', () => {
    expect(transcribeText('talk.SRT', enc(SRT))).toBe('Hello there.\nGeneral Kenobi.\n');
    const vtt =
      '\uFEFFWEBVTT\n\nNOTE a comment\nspanning lines\n\nSTYLE\n::cue { color: red }\n\n00:01.000 --> 00:02.000\n<v Bob>Hi   <b>you</b></v>\n\n2\n00:03.000 --> 00:04.000\nBye\r\n';
    expect(transcribeText('c.vtt', enc(vtt))).toBe('Hi you\nBye\n');
    expect(transcribeText('n.txt', enc('  one  two \r\n\r\n3\nfour\rfive'))).toBe('one two\n3\nfour\nfive\n');
    // In a .txt every line is speech: numbers and arrows are kept; in captions they are cue furniture.
    expect(transcribeText('n.txt', enc('12\na --> b\n'))).toBe('12\na --> b\n');
    expect(() => transcribeText('c.srt', enc('12\n00:01 --> 00:02\n'))).toThrow(
      new InvalidInputError('invalid input: input contains no words'),
    );
    // Captions are parsed by their grammar: only a cue's payload (after its timing line) is speech.
    expect(() => transcribeText('c.srt', enc('WEBVTT\nhello'))).toThrow(
      new InvalidInputError('invalid input: input contains no words'),
    );
    expect(
      transcribeText(
        'c.vtt',
        enc('WEBVTT - Title\n\n00:01.000 --> 00:02.000\nsay WEBVTT\nmy NOTE stays\n42 apples\n7\n'),
      ),
    ).toBe('say WEBVTT\nmy NOTE stays\n42 apples\n7\n');
    // A cue whose spoken text is only a number keeps it (SRT counters are not text).
    const numbers = '1\n00:00:01,000 --> 00:00:02,000\n42\n\n2\n00:00:03,000 --> 00:00:04,000\n2024\nwas the year\n';
    expect(transcribeText('n.srt', enc(numbers))).toBe('42\n2024\nwas the year\n');
    // WebVTT cue identifiers are not spoken text.
    const ids = 'WEBVTT\n\nintro\n00:00.000 --> 00:01.000\nWelcome\n\nchapter-1\n00:01.000 --> 00:02.000\nFirst part\n';
    expect(transcribeText('c.vtt', enc(ids))).toBe('Welcome\nFirst part\n');
    // A byte-order mark is dropped at the start only; elsewhere it is whitespace like any other.
    expect(transcribeText('n.txt', enc('a\uFEFFb'))).toBe('a b\n');
    // A byte-order mark, a cue number with trailing blanks and spoken text ending in digits.
    expect(transcribeText('c.srt', enc('\uFEFF1 \r\n00:00:01,000 --> 00:00:02,000\r\nCall 911\r\n'))).toBe(
      'Call 911\n',
    );
  });

  it('transcribe refuses other types, non-UTF-8 and empty input, as permanent invalid input', () => {
    expect(() => transcribeText('song.mp3', enc('ID3'))).toThrow(
      new InvalidInputError('invalid audio: unsupported input type ".mp3" (expected .txt, .srt or .vtt)'),
    );
    expect(() => transcribeText('noext', enc('x'))).toThrow('unsupported input type "."');
    expect(() => transcribeText('a.txt', new Uint8Array([0xff, 0xfe]))).toThrow(
      new InvalidInputError('invalid input: input is not valid UTF-8 text (inputs must be UTF-8)'),
    );
    expect(() => transcribeText('a.txt', enc('ok\u0007bell'))).toThrow(
      new InvalidInputError('invalid input: input is binary (control character U+0007 at character 2)'),
    );
    // A BOM is not text, CRLF is a line break, a tab or form feed is white space.
    expect(transcribeText('a.txt', enc('\uFEFFone\r\ntwo\f\tthree\r\n'))).toBe('one\ntwo three\n');
    expect(() => transcribeText('a.txt', enc(' \n\t\n'))).toThrow(
      new InvalidInputError('invalid input: input contains no words'),
    );
    expect(extensionOf('a.b.TXT')).toBe('txt');
    expect(extensionOf('none')).toBe('');
  });

  it('draft: a title, a word count, paragraphs of four lines', () => {
    const transcript = 'l1\nl2\nl3\nl4\nl5 has   three words\n';
    expect(renderDraft('s1', 'j1', transcript)).toBe(
      '# Draft: session s1\n\n_Job j1 · 8 words_\n\nl1 l2 l3 l4\n\nl5 has   three words\n\n',
    );
    expect(renderDraft('s', 'j', 'one two three')).toContain('_Job j · 3 words_');
    expect(renderDraft('s', 'j', 'a\tb  c\nd\ne\nf\n')).toBe(
      '# Draft: session s\n\n_Job j · 6 words_\n\na\tb  c d e f\n\n',
    );
  });

  it('export: a standalone, escaped HTML document', () => {
    const html = renderExport(
      's<1>',
      'j&1',
      '# Draft: "x"\n\n_Job j · 2 words_\n\n<script>alert(\'x\')</script> & more\n',
    );
    expect(html).toBe(
      [
        '<!doctype html>',
        '<html lang="en">',
        '<meta charset="utf-8">',
        '<title>Session s&lt;1&gt; (job j&amp;1)</title>',
        '<body>',
        '<h1>Draft: &quot;x&quot;</h1>',
        '<p><em>Job j · 2 words</em></p>',
        '<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more</p>',
        '</body>',
        '</html>',
        '',
      ].join('\n'),
    );
  });

  it('export: the title and byline are markup by position; spoken text never is, whatever it starts with', () => {
    expect(renderExport('s', 'j', '# T\n\n_both_\n\n_left only\n\nright only_\n\n_spoken_\n\n# spoken\n')).toContain(
      '<h1>T</h1>\n<p><em>both</em></p>\n<p>_left only</p>\n<p>right only_</p>\n<p>_spoken_</p>\n<p># spoken</p>',
    );
    const draft = renderDraft('s', 'j', '# not a heading\n');
    expect(draft).toContain('\n\\# not a heading\n');
    expect(renderExport('s', 'j', draft)).toContain('<p># not a heading</p>');
    expect(renderExport('s', 'j', draft).match(/<h1>/g)).toHaveLength(1);
  });

  it('transcribe refuses an input over 64 MiB by its size alone', () => {
    const big = { length: 64 * 1024 * 1024 + 1 } as Uint8Array;
    expect(() => transcribeText('a.txt', big)).toThrow(
      new InvalidInputError(`invalid input: input is ${64 * 1024 * 1024 + 1} bytes, over ${64 * 1024 * 1024}`),
    );
    expect(transcribeText('a.txt', new Uint8Array(64 * 1024 * 1024).fill(97))).toHaveLength(64 * 1024 * 1024 + 1);
  });

  it('the default handlers are those functions', async () => {
    expect(
      await defaultHandlers.transcribe({
        jobId: 'j',
        sessionId: 's',
        inputName: 'a.txt',
        inputBytes: enc('hi'),
      } as never),
    ).toBe('hi\n');
    expect(await defaultHandlers.draft({ jobId: 'j', sessionId: 's', transcript: 'hi\n' } as never)).toBe(
      renderDraft('s', 'j', 'hi\n'),
    );
    expect(await defaultHandlers.export({ jobId: 'j', sessionId: 's', draft: '# T\n' } as never)).toBe(
      renderExport('s', 'j', '# T\n'),
    );
  });
});

describe('export download header and secret comparison', () => {
  it('RFC 6266 with an ASCII fallback and an RFC 5987 UTF-8 name', () => {
    expect(attachmentDisposition('export.html')).toBe(
      'attachment; filename="export.html"; filename*=UTF-8\'\'export.html',
    );
    expect(attachmentDisposition('..Ünïcode (draft)*.html')).toBe(
      'attachment; filename="__n_code__draft__.html"; filename*=UTF-8\'\'..%C3%9Cn%C3%AFcode%20%28draft%29%2A.html',
    );
    expect(attachmentDisposition('résumé "final".html')).toBe(
      `attachment; filename="r_sum___final_.html"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.html`,
    );
    expect(attachmentDisposition('../../etc')).toBe(`attachment; filename="__.._etc"; filename*=UTF-8''..%2F..%2Fetc`);
    expect(attachmentDisposition('')).toBe('attachment; filename="download"; filename*=UTF-8\'\'');
    expect(attachmentDisposition('x'.repeat(200))).toContain(`filename="${'x'.repeat(120)}"`);
  });

  it('equal only for equal, non-empty strings', () => {
    expect(constantTimeEqual('secret', 'secret')).toBe(true);
    expect(constantTimeEqual('secreT', 'secret')).toBe(false);
    expect(constantTimeEqual('secret!', 'secret')).toBe(false);
    expect(constantTimeEqual('secre', 'secret')).toBe(false);
    expect(constantTimeEqual('', 'secret')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(false);
    expect(constantTimeEqual('a', 'aa')).toBe(false);
  });
});

describe('status and retry', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await makeRealWorld();
  });
  afterEach(() => world.cleanup());

  it('status rows: complete, failed with its error, deleting, enqueuing, unreadable; and the table', async () => {
    const { io, config } = world;
    const { done, failed, deleting } = await jobsOfEveryStatus(world);
    const rows = await statusReport(io, config);
    expect(rows).toEqual([
      {
        jobId: done,
        sessionId: 's1',
        status: 'complete',
        stage: 'export',
        attempts: 1,
        nextAttemptAt: null,
        error: null,
      },
      {
        jobId: failed,
        sessionId: 's2',
        status: 'failed',
        stage: 'transcribe',
        attempts: 1,
        nextAttemptAt: null,
        error: {
          name: 'InvalidInputError',
          message: 'invalid audio: unsupported input type ".mp3" (expected .txt, .srt or .vtt)',
          kind: 'permanent',
        },
      },
      {
        jobId: deleting,
        sessionId: 's3',
        status: 'deleting',
        stage: 'init',
        attempts: 0,
        nextAttemptAt: null,
        error: null,
      },
      {
        jobId: 'd-enqueuing',
        sessionId: null,
        status: 'enqueuing',
        stage: null,
        attempts: null,
        nextAttemptAt: null,
        error: null,
      },
      {
        jobId: 'e-unreadable',
        sessionId: null,
        status: 'unreadable',
        stage: null,
        attempts: null,
        nextAttemptAt: null,
        error: { name: 'CorruptFileError', message: expect.stringContaining('state.json is corrupt: not valid JSON') },
      },
    ]);
    expect(await statusReport(io, config, failed)).toEqual([rows[1]]);
    await expect(statusReport(io, config, 'nope')).rejects.toThrow(new UsageError('unknown job nope'));
  });

  it('the status table: aligned columns two spaces apart, UTC times, the error last', () => {
    const complete: JobStatusRow = {
      jobId: 'done',
      sessionId: 's1',
      status: 'complete',
      stage: 'export',
      attempts: 1,
      nextAttemptAt: null,
      error: null,
    };
    const failedRow: JobStatusRow = {
      ...complete,
      jobId: 'failed',
      sessionId: 's2',
      status: 'failed',
      stage: 'transcribe',
      error: {
        name: 'InvalidInputError',
        message: 'invalid audio: unsupported input type ".mp3" (expected .txt, .srt or .vtt)',
        kind: 'permanent',
      },
    };
    const enqueuing: JobStatusRow = {
      jobId: 'd-enqueuing',
      sessionId: null,
      status: 'enqueuing',
      stage: null,
      attempts: null,
      nextAttemptAt: null,
      error: null,
    };
    const rows = [complete, failedRow, enqueuing];
    const table = renderStatusTable([rows[0]!, rows[1]!, rows[2]!]);
    expect(table).toBe(
      [
        'job          session  status     stage       attempts  next attempt  error',
        'done         s1       complete   export      1         -',
        'failed       s2       failed     transcribe  1         -             InvalidInputError: invalid audio: unsupported input type ".mp3" (expected .txt, .srt or .vtt)',
        'd-enqueuing  -        enqueuing  -           -         -',
        '',
      ].join('\n'),
    );
    const waiting = renderStatusTable([
      { ...rows[0]!, jobId: 'w', status: 'queued', nextAttemptAt: Date.UTC(2026, 10, 29, 10, 5, 0) },
    ]);
    expect(waiting.split('\n')[1]).toBe('w    s1       queued  export  1         2026-11-29T10:05:00Z');
    const orphan = renderStatusTable([{ ...rows[0]!, jobId: 'r', status: 'running', runner: 'gone' }]);
    expect(orphan.split('\n')[1]).toMatch(/^r +s1 +running \(runner gone; the next pass resumes it\) +export/);
    expect(renderStatusTable([])).toBe('no jobs\n');
  });

  it('status says whether a running job still has a live runner: gone once its runner died', async () => {
    const { io, config } = world;
    const jobId = await enqueue(io, config, {
      jobId: 'r',
      sessionId: 's1',
      inputName: 'talk.srt',
      inputBytes: bytes(SRT),
    });
    const statePath = join(config.root, 'jobs', jobId, 'state.json');
    await writeFile(
      statePath,
      JSON.stringify({
        ...JSON.parse(await readFile(statePath, 'utf8')),
        status: 'running',
        stage: 'transcribe',
        attempts: 1,
      }),
    );
    expect((await statusReport(io, config, jobId))[0]).toMatchObject({ status: 'running', runner: 'gone' });
    await mkdir(join(config.root, 'sessions', 's1'), { recursive: true });
    const held = await acquireLock(world.withPid(7), {
      name: 'session',
      path: join(config.root, 'sessions', 's1', 'session.lock'),
      staleAfterMs: config.staleAfterMs,
      heartbeatEveryMs: config.heartbeatEveryMs,
    });
    expect(held.acquired).toBe(true);
    expect((await statusReport(io, config, jobId))[0]).toMatchObject({ status: 'running', runner: 'alive' });
    world.dead.add(7); // SIGKILLed: its lock file stays, its pid is dead
    expect((await statusReport(io, config, jobId))[0]).toMatchObject({ status: 'running', runner: 'gone' });
  });

  it('retry: only a failed job, requeued from its stage with a fresh attempt count; busy and unknown are errors', async () => {
    const { io, config } = world;
    const failed = await enqueue(io, config, {
      jobId: 'f',
      sessionId: 's2',
      inputName: 'song.mp3',
      inputBytes: bytes('ID3'),
    });
    const done = await enqueue(io, config, {
      jobId: 'g',
      sessionId: 's1',
      inputName: 'talk.srt',
      inputBytes: bytes(SRT),
    });
    await runPass(io, config);
    await expect(retryJob(io, config, done)).rejects.toThrow(
      new JobNotFailedError('job g is complete, not failed; only a failed job can be retried'),
    );
    await expect(retryJob(io, config, done)).rejects.toBeInstanceOf(UsageError); // the CLI's exit 2
    await expect(retryJob(io, config, 'missing')).rejects.toThrow(new UsageError('unknown job missing'));
    const holder = await acquireLock(world.withPid(5), {
      name: 'session',
      path: join(config.root, 'sessions', 's2', 'session.lock'),
      staleAfterMs: config.staleAfterMs,
      heartbeatEveryMs: config.heartbeatEveryMs,
    });
    const busy = await retryJob(io, config, failed).catch((e: unknown) => e);
    expect(busy).toEqual(new JobBusyError('job f: session s2 is locked by pid 5; try again'));
    expect(busy).toMatchObject({ name: 'JobBusyError' });
    if (holder.acquired) await holder.lock.release();
    world.clock.advance(1_000);
    await retryJob(io, config, failed);
    const [row] = await statusReport(io, config, failed);
    expect(row).toEqual({
      jobId: 'f',
      sessionId: 's2',
      status: 'queued',
      stage: 'transcribe',
      attempts: 0,
      nextAttemptAt: null,
      error: null,
    });
    expect(world.events.filter((e) => e.event === 'job.requeued')).toEqual([
      { event: 'job.requeued', jobId: 'f', sessionId: 's2', stage: 'transcribe', pid: 1000 },
    ]);
  });
});

/** A data root with a complete, a failed, a deleting, an enqueuing and an unreadable job. */
async function jobsOfEveryStatus(world: TestWorld): Promise<{ done: string; failed: string; deleting: string }> {
  const { io, config } = world;
  const done = await enqueue(io, config, {
    jobId: 'a-done',
    sessionId: 's1',
    inputName: 'talk.srt',
    inputBytes: bytes(SRT),
  });
  const failed = await enqueue(io, config, {
    jobId: 'b-failed',
    sessionId: 's2',
    inputName: 'song.mp3',
    inputBytes: bytes('ID3'),
  });
  await runPass(io, config);
  const deleting = await enqueue(io, config, {
    jobId: 'c-deleting',
    sessionId: 's3',
    inputName: 'talk.srt',
    inputBytes: bytes(SRT),
  });
  await writeTombstone(io, join(config.root, 'jobs', deleting));
  await mkdir(join(config.root, 'jobs', 'd-enqueuing'));
  await mkdir(join(config.root, 'jobs', 'e-unreadable'));
  await writeFile(join(config.root, 'jobs', 'e-unreadable', 'state.json'), '{');
  return { done, failed, deleting };
}
