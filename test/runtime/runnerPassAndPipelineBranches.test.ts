// The runner pass and the pipeline's rarer branches, in-process on the real filesystem: what changed
// between listing and lock (deleted, finished, not yet due, unreadable, gone), a busy session, the
// deadline and the per-pass bound, listing order, concurrency, damaged or missing outputs, symlinks
// and unreadable files, failures while recording a failure, exhausted attempts. Each test asserts
// the outcome counts and events, written against surviving mutants of runnerPass.ts and pipeline.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { enqueue } from '../../src/enqueue.ts';
import { emptySummary, runDueJobs, runPass } from '../../src/runnerPass.ts';
import { runJob } from '../../src/pipeline.ts';
import { acquireLock, type HeldLock } from '../../src/ownerLock.ts';
import { withSessionLock } from '../../src/sessionLock.ts';
import { renderJobState, jobStateSchema, type JobState } from '../../src/jobState.ts';
import { writeTombstone } from '../../src/tombstone.ts';
import { nodeFileSystem } from '../../src/adapters/nodeFileSystem.ts';
import type { Io } from '../../src/ports/io.ts';
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import type { StageHandlers } from '../../src/ports/stageHandlers.ts';
import { defaultHandlers } from '../../src/defaultHandlers.ts';
import { makeRealWorld, SRT, bytes, type TestWorld } from '../support/realIo.ts';
import { errno, recordingFs } from '../support/recordingFs.ts';
import { defaultPolicy } from '../../src/defaultPolicy.ts';
import { inWorld } from '../support/simIo.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';

let world: TestWorld;
beforeEach(async () => {
  world = await makeRealWorld({ ttlMs: 30 * 24 * 3600_000 });
});
afterEach(() => world.cleanup());

const jobDir = (id: string) => join(world.config.root, 'jobs', id);
const stateOf = async (id: string): Promise<JobState> =>
  jobStateSchema.parse(JSON.parse(await readFile(join(jobDir(id), 'state.json'), 'utf8')));
const setState = async (id: string, change: Partial<JobState>) =>
  writeFile(join(jobDir(id), 'state.json'), renderJobState({ ...(await stateOf(id)), ...change }));
const named = (event: string) => world.events.filter((e) => e.event === event);
/** The real disk, but the `failAt`-th rename onto a state.json (0: the first) fails with EIO. */
const failingStateWrite = (failAt: number): FileSystem => {
  let stateWrites = 0;
  return recordingFs(nodeFileSystem, {
    fail: (call) =>
      call.op === 'rename' && call.to?.endsWith('state.json') && stateWrites++ === failAt
        ? errno('EIO', 'rename')
        : undefined,
  }).fs;
};
const add = (id: string, sessionId: string, input = 'talk.srt', text = SRT) =>
  enqueue(world.io, world.config, { jobId: id, sessionId, inputName: input, inputBytes: bytes(text) });

