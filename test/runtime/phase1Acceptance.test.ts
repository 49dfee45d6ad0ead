// The plan's Phase 1 acceptance checks, on the real filesystem, plus the partial-artifact and
// corrupt-state rows of its failure-mode table.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { enqueue } from '../../src/enqueue.ts';
import { runPass } from '../../src/runnerPass.ts';
import { runJob } from '../../src/pipeline.ts';
import { readJobState } from '../../src/jobState.ts';
import { deleteJob } from '../../src/deleteJob.ts';
import { withSessionLock } from '../../src/sessionLock.ts';
import { TransientError } from '../../src/errors.ts';
import { SRT, bytes, makeRealWorld, type TestWorld } from '../support/realIo.ts';

let world: TestWorld;
beforeEach(async () => {
  world = await makeRealWorld();
});
afterEach(() => world.cleanup());

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true })) out.push(entry);
  return out.sort();
}

const jobDir = (id: string) => join(world.config.root, 'jobs', id);

describe('Phase 1 acceptance', () => {
  it('leaves no .tmp- file and no lock after a successful pipeline', async () => {
    const id = await enqueue(world.io, world.config, {
      sessionId: 's1',
      inputName: 'talk.srt',
      inputBytes: bytes(SRT),
    });
    const summary = await runPass(world.io, world.config);
    expect(summary.outcomes.complete).toBe(1);
    const tree = await listTree(world.config.root);
    expect(tree.filter((p) => p.includes('.tmp-'))).toEqual([]);
    expect(tree.filter((p) => p.endsWith('.lock'))).toEqual([]);
    expect(tree).toContain(`jobs/${id}/export.html`);
    expect(await readFile(join(world.config.root, 'sessions/s1/transcript.txt'), 'utf8')).toBe(
      'Hello there.\nGeneral Kenobi.\n',
    );
  });

  it('leaves no runner.lock after a failed pipeline and after a deletion', async () => {
    await enqueue(world.io, world.config, { sessionId: 's1', inputName: 'talk.mp3', inputBytes: bytes('ID3') });
    expect((await runPass(world.io, world.config)).outcomes.failed).toBe(1);
    const id = await enqueue(world.io, world.config, {
      sessionId: 's2',
      inputName: 'talk.srt',
      inputBytes: bytes(SRT),
    });
    await deleteJob(world.io, world.config, id);
    await runPass(world.io, world.config);
    const tree = await listTree(world.config.root);
    expect(tree.filter((p) => p.endsWith('.lock') || p.includes('.tmp-'))).toEqual([]);
  });

  it('re-run of a complete job: no byte or mtime changes, state complete/export, skipped logged', async () => {
    const id = await enqueue(world.io, world.config, {
      sessionId: 's1',
      inputName: 'talk.srt',
      inputBytes: bytes(SRT),
    });
    await runPass(world.io, world.config);
    const files = ['state.json', 'transcript.txt', 'draft.md', 'export.html'];
    const before = await Promise.all(
      files.map(async (f) => ({
        f,
        mtimeMs: (await stat(join(jobDir(id), f))).mtimeMs,
        text: await readFile(join(jobDir(id), f), 'utf8'),
      })),
    );
    world.events.length = 0;
    world.clock.advance(5_000);
    const state = (await readJobState(world.io.fs, jobDir(id)))!;
    const locked = await withSessionLock(world.io, world.config, 's1', {}, (lock) =>
      runJob(world.io, world.config, lock, state),
    );
    expect(locked).toEqual({ acquired: true, value: 'unchanged' });
    const after = await Promise.all(
      files.map(async (f) => ({
        f,
        mtimeMs: (await stat(join(jobDir(id), f))).mtimeMs,
        text: await readFile(join(jobDir(id), f), 'utf8'),
      })),
    );
    expect(after).toEqual(before);
    expect(await readJobState(world.io.fs, jobDir(id))).toMatchObject({ status: 'complete', stage: 'export' });
    expect(world.events.filter((e) => e.event === 'stage.skipped').map((e) => e.stage)).toEqual([
      'transcribe',
      'draft',
      'export',
    ]);
  });

  it('failed pipeline: state.json says failed, with the error name, message, kind and stage', async () => {
    const id = await enqueue(world.io, world.config, {
      sessionId: 's1',
      inputName: 'talk.wav',
      inputBytes: bytes('RIFF'),
    });
    await runPass(world.io, world.config);
    expect(await readJobState(world.io.fs, jobDir(id))).toMatchObject({
      status: 'failed',
      stage: 'transcribe',
      attempts: 1,
      error: { name: 'InvalidInputError', kind: 'permanent', message: expect.stringContaining('invalid audio') },
    });
    expect(world.events.find((e) => e.event === 'job.failed')).toMatchObject({ jobId: id, stage: 'transcribe' });
  });

  it('partial artifacts: with a valid transcript and no draft, only draft and export run', async () => {
    const id = await enqueue(world.io, world.config, {
      sessionId: 's1',
      inputName: 'talk.srt',
      inputBytes: bytes(SRT),
    });
    await runPass(world.io, world.config);
    // Rewind the job to "transcribed": remove the later artifacts and queue it again.
    const state = (await readJobState(world.io.fs, jobDir(id)))!;
    await unlink(join(jobDir(id), 'draft.md'));
    await unlink(join(jobDir(id), 'export.html'));
    await writeFile(
      join(jobDir(id), 'state.json'),
      JSON.stringify({
        ...state,
        status: 'running',
        stage: 'draft',
        artifacts: { transcribe: state.artifacts.transcribe },
      }),
    );
    const transcriptMtime = (await stat(join(jobDir(id), 'transcript.txt'))).mtimeMs;
    world.events.length = 0;
    await runPass(world.io, world.config);
    expect(world.events.filter((e) => e.event === 'stage.skipped').map((e) => e.stage)).toEqual(['transcribe']);
    expect(world.events.filter((e) => e.event === 'stage.start').map((e) => e.stage)).toEqual(['draft', 'export']);
    expect((await stat(join(jobDir(id), 'transcript.txt'))).mtimeMs).toBe(transcriptMtime);
  });

  it('the transcript is rerun when the session transcript is missing (consistency guard)', async () => {
    const id = await enqueue(world.io, world.config, {
      sessionId: 's1',
      inputName: 'talk.srt',
      inputBytes: bytes(SRT),
    });
    await runPass(world.io, world.config);
    const state = (await readJobState(world.io.fs, jobDir(id)))!;
    await unlink(join(world.config.root, 'sessions/s1/transcript.txt'));
    await writeFile(join(jobDir(id), 'state.json'), JSON.stringify({ ...state, status: 'queued' }));
    world.events.length = 0;
    await runPass(world.io, world.config);
    expect(world.events.filter((e) => e.event === 'stage.start').map((e) => e.stage)).toEqual(['transcribe']);
    expect(await readFile(join(world.config.root, 'sessions/s1/transcript.txt'), 'utf8')).toBe(
      'Hello there.\nGeneral Kenobi.\n',
    );
  });

  it('a torn artifact (right name, wrong bytes) is not trusted by the skip', async () => {
    const id = await enqueue(world.io, world.config, {
      sessionId: 's1',
      inputName: 'talk.srt',
      inputBytes: bytes(SRT),
    });
    await runPass(world.io, world.config);
    const draft = await readFile(join(jobDir(id), 'draft.md'), 'utf8');
    await writeFile(join(jobDir(id), 'draft.md'), draft.slice(0, 10));
    const state = (await readJobState(world.io.fs, jobDir(id)))!;
    await writeFile(join(jobDir(id), 'state.json'), JSON.stringify({ ...state, status: 'queued' }));
    await runPass(world.io, world.config);
    expect(await readFile(join(jobDir(id), 'draft.md'), 'utf8')).toBe(draft);
  });

  it('a corrupt state.json gives a typed error for that job only; the other jobs run', async () => {
    const bad = await enqueue(world.io, world.config, {
      sessionId: 's1',
      inputName: 'a.txt',
      inputBytes: bytes('one'),
    });
    const good = await enqueue(world.io, world.config, {
      sessionId: 's2',
      inputName: 'b.txt',
      inputBytes: bytes('two'),
    });
    await writeFile(join(jobDir(bad), 'state.json'), '{"version": 1, "status": "runn');
    const summary = await runPass(world.io, world.config);
    expect(summary.unreadable).toEqual([
      { jobId: bad, error: expect.stringMatching(/state\.json is corrupt: not valid JSON/) },
    ]);
    expect(summary.outcomes.complete).toBe(1);
    expect(await readJobState(world.io.fs, jobDir(good))).toMatchObject({ status: 'complete' });
    expect(await readFile(join(jobDir(bad), 'state.json'), 'utf8')).toBe('{"version": 1, "status": "runn');
  });

  it('a transient failure is recorded with attempts and a backoff, and the job completes on a later pass', async () => {
    let failures = 1;
    const io = {
      ...world.io,
      handlers: {
        ...world.io.handlers,
        draft: async (input: Parameters<typeof world.io.handlers.draft>[0]) => {
          if (failures-- > 0) throw new TransientError('upstream 503');
          return world.io.handlers.draft(input);
        },
      },
    };
    const id = await enqueue(io, world.config, { sessionId: 's1', inputName: 'a.txt', inputBytes: bytes('words') });
    await runPass(io, world.config);
    const state = (await readJobState(io.fs, jobDir(id)))!;
    expect(state).toMatchObject({
      status: 'queued',
      stage: 'draft',
      attempts: 1,
      error: { kind: 'transient', message: 'upstream 503' },
    });
    expect(state.nextAttemptAt).toBeGreaterThanOrEqual(world.clock.wallMs);
    expect(state.nextAttemptAt! - world.clock.wallMs).toBeLessThanOrEqual(world.config.backoffBaseMs);
    world.clock.advance(world.config.backoffBaseMs + 1);
    await runPass(io, world.config);
    expect(await readJobState(io.fs, jobDir(id))).toMatchObject({ status: 'complete', attempts: 2, error: null });
  });
});
