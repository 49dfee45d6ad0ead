// Hostile and broken input on the real filesystem: each gets a clear error, the other jobs keep
// working, nothing outside the data root is read or written, nothing is lost.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, symlink, truncate, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { enqueue } from '../../src/enqueue.ts';
import { runPass } from '../../src/runnerPass.ts';
import { readJobState } from '../../src/jobState.ts';
import { checkId } from '../../src/ids.ts';
import { statusReport } from '../../src/statusReport.ts';
import { runCli } from '../support/spawnCli.ts';
import { SRT, bytes, makeRealWorld, stampTree, type TestWorld } from '../support/realIo.ts';

let world: TestWorld;
let outside: string;
beforeEach(async () => {
  world = await makeRealWorld();
  outside = join(world.root, 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), 'do not touch\n');
});
afterEach(() => world.cleanup());

const jobDir = (id: string) => join(world.config.root, 'jobs', id);
const add = (id: string, session = id) =>
  enqueue(world.io, world.config, { jobId: id, sessionId: session, inputName: 'talk.srt', inputBytes: bytes(SRT) });
async function outsideUntouched(): Promise<void> {
  expect(await readdir(outside)).toEqual(['secret.txt']);
  expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('do not touch\n');
}

describe('corrupt state.json', () => {
  const corpus: [string, Uint8Array | string, RegExp][] = [
    ['truncated', '{"version":1,"jobId":"trunc', /not valid JSON/],
    ['empty', '', /empty file/],
    ['binary', new Uint8Array([0xff, 0xfe, 0x00, 0x81, 0x9c]), /not valid UTF-8/],
    ['schema', JSON.stringify({ version: 1, jobId: 'schema', status: 'exploded' }), /schema violation at/],
  ];

  it('each is reported with a typed error naming the file; the good job completes; the bad files stay byte-identical', async () => {
    await add('good');
    for (const [id, content] of corpus) {
      await add(id);
      await writeFile(join(jobDir(id), 'state.json'), content);
    }
    const summary = await runPass(world.io, world.config);
    expect(summary.outcomes.complete).toBe(1);
    for (const [id, content, message] of corpus) {
      expect(summary.unreadable).toContainEqual({ jobId: id, error: expect.stringMatching(message) });
      expect(new Uint8Array(await readFile(join(jobDir(id), 'state.json')))).toEqual(
        typeof content === 'string' ? bytes(content) : content,
      );
    }
    const rows = await statusReport(world.io, world.config);
    expect(rows.find((r) => r.jobId === 'schema')).toMatchObject({
      status: 'unreadable',
      error: { name: 'CorruptFileError' },
    });
    // Purge never removes what it cannot read.
    world.clock.advance(30 * 24 * 3600_000);
    await runPass(world.io, world.config);
    for (const [id] of corpus) expect(await readdir(jobDir(id))).toContain('state.json');
  });

  it('the CLI reports a corrupt job clearly: status exit 0 with the error, retry exit 1 naming the file', async () => {
    await add('bad');
    await writeFile(join(jobDir('bad'), 'state.json'), '{');
    const status = await runCli(['status', '--root', world.config.root, '--job', 'bad', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).jobs[0]).toMatchObject({
      status: 'unreadable',
      error: { message: expect.stringMatching(/state\.json is corrupt/) },
    });
    const retry = await runCli(['retry', '--root', world.config.root, '--job', 'bad']);
    expect(retry.code).toBe(1);
    expect(retry.stderr).toMatch(/state\.json is corrupt: not valid JSON/);
  });
});

describe('hostile ids', () => {
  it.each([
    '..',
    '.',
    'a/b',
    '../../etc',
    'a\0b',
    'x'.repeat(65),
    'jоb' /* Cyrillic о */,
    '',
    ' job',
    'job\n',
    '.tmp-x',
  ])('refuses %j', (id) => {
    expect(() => checkId('job', id)).toThrow(/invalid job id/);
  });

  it('accepts the whole alphabet at the limit', () => {
    expect(checkId('session', `A-z_0${'9'.repeat(59)}`)).toHaveLength(64);
  });
});