describe('runner pass: listing and bounds', () => {
  it('a pass that finds runner.lock held is busy and does nothing', async () => {
    await add('a', 's1');
    await mkdir(world.config.root, { recursive: true });
    const other = await acquireLock(world.withPid(7), {
      name: 'runner',
      path: join(world.config.root, 'runner.lock'),
      staleAfterMs: 60_000,
      heartbeatEveryMs: 10_000,
    });
    expect(other.acquired).toBe(true);
    world.events.length = 0;
    expect(await runPass(world.io, world.config)).toEqual({
      busy: true,
      jobsSeen: 0,
      ran: 0,
      outcomes: {
        complete: 0,
        unchanged: 0,
        failed: 0,
        retry_scheduled: 0,
        aborted: 0,
        deleted: 0,
        deferred: 0,
        error: 0,
      },
      unreadable: [],
      deadlineReached: false,
      purge: null,
    });
    expect(world.events).toEqual([
      { event: 'lock.busy', lock: 'runner', holderPid: 7, holderHost: 'test-host', pid: 1000 },
    ]);
    expect((await stateOf('a')).status).toBe('queued');
  });

  it('pass.done reports what ran; runDueJobs alone starts a fresh, not-busy summary', async () => {
    await add('a', 's1');
    const summary = await runPass(world.io, world.config);
    expect(named('pass.done')).toEqual([
      { event: 'pass.done', ran: 1, outcomes: summary.outcomes, deadlineReached: false, pid: 1000 },
    ]);
    const alone = await runDueJobs(world.io, world.config);
    expect(alone).toMatchObject({ busy: false, jobsSeen: 1, ran: 0, deadlineReached: false });
  });

  it('skips jobs that are not due, enqueuing or already deleted; reports unreadable ones', async () => {
    await add('done', 's1');
    await runPass(world.io, world.config);
    await add('later', 's2');
    await setState('later', { nextAttemptAt: world.clock.wallMs + 30_000 });
    await add('gone', 's3');
    await writeTombstone(world.io, jobDir('gone'));
    await setState('gone', { status: 'deleted' });
    await mkdir(jobDir('enqueuing'));
    await mkdir(jobDir('broken'));
    await writeFile(join(jobDir('broken'), 'state.json'), '{');
    world.events.length = 0;
    const summary = await runDueJobs(world.io, world.config);
    expect(summary.jobsSeen).toBe(5);
    expect(summary.ran).toBe(0);
    expect(Object.values(summary.outcomes).reduce((a, b) => a + b, 0)).toBe(0);
    expect(summary.unreadable).toEqual([
      { jobId: 'broken', error: expect.stringContaining('state.json is corrupt: not valid JSON') },
    ]);
    expect(named('job.unreadable')).toEqual([
      { event: 'job.unreadable', jobId: 'broken', error: summary.unreadable[0]!.error, pid: 1000 },
    ]);
  });

  it('runs due jobs oldest first, ties by job id, at most maxJobsPerPass of them', async () => {
    for (const id of ['c', 'a', 'b']) await add(id, `s-${id}`);
    const summary = await runDueJobs(world.io, { ...world.config, maxJobsPerPass: 2 });
    expect(summary.ran).toBe(2);
    expect(named('job.started').map((e) => e.jobId)).toEqual(['a', 'b']);
    expect((await stateOf('c')).status).toBe('queued');
  });

  it('stops taking jobs at the deadline, counted from the pass start', async () => {
    await add('a', 's1');
    const summary = await runDueJobs(world.io, world.config, emptySummary(false), {
      startedMs: world.clock.monoMs - world.config.passDeadlineMs,
    });
    expect(summary).toMatchObject({ deadlineReached: true, ran: 0 });
    const fresh = await runDueJobs(world.io, world.config, emptySummary(false), {
      startedMs: world.clock.monoMs - world.config.passDeadlineMs + 1,
    });
    expect(fresh).toMatchObject({ deadlineReached: false, ran: 1 });
  });

  it('a busy session is deferred, and its later jobs are not tried in this pass', async () => {
    await add('a1', 's1');
    world.clock.advance(1);
    await add('a2', 's1');
    await add('b1', 's2');
    const summary = await withSessionLock(world.withPid(9), world.config, 's1', {}, () =>
      runDueJobs(world.io, world.config),
    );
    expect(summary.acquired && summary.value).toMatchObject({ ran: 1, outcomes: { deferred: 1, complete: 1 } });
    expect(named('lock.busy').map((e) => e.jobId)).toEqual(['a1']);
  });

  it('with --concurrency 2, two sessions run side by side', async () => {
    // In the simulated world: job a's transcribe waits for job b's to start, or gives up after 2 s of
    // simulated time, which passes only once every process is idle (a single worker would be).
    const { value } = await inWorld(async (io) => {
      const config = simConfig({ concurrency: 2 });
      for (const id of ['a', 'b'])
        await enqueue(io, config, { jobId: id, sessionId: `s-${id}`, inputName: 'talk.srt', inputBytes: bytes(SRT) });
      let release: () => void = () => undefined;
      const bStarted = new Promise<void>((resolve) => {
        release = resolve;
      });
      let sawOther: boolean | undefined;
      const handlers: StageHandlers = {
        ...defaultHandlers,
        transcribe: async (input) => {
          if (input.jobId === 'b') release();
          else sawOther = await Promise.race([bStarted.then(() => true), io.clock.sleep(2_000).then(() => false)]);
          return defaultHandlers.transcribe(input);
        },
      };
      const summary = await runDueJobs({ ...io, handlers }, config);
      return { complete: summary.outcomes.complete, sawOther };
    });
    expect(value).toEqual({ complete: 2, sawOther: true });
  });
});

describe('runner pass: what changed between listing and the session lock', () => {
  const changeBeforeEachJob = async (change: () => Promise<void>) => {
    let done = false;
    return runDueJobs(world.io, world.config, emptySummary(false), {
      beforeEachJob: async () => {
        if (!done) {
          done = true;
          await change();
        }
      },
    });
  };

  it('a job that was finished, is no longer due, or vanished is left unchanged', async () => {
    for (const [id, change] of [
      ['finished', () => setState('finished', { status: 'complete' })],
      ['not-due', () => setState('not-due', { nextAttemptAt: world.clock.wallMs + 60_000 })],
      ['vanished', () => rm(jobDir('vanished'), { recursive: true })],
      [
        'deleted',
        async () => {
          await writeTombstone(world.io, jobDir('deleted'));
          await setState('deleted', { status: 'deleted' });
        },
      ],
    ] as const) {
      await add(id, `s-${id}`);
      const summary = await changeBeforeEachJob(change);
      expect(summary.outcomes, id).toMatchObject({ unchanged: 1, complete: 0 });
      expect(summary.ran, id).toBe(1);
      await rm(jobDir(id), { recursive: true, force: true });
    }
  });

  it('a job deleted meanwhile is finished as deleted and logged; an unreadable one is an error', async () => {
    await add('d', 's1');
    const deleted = await changeBeforeEachJob(() => writeTombstone(world.io, jobDir('d')));
    expect(deleted.outcomes.deleted).toBe(1);
    expect(named('job.aborted')).toEqual([
      { event: 'job.aborted', jobId: 'd', sessionId: 's1', stage: 'init', reason: 'deleted', pid: 1000 },
    ]);
    expect((await stateOf('d')).status).toBe('deleted');
    await add('u', 's2');
    const broken = await changeBeforeEachJob(() => writeFile(join(jobDir('u'), 'state.json'), '{'));
    expect(broken.outcomes.error).toBe(1);
    expect(named('job.unreadable').at(-1)).toEqual({
      event: 'job.unreadable',
      jobId: 'u',
      sessionId: 's2',
      error: expect.stringContaining('not valid JSON'),
      pid: 1000,
    });
  });

  it('listing and the lock both ask isDue: a job due at listing but not under the lock is unchanged', async () => {
    await add('a', 's1');
    // Due while listing; not due once the session lock is held (a retry time written in between).
    const askedWhen = new Set<string>();
    const underLock = () => named('lock.acquired').length > 0;
    const io: Io = {
      ...world.io,
      policy: {
        ...defaultPolicy,
        isDue: () => {
          askedWhen.add(underLock() ? 'under the lock' : 'listing');
          return !underLock();
        },
      },
    };
    const summary = await runDueJobs(io, world.config);
    expect(askedWhen).toEqual(new Set(['listing', 'under the lock']));
    expect(summary).toMatchObject({ ran: 1, outcomes: { unchanged: 1, complete: 0 } });
    expect(named('stage.start')).toEqual([]);
    expect((await stateOf('a')).status).toBe('queued');
  });
});