describe('symlinks planted in the data root', () => {
  it('a job directory that is a symlink out of the root is reported, never followed', async () => {
    await add('good');
    await mkdir(join(outside, 'fake-job'));
    await writeFile(join(outside, 'fake-job', 'state.json'), 'x');
    await symlink(join(outside, 'fake-job'), jobDir('evil'));
    const summary = await runPass(world.io, world.config);
    expect(summary.unreadable).toEqual([{ jobId: 'evil', error: expect.stringMatching(/is a symlink/) }]);
    expect(summary.outcomes.complete).toBe(1);
    expect(await readdir(join(outside, 'fake-job'))).toEqual(['state.json']);
  });

  it('an artifact replaced by a symlink out of the root is not read: the stage is redone and the symlink replaced', async () => {
    await add('j1');
    await runPass(world.io, world.config);
    const draft = await readFile(join(jobDir('j1'), 'draft.md'), 'utf8');
    await unlink(join(jobDir('j1'), 'draft.md'));
    await symlink(join(outside, 'secret.txt'), join(jobDir('j1'), 'draft.md'));
    const state = (await readJobState(world.io.fs, jobDir('j1')))!;
    await writeFile(join(jobDir('j1'), 'state.json'), JSON.stringify({ ...state, status: 'queued' }));
    await runPass(world.io, world.config);
    expect(await readFile(join(jobDir('j1'), 'draft.md'), 'utf8')).toBe(draft);
    await outsideUntouched();
  });

  it('an input that is a symlink out of the root fails the job permanently, without reading it', async () => {
    await add('j1');
    await unlink(join(jobDir('j1'), 'input.srt'));
    await symlink(join(outside, 'secret.txt'), join(jobDir('j1'), 'input.srt'));
    await runPass(world.io, world.config);
    expect(await readJobState(world.io.fs, jobDir('j1'))).toMatchObject({
      status: 'failed',
      error: { kind: 'permanent', message: expect.stringMatching(/is a symlink/) },
    });
    await outsideUntouched();
  });

  it('delete, retry and export refuse a job directory that is a symlink out of the root, even one with a valid state', async () => {
    // The outside directory looks like a real failed job 'evil' with an export: a command that followed
    // the symlink would tombstone and empty it (delete), rewrite its state (retry) or serve its file.
    await add('real');
    await runPass(world.io, world.config);
    const state = JSON.parse(await readFile(join(jobDir('real'), 'state.json'), 'utf8'));
    await writeFile(join(outside, 'state.json'), JSON.stringify({ ...state, jobId: 'evil', status: 'failed' }));
    await writeFile(join(outside, 'export.html'), '<p>outside</p>');
    await symlink(outside, jobDir('evil'));
    const { deleteJob } = await import('../../src/deleteJob.ts');
    const { retryJob } = await import('../../src/retryJob.ts');
    const { jobsHandler } = await import('../../src/http/jobsHandler.ts');
    const refusal = /evil is a symlink; job directories must be real directories/;
    await expect(deleteJob(world.io, world.config, 'evil')).rejects.toThrow(refusal);
    await expect(retryJob(world.io, world.config, 'evil')).rejects.toThrow(refusal);
    const handle = jobsHandler({ io: world.io, config: world.config, secret: 's' });
    const exported = await handle(
      new Request('http://localhost/api/jobs/evil/export', { headers: { authorization: 'Bearer s' } }),
    );
    expect(exported.status).toBe(500);
    expect(await exported.text()).toMatch(refusal);
    expect((await readdir(outside)).sort()).toEqual(['export.html', 'secret.txt', 'state.json']);
    expect(JSON.parse(await readFile(join(outside, 'state.json'), 'utf8'))).toMatchObject({ status: 'failed' });
  });

  it('a session directory that is a symlink out of the root: no lock or transcript is written through it', async () => {
    await add('j1', 'evil');
    await mkdir(join(world.config.root, 'sessions'), { recursive: true });
    await symlink(outside, join(world.config.root, 'sessions', 'evil'));
    const summary = await runPass(world.io, world.config);
    expect(summary.outcomes.error).toBe(1);
    await outsideUntouched();
    expect((await readJobState(world.io.fs, jobDir('j1')))?.status).toBe('queued');
  });
});

describe('foreign files', () => {
  it('a .tmp- file planted by someone else does not disturb the job, and purge removes it once stale', async () => {
    await add('j1');
    const planted = join(jobDir('j1'), '.tmp-planted');
    await writeFile(planted, 'junk');
    await stampTree(world.root, world.clock.wallMs);
    await runPass(world.io, world.config);
    expect((await readJobState(world.io.fs, jobDir('j1')))?.status).toBe('complete');
    expect(await readdir(jobDir('j1'))).toContain('.tmp-planted');
    const hourAgo = new Date(world.clock.wallMs - 3600_000);
    await utimes(planted, hourAgo, hourAgo);
    const summary = await runPass(world.io, world.config);
    expect(summary.purge?.tmp).toBe(1);
    expect(await readdir(jobDir('j1'))).not.toContain('.tmp-planted');
  });

  it('a huge input is refused by size before it is read (exit 2)', async () => {
    const huge = join(world.root, 'huge.txt');
    await writeFile(huge, '');
    await truncate(huge, 100 * 1024 * 1024);
    const result = await runCli(['enqueue', '--root', world.config.root, '--session', 's1', '--input', huge]);
    expect(result.code).toBe(2);
    // One limit (the handlers'), the one transcribe would apply: refused here, never failed later.
    expect(result.stderr).toMatch(/is 104857600 bytes; the limit is 67108864/);
    // Refused before anything is stored: not even the data root is created.
    await expect(readdir(world.config.root)).rejects.toThrow(/ENOENT/);
  });

  it.each([
    ['latin1.txt', Buffer.from('Caf\xe9 cr\xe8me\n', 'latin1'), /not valid UTF-8 text \(inputs must be UTF-8\)/],
    ['nul.txt', Buffer.from('abc\u0000def\n'), /input is binary \(control character U\+0000 at character 3\)/],
    ['blank.srt', Buffer.from('  \n\n'), /input contains no words/],
    ['empty.vtt', Buffer.alloc(0), /input contains no words/],
    ['song.mp3', Buffer.from('ID3'), /unsupported input type "\.mp3"/],
    ['noext', Buffer.from('words'), /unsupported input type "\."/],
  ])('enqueue refuses %s before storing anything (exit 2, a clear reason)', async (name, content, reason) => {
    const file = join(world.root, name);
    await writeFile(file, content);
    const result = await runCli(['enqueue', '--root', world.config.root, '--session', 's1', '--input', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).toContain(`cannot enqueue ${file}`);
    // Refused before anything is stored: not even the data root is created.
    await expect(readdir(world.config.root)).rejects.toThrow(/ENOENT/);
  });
});