describe('pipeline branches', () => {
  const withLock = async <T>(
    sessionId: string,
    work: (lock: HeldLock) => Promise<T>,
    io: Io = world.io,
  ): Promise<T> => {
    const locked = await withSessionLock(io, world.config, sessionId, {}, work);
    if (!locked.acquired) throw new Error('lock');
    return locked.value;
  };

  it('a complete job whose output is missing, damaged, replaced by a symlink, or whose session transcript is empty or gone, is redone', async () => {
    await add('a', 's1');
    await runPass(world.io, world.config);
    const outside = join(world.root, 'outside.md');
    await writeFile(outside, 'not ours');
    const damages: [string, () => Promise<void>, string][] = [
      ['missing draft', () => unlink(join(jobDir('a'), 'draft.md')), 'draft'],
      ['damaged export', () => writeFile(join(jobDir('a'), 'export.html'), 'torn'), 'export'],
      [
        'same-size damage to the export',
        async () => {
          const bytesNow = await readFile(join(jobDir('a'), 'export.html'));
          bytesNow[bytesNow.length - 2] = bytesNow[bytesNow.length - 2]! ^ 1;
          await writeFile(join(jobDir('a'), 'export.html'), bytesNow);
        },
        'export',
      ],
      [
        'symlinked draft',
        async () => {
          await unlink(join(jobDir('a'), 'draft.md'));
          await symlink(outside, join(jobDir('a'), 'draft.md'));
        },
        'draft',
      ],
      [
        'empty session transcript',
        () => writeFile(join(world.config.root, 'sessions', 's1', 'transcript.txt'), ''),
        'transcribe',
      ],
      [
        'no session transcript',
        () => unlink(join(world.config.root, 'sessions', 's1', 'transcript.txt')),
        'transcribe',
      ],
    ];
    for (const [label, damage, redone] of damages) {
      await damage();
      world.events.length = 0;
      const outcome = await withLock('s1', async (lock) => runJob(world.io, world.config, lock, await stateOf('a')));
      expect(outcome, label).toBe('complete');
      expect(
        named('stage.start').map((e) => e.stage),
        label,
      ).toEqual([redone]);
    }
    expect(await readFile(outside, 'utf8')).toBe('not ours');
    world.events.length = 0;
    expect(await withLock('s1', async (lock) => runJob(world.io, world.config, lock, await stateOf('a')))).toBe(
      'unchanged',
    );
    expect(named('stage.skipped').map((e) => [e.stage, e.reason])).toEqual([
      ['transcribe', 'output valid'],
      ['draft', 'output valid'],
      ['export', 'output valid'],
    ]);
    // A complete state that lacks an artifact record (hand-edited) is not "unchanged": the stage runs.
    const done = await stateOf('a');
    const { export: _export, ...rest } = done.artifacts;
    await setState('a', { artifacts: rest });
    world.events.length = 0;
    expect(await withLock('s1', async (lock) => runJob(world.io, world.config, lock, await stateOf('a')))).toBe(
      'complete',
    );
    expect(named('stage.start').map((e) => e.stage)).toEqual(['export']);
    expect(named('stage.skipped').map((e) => [e.stage, e.reason])).toEqual([
      ['transcribe', 'output valid'],
      ['draft', 'output valid'],
    ]);
  });

  it('a running job without an artifact record for a stage runs that stage', async () => {
    await add('a', 's1');
    await runPass(world.io, world.config);
    const done = await stateOf('a');
    const { draft: _draft, ...withoutDraft } = done.artifacts;
    await setState('a', { status: 'running', stage: 'draft', artifacts: withoutDraft });
    world.events.length = 0;
    expect(await withLock('s1', async (lock) => runJob(world.io, world.config, lock, await stateOf('a')))).toBe(
      'complete',
    );
    expect(named('stage.start').map((e) => e.stage)).toEqual(['draft']);
  });

  it('runJob on a failed job is a bug: it fails the job at once with the AssertionError recorded, and runs nothing', async () => {
    await add('a', 's1', 'song.mp3', 'ID3');
    await runPass(world.io, world.config);
    const failed = await stateOf('a');
    world.events.length = 0;
    const outcome = await withLock('s1', (lock) => runJob(world.io, world.config, lock, failed));
    expect(outcome).toBe('failed');
    expect(named('stage.start')).toEqual([]);
    expect((await stateOf('a')).error).toMatchObject({
      name: 'AssertionError',
      kind: 'permanent',
      message: 'runJob called on a failed job',
    });
  });

  it('an attempt interrupted maxAttempts times fails as exhausted, naming the stage', async () => {
    await add('a', 's1');
    await setState('a', { status: 'running', stage: 'draft', attempts: world.config.maxAttempts });
    const outcome = await withLock('s1', async (lock) => runJob(world.io, world.config, lock, await stateOf('a')));
    expect(outcome).toBe('failed');
    expect((await stateOf('a')).error).toEqual({
      name: 'AttemptsExhausted',
      kind: 'transient',
      stage: 'draft',
      message: `attempts exhausted after ${world.config.maxAttempts} attempts; last error: attempt ${world.config.maxAttempts} was interrupted during draft (the runner stopped)`,
    });
  });

  it('a permanent failure on the last attempt keeps its own name (exhaustion is for transient errors)', async () => {
    await add('a', 's1', 'song.mp3', 'ID3');
    await setState('a', { attempts: world.config.maxAttempts - 1 });
    expect(await withLock('s1', async (lock) => runJob(world.io, world.config, lock, await stateOf('a')))).toBe(
      'failed',
    );
    expect((await stateOf('a')).error).toMatchObject({ name: 'InvalidInputError', kind: 'permanent' });
    expect((await stateOf('a')).attempts).toBe(world.config.maxAttempts);
  });

  it('a lock lost mid-job aborts it; a tombstone found at start deletes it; both are logged with the reason', async () => {
    await add('a', 's1');
    const lost = await withLock('s1', async (lock) => {
      world.dead.add(1000);
      const taker = await acquireLock(world.withPid(2), lock.options);
      world.dead.delete(1000);
      if (!taker.acquired) throw new Error('takeover');
      const outcome = await runJob(world.io, world.config, lock, await stateOf('a'));
      await taker.lock.release();
      return outcome;
    });
    expect(lost).toBe('aborted');
    // The first commit's tmp file cannot even be opened: the taker renamed the work directory away.
    expect(named('job.aborted')[0]).toMatchObject({
      jobId: 'a',
      reason: 'lock lost',
      error: expect.stringMatching(/^open .*\.tmp-work-[0-9a-f]+\/\.tmp-[0-9a-f]+ failed: ENOENT$/),
    });
    await writeTombstone(world.io, jobDir('a'));
    expect(await withLock('s1', async (lock) => runJob(world.io, world.config, lock, await stateOf('a')))).toBe(
      'deleted',
    );
    expect(named('job.aborted')[1]).toEqual({
      event: 'job.aborted',
      jobId: 'a',
      sessionId: 's1',
      stage: 'init',
      reason: 'deleted',
      error: 'job a was deleted',
      pid: 1000,
    });
  });

  it('a failed write of the running state is a failure of the new attempt: attempts and stage count it', async () => {
    await add('a', 's1');
    const io: Io = { ...world.io, fs: failingStateWrite(0) };
    expect(await withLock('s1', async (lock) => runJob(io, world.config, lock, await stateOf('a')), io)).toBe(
      'retry_scheduled',
    );
    const state = await stateOf('a');
    expect(state).toMatchObject({ status: 'queued', attempts: 1, error: { kind: 'transient', stage: 'transcribe' } });
    expect(named('job.retry_scheduled').at(-1)).toMatchObject({ attempts: 1, stage: 'transcribe' });
  });

  it('when recording a failure fails too, the outcome still says what happened (state stays running on disk)', async () => {
    await add('a', 's1', 'song.mp3', 'ID3');
    const io: Io = { ...world.io, fs: failingStateWrite(1) };
    expect(await withLock('s1', async (lock) => runJob(io, world.config, lock, await stateOf('a')), io)).toBe('failed');
    expect(named('job.failed').at(-1)).toMatchObject({
      durable: false,
      stateWriteError: expect.stringContaining('EIO'),
      error: { name: 'InvalidInputError' },
    });
    expect((await stateOf('a')).status).toBe('running');
  });

  it('a transient failure whose state write fails is still reported as a scheduled retry', async () => {
    await add('a', 's1');
    const handlers: StageHandlers = {
      ...defaultHandlers,
      transcribe: async () => {
        throw errno('EAGAIN', 'read');
      },
    };
    const io: Io = { ...world.io, fs: failingStateWrite(1), handlers };
    expect(await withLock('s1', async (lock) => runJob(io, world.config, lock, await stateOf('a')), io)).toBe(
      'retry_scheduled',
    );
    expect(named('job.retry_scheduled').at(-1)).toMatchObject({ durable: false });
  });

  it('a failure whose state write is fenced out (lock lost at that commit) is aborted', async () => {
    await add('a', 's1', 'song.mp3', 'ID3');
    let commits = 0;
    const { LockLostError } = await import('../../src/errors.ts');
    const io: Io = world.io;
    // The lock is taken over at the third commit check: the fence (assertHeld) fails from then on.
    const losingAt = (lock: HeldLock): HeldLock =>
      Object.assign(Object.create(lock) as HeldLock, {
        assertHeld: async () => {
          if (commits++ >= 2) throw new LockLostError('taken over at the commit');
          await lock.assertHeld();
        },
      });
    // Commits 0 and 1 (the running state, the check before transcribe) pass; the failed state's does not.
    expect(await withLock('s1', async (lock) => runJob(io, world.config, losingAt(lock), await stateOf('a')), io)).toBe(
      'aborted',
    );
    // The failed state was never written: the job stays as the last commit that passed left it.
    expect((await stateOf('a')).status).toBe('running');
    expect(named('job.failed').at(-1)).toMatchObject({ durable: false, stateWriteError: 'taken over at the commit' });
    expect((await stateOf('a')).status).toBe('running');
  });

  it('a failure whose state write finds the job deleted finishes the deletion', async () => {
    await add('a', 's1', 'song.mp3', 'ID3');
    const handlers: StageHandlers = {
      ...defaultHandlers,
      transcribe: async () => {
        await writeTombstone(world.io, jobDir('a'));
        throw errno('EIO', 'read');
      },
    };
    const io: Io = { ...world.io, handlers };
    expect(await withLock('s1', async (lock) => runJob(io, world.config, lock, await stateOf('a')), io)).toBe(
      'deleted',
    );
    expect((await stateOf('a')).status).toBe('deleted');
  });

  it('a failure whose state write finds the lock lost is aborted', async () => {
    await add('a', 's1');
    const outcome = await withLock('s1', async (lock) => {
      const handlers: StageHandlers = {
        ...defaultHandlers,
        transcribe: async () => {
          world.dead.add(1000);
          const taker = await acquireLock(world.withPid(2), lock.options);
          world.dead.delete(1000);
          if (taker.acquired) await taker.lock.release();
          throw errno('EIO', 'read');
        },
      };
      return runJob({ ...world.io, handlers }, world.config, lock, await stateOf('a'));
    });
    expect(outcome).toBe('aborted');
  });

  it('an input that cannot be read (not ENOENT) fails with the step and path named; an unreadable output likewise', async () => {
    await add('a', 's1');
    const denied = recordingFs(nodeFileSystem, {
      fail: (call) => (call.op === 'readFile' && call.path.endsWith('input.srt') ? errno('EACCES', 'open') : undefined),
    });
    const io: Io = { ...world.io, fs: denied.fs };
    expect(await withLock('s1', async (lock) => runJob(io, world.config, lock, await stateOf('a')), io)).toBe('failed');
    expect((await stateOf('a')).error).toMatchObject({
      name: 'FileError',
      kind: 'permanent',
      message: `read ${join(jobDir('a'), 'input.srt')} failed: EACCES`,
    });
    await add('b', 's2');
    await runPass(world.io, world.config);
    const lstatDenied = recordingFs(nodeFileSystem, {
      fail: (call) => (call.op === 'lstat' && call.path.endsWith('b/draft.md') ? errno('EIO', 'lstat') : undefined),
    });
    const io2: Io = { ...world.io, fs: lstatDenied.fs };
    await setState('b', { status: 'running', stage: 'draft' });
    expect(await withLock('s2', async (lock) => runJob(io2, world.config, lock, await stateOf('b')), io2)).toBe(
      'retry_scheduled',
    );
    expect((await stateOf('b')).error).toMatchObject({
      name: 'FileError',
      message: `read ${join(jobDir('b'), 'draft.md')} failed: EIO`,
    });
  });
});

describe('what runPass adds around runDueJobs', () => {
  it('logs pass.start once it holds runner.lock, before its purge', async () => {
    await add('a', 's1');
    await runPass(world.io, world.config);
    const order = world.events
      .map((e) => e.event)
      .filter((e) => e === 'pass.start' || e === 'purge.done' || e === 'pass.done');
    expect(order).toEqual(['pass.start', 'purge.done', 'pass.done']);
  });

  it('counts the deadline from the start of the pass: a purge that used it all leaves no time for jobs', async () => {
    await add('a', 's1');
    let advanced = false;
    const slowPurge = recordingFs(nodeFileSystem, {
      before: (call) => {
        // purge lists sessions/ once; let that take the whole pass deadline.
        if (!advanced && call.op === 'readdir' && call.path === join(world.config.root, 'sessions')) {
          advanced = true;
          world.clock.advance(world.config.passDeadlineMs);
        }
      },
    });
    const summary = await runPass({ ...world.io, fs: slowPurge.fs }, world.config);
    expect(advanced).toBe(true);
    expect(summary).toMatchObject({ deadlineReached: true, ran: 0 });
    expect((await stateOf('a')).status).toBe('queued');
  });

  it('checks runner.lock before each job: a pass whose runner.lock was taken over starts no further job', async () => {
    await add('a', 's1');
    await add('b', 's2');
    const root = world.config.root;
    let taken = false;
    const takeover = recordingFs(nodeFileSystem, {
      before: async (call) => {
        // Job a's session lock is being released: now another runner retires this pass's runner.lock.
        if (taken || call.op !== 'rmdir' || !call.path.includes(join('sessions', 's1', '.tmp-reap-'))) return;
        taken = true;
        const { readdir, rename } = await import('node:fs/promises');
        const work = (await readdir(root)).find((n) => n.startsWith('.tmp-work-'))!;
        await rename(join(root, work), join(root, `.tmp-reap-${work.slice('.tmp-work-'.length)}-by-00000000deadbeef`));
      },
    });
    const { LockLostError } = await import('../../src/errors.ts');
    await expect(runPass({ ...world.io, fs: takeover.fs }, world.config)).rejects.toBeInstanceOf(LockLostError);
    expect(taken).toBe(true);
    expect((await stateOf('a')).status).toBe('complete');
    expect((await stateOf('b')).status).toBe('queued');
  });

  it("a deletion that lands while a stage runs is seen at that stage's commit: aborted with the reason, then deleted", async () => {
    await add('a', 's1');
    const deletingDraft: StageHandlers = {
      ...defaultHandlers,
      draft: async (input) => {
        await writeFile(join(jobDir('a'), 'deleted'), '{"deletedAt":1}\n');
        return defaultHandlers.draft(input);
      },
    };
    const summary = await runPass({ ...world.io, handlers: deletingDraft }, world.config);
    expect(summary.outcomes).toMatchObject({ deleted: 1, complete: 0 });
    expect(named('job.aborted')).toEqual([
      {
        event: 'job.aborted',
        jobId: 'a',
        sessionId: 's1',
        stage: 'draft',
        reason: 'deleted',
        error: 'job a was deleted',
        pid: 1000,
      },
    ]);
    expect((await stateOf('a')).status).toBe('deleted');
  });
});
