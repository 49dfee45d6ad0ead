// Each invariant checker passes on the correct runtime and catches a runtime (or a state) that
// breaks it. A checker never shown to fail proves nothing.
import { describe, expect, it } from 'vitest';
import { explore } from '../../harness/explorer/explore.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { SMALL_JOBS, type JobSpec } from '../../harness/workload/jobSpec.ts';
import {
  clobberingLockAcquire,
  noDirFsync,
  noFileFsync,
  staleViewTakeover,
  tmpInvisibleToReaddir,
  unfencedCommits,
} from '../../harness/bugs/fsBugs.ts';
import { runScenario } from '../../harness/scenarioRunner/runScenario.ts';
import { buildSetup, cloneCore } from '../../harness/workload/setup.ts';
import { computeGolden } from '../../harness/oracle/golden.ts';
import { World } from '../../harness/world/world.ts';
import { runDueJobs } from '../../src/runnerPass.ts';
import { ConcurrencyMonitor } from '../../harness/invariants/i4ConcurrencySafety.ts';
import { checkBoundedStorage } from '../../harness/invariants/i5BoundedStorage.ts';
import { checkAtomicity } from '../../harness/invariants/i2Atomicity.ts';
import { checkCrashSafety } from '../../harness/invariants/i3CrashSafety.ts';
import { checkLeftovers } from '../../harness/invariants/i3Leftovers.ts';
import { checkRerunUnchanged } from '../../harness/invariants/i1Idempotency.ts';
import { defaultHandlers } from '../../src/defaultHandlers.ts';
import type { StageHandlers } from '../../src/ports/stageHandlers.ts';
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import { runChaosPlan } from '../../harness/chaos/runChaosPlan.ts';
import type { ChaosPlan } from '../../harness/chaos/chaosPlan.ts';
import { checkErrorContract } from '../../harness/invariants/i7ErrorContract.ts';
import { checkRetryPolicy } from '../../harness/invariants/i7RetryPolicy.ts';
import { PermanentError, TransientError } from '../../src/errors.ts';

const config = simConfig();
const ONE_JOB: JobSpec[] = [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }];
const invariantsOf = (vs: { invariant: string }[]) => new Set(vs.map((v) => v.invariant));

describe('the correct runtime', () => {
  it('passes I1-I6 at every crash point of the small workload under every crash model', async () => {
    const result = await explore({
      jobs: SMALL_JOBS,
      config,
      seed: 3,
      models: ['process-kill', 'lazyfs', 'pessimistic', 'subset'],
      recoveryCrashShare: 0.2,
    });
    expect(result.violations).toEqual([]);
    expect(result.crashStates).toBeGreaterThan(4 * 150);
    // Repeated crash states share one recovery; every crash state is still checked for I2 and I6.
    expect(result.distinctStates).toBeGreaterThan(150);
    expect(result.distinctStates).toBeLessThan(result.crashStates);
  });
});

describe('I2 atomicity and I6 acknowledged-durable catch missing fsyncs', () => {
  it('no file fsync before rename: lazyfs power loss leaves empty final files (I2) and loses acknowledged jobs (I6)', async () => {
    const result = await explore({ jobs: ONE_JOB, config, seed: 1, models: ['lazyfs'], decorate: [noFileFsync] });
    expect([...invariantsOf(result.violations)]).toEqual(expect.arrayContaining(['I2', 'I6']));
    expect(result.violations).toContainEqual(
      expect.objectContaining({
        invariant: 'I2',
        message: expect.stringMatching(/draft.md is torn or mixed \(0 bytes/),
      }),
    );
  });

  it('no directory fsync after rename: pessimistic power loss undoes the acknowledged completion (I6)', async () => {
    const result = await explore({
      jobs: ONE_JOB,
      config,
      seed: 1,
      models: ['pessimistic'],
      decorate: [noDirFsync],
      stopAtFirst: true,
    });
    expect(result.violations[0]).toMatchObject({
      invariant: 'I6',
      message: expect.stringMatching(/acknowledged complete, but after a pessimistic crash/),
    });
  });

  it('I2 flags a torn artifact in a crash state handed to it', async () => {
    const setup = await buildSetup(ONE_JOB, config, 1);
    const golden = await computeGolden(ONE_JOB, config, setup, 1);
    const core = cloneCore(setup.core);
    const h = core.open('/data/jobs/j1/draft.md', 'wx');
    core.write(h, golden.jobs.get('j1')!.artifacts.get('draft.md')!.subarray(0, 7), 0);
    expect(checkAtomicity(core, golden, config)).toEqual([
      expect.objectContaining({ invariant: 'I2', path: '/data/jobs/j1/draft.md' }),
    ]);
  });
});

describe('I3 crash safety', () => {
  it('catches a recovery that cannot see tmp files: they are left behind', async () => {
    const result = await explore({
      jobs: ONE_JOB,
      config,
      seed: 1,
      models: ['process-kill'],
      decorate: [tmpInvisibleToReaddir],
      stopAtFirst: true,
    });
    expect(result.violations[0]).toMatchObject({
      invariant: 'I3',
      message: expect.stringMatching(/tmp file .* left after recovery|orphan lock/),
    });
  });

  it('catches an orphan lock and a job that never converged, in a state handed to it', async () => {
    const setup = await buildSetup(ONE_JOB, config, 1);
    const golden = await computeGolden(ONE_JOB, config, setup, 1);
    const core = cloneCore(setup.core);
    core.mkdir('/data/sessions', true);
    core.mkdir('/data/sessions/s1', false);
    core.open('/data/sessions/s1/session.lock', 'wx');
    const messages = [...checkCrashSafety(core, golden, config), ...checkLeftovers(core)].map((v) => v.message);
    expect(messages).toEqual([
      expect.stringMatching(/job j1 did not converge: queued/),
      expect.stringMatching(/orphan lock/),
    ]);
  });
});

describe('I1 idempotency', () => {
  it('catches a non-deterministic stage: artifacts differ from the fault-free run', async () => {
    let calls = 0;
    const handlers: StageHandlers = {
      ...defaultHandlers,
      draft: async (input) => `${await defaultHandlers.draft(input)}<!-- render ${calls++} -->\n`,
    };
    const result = await explore({ jobs: ONE_JOB, config, seed: 1, models: ['process-kill'], handlers });
    expect(result.violations).toContainEqual(
      expect.objectContaining({
        invariant: 'I1',
        message: expect.stringMatching(/draft.md differs from the fault-free run/),
      }),
    );
  });

  it('catches a rerun that touches a complete job', () => {
    const before = new Map([
      ['/data/jobs/j1/draft.md', { kind: 'file' as const, bytes: new Uint8Array([1]), mtimeMs: 1 }],
    ]);
    const after = new Map([
      ['/data/jobs/j1/draft.md', { kind: 'file' as const, bytes: new Uint8Array([1]), mtimeMs: 2 }],
    ]);
    expect(checkRerunUnchanged(before, after, ['/data/jobs/j1'])).toEqual([
      expect.objectContaining({ invariant: 'I1', message: expect.stringMatching(/\(mtime\)/) }),
    ]);
    expect(checkRerunUnchanged(before, before, ['/data/jobs/j1'])).toEqual([]);
  });
});

describe('I4 concurrency safety', () => {
  async function twoRunners(seed: number, decorate: ((fs: FileSystem) => FileSystem)[]) {
    const jobs: JobSpec[] = [
      { jobId: 'j1', sessionId: 's1', input: 'talk.srt' },
      { jobId: 'j2', sessionId: 's1', input: 'captions.vtt' },
    ];
    const setup = await buildSetup(jobs, config, seed);
    const world = new World({ seed, core: cloneCore(setup.core), startMs: setup.atMs + 1000 });
    const monitor = new ConcurrencyMonitor(config, new Map(jobs.map((j) => [j.jobId, j.sessionId])));
    monitor.attach(world);
    // Two workers without runner.lock: only the session lock stands between them.
    for (const name of ['worker-a', 'worker-b']) world.spawn(name, (io) => runDueJobs(io, config), { decorate });
    await world.run();
    return monitor;
  }

  it('passes on the real lock protocol across 30 interleavings', async () => {
    for (let seed = 1; seed <= 30; seed++) expect((await twoRunners(seed, [])).violations).toEqual([]);
  });

  it('catches a lock acquire that replaces the holder (two owners commit)', async () => {
    let caught = 0;
    for (let seed = 1; seed <= 30 && caught === 0; seed++)
      caught += (await twoRunners(seed, [clobberingLockAcquire])).violations.length;
    expect(caught).toBeGreaterThan(0);
  });
});

describe('I5 bounded storage', () => {
  it('catches a purge report that does not match what disappeared, and survivors past their TTL', () => {
    const file = (n: number) => ({ kind: 'file' as const, bytes: new Uint8Array(n), mtimeMs: 0 });
    const before = new Map([
      ['/data/jobs/j1/state.json', file(10)],
      ['/data/jobs/j1/draft.md', file(5)],
      ['/data/.tmp-x', file(1)],
    ]);
    const after = new Map([
      ['/data/jobs/j1/state.json', file(10)],
      ['/data/.tmp-x', file(1)],
    ]);
    const found = checkBoundedStorage(
      before,
      after,
      { jobs: 1, incompleteJobs: 0, sessions: 0, files: 2, bytes: 15, tmp: 0, locks: 0 },
      config,
    );
    expect(found.map((v) => v.message)).toEqual([
      'purge reported 2 files removed; 1 disappeared',
      'purge reported 15 bytes removed; 5 disappeared',
      expect.stringMatching(/job past its TTL survived purge/),
      expect.stringMatching(/tmp file survived purge/),
    ]);
  });
});

describe('I7 error contract', () => {
  const plan = (kind: 'transient' | 'permanent'): ChaosPlan => ({
    jobs: [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }],
    processes: [
      { name: 'p0', task: 'pass', startAfterMs: 0, faults: [], upstream: [{ stage: 'draft', kind, times: 1 }] },
    ],
    clockSteps: [],
    choices: [],
  });
  // Stage code that catches upstream errors and rethrows them as the wrong class: the two ways an
  // error contract breaks in practice.
  const retriesPermanent = (h: StageHandlers): StageHandlers => ({
    ...h,
    draft: async (input) =>
      h.draft(input).catch((e: unknown) => {
        throw e instanceof PermanentError ? new TransientError((e as Error).message) : e;
      }),
  });
  const neverRetriesTransient = (h: StageHandlers): StageHandlers => ({
    ...h,
    draft: async (input) =>
      h.draft(input).catch((e: unknown) => {
        throw e instanceof TransientError ? new PermanentError((e as Error).message) : e;
      }),
  });

  it('passes on the correct runtime for both kinds of fault', async () => {
    expect((await runChaosPlan(plan('transient'), config)).violations).toEqual([]);
    expect((await runChaosPlan(plan('permanent'), config)).violations).toEqual([]);
  });

  it('catches a runtime that retries permanent errors', async () => {
    const { violations } = await runChaosPlan(plan('permanent'), config, 1, { wrapHandlers: retriesPermanent });
    expect(violations).toContainEqual(
      expect.objectContaining({
        invariant: 'I7',
        message: expect.stringMatching(/permanent permanent fault in draft of job j1 did not fail the job/),
      }),
    );
  });

  it('catches a runtime that never retries transient errors', async () => {
    const { violations } = await runChaosPlan(plan('transient'), config, 1, { wrapHandlers: neverRetriesTransient });
    expect(violations).toContainEqual(
      expect.objectContaining({
        invariant: 'I7',
        message: expect.stringMatching(/transient transient fault in draft of job j1 was not retried/),
      }),
    );
  });

  it('catches a permanently failed job started again without a manual retry, not a start reported late', () => {
    const event = (seq: number, pid: number, event: string, fields: object) =>
      ({ seq, pid, timeMs: seq, event, fields: { jobId: 'j1', ...fields } }) as never;
    const ledger = [
      { jobId: 'j1', stage: 'transcribe', kind: 'invalid-input', errorKind: 'permanent', afterEventIndex: 0, pid: 2 },
    ] as never;
    const failed = event(2, 2, 'job.failed', { error: { name: 'InvalidInputError', kind: 'permanent' }, attempts: 2 });
    // p1 committed attempt 1, was paused before logging it, and p2 took over and failed attempt 2.
    const late = [event(1, 2, 'job.started', { attempt: 2 }), failed, event(3, 1, 'job.started', { attempt: 1 })];
    expect(checkErrorContract(late, ledger, { clockStepped: false })).toEqual([]);
    const restarted = [event(1, 2, 'job.started', { attempt: 2 }), failed, event(3, 1, 'job.started', { attempt: 3 })];
    expect(checkErrorContract(restarted, ledger, { clockStepped: false })).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/started again without a manual retry/) }),
    ]);
    const retried = [
      event(1, 2, 'job.started', { attempt: 2 }),
      failed,
      event(3, 3, 'job.requeued', {}),
      event(4, 1, 'job.started', { attempt: 3 }),
    ];
    expect(checkErrorContract(retried, ledger, { clockStepped: false })).toEqual([]);
  });

  it('catches a retry started before its backoff expired', () => {
    const event = (seq: number, event: string, timeMs: number, fields: object) =>
      ({ seq, pid: 1, timeMs, event, fields: { jobId: 'j1', ...fields } }) as never;
    const events = [
      event(1, 'job.retry_scheduled', 100, { nextAttemptAt: 5_000, error: { kind: 'transient' } }),
      event(2, 'job.started', 4_000, {}),
    ];
    expect(checkErrorContract(events, [], { clockStepped: false })).toEqual([
      expect.objectContaining({ invariant: 'I7', message: expect.stringMatching(/backoff not honoured/) }),
    ]);
    expect(checkErrorContract(events, [], { clockStepped: true })).toEqual([]);
  });

  it('judges a Retry-After as a duration across a backward wall step, and still catches a short one', () => {
    const policy = { maxAttempts: 3, backoffBaseMs: 4_000, backoffCapMs: 60_000 };
    const ledger = [
      {
        jobId: 'j1',
        stage: 'export',
        kind: 'rate-limited',
        errorKind: 'transient',
        retryAfterMs: 1_000,
        afterEventIndex: 0,
        pid: 1,
        atMs: 10_000,
        atMonotonicMs: 10_000,
      },
    ] as never;
    // The answer came at wall 10 000; the clock then stepped back 1 628 ms before the runtime read it.
    const wallSteps = [{ atMs: 10_001, eventsBefore: 0, deltaMs: -1_628 }];
    const scheduled = (nextAttemptAt: number, delayMs: number) =>
      [
        {
          seq: 1,
          pid: 1,
          timeMs: 8_380,
          event: 'job.retry_scheduled',
          fields: { jobId: 'j1', stage: 'export', attempts: 1, nextAttemptAt, delayMs },
        },
      ] as never;
    // Waits 2 000 ms of real time from a wall reading of 8 375: later than the answer plus 1 000 ms.
    expect(checkRetryPolicy(scheduled(10_375, 2_000), ledger, policy, { clockStepped: true, wallSteps })).toEqual([]);
    // Without the step the same numbers are 625 ms short: the wall frame matters.
    expect(checkRetryPolicy(scheduled(10_375, 2_000), ledger, policy, { clockStepped: true, wallSteps: [] })).toEqual([
      expect.objectContaining({
        invariant: 'I7',
        message: expect.stringMatching(/sooner than the upstream's Retry-After/),
      }),
    ]);
    // A retry 500 ms after the decision is too soon whatever the step did.
    expect(checkRetryPolicy(scheduled(8_875, 500), ledger, policy, { clockStepped: true, wallSteps })).toEqual([
      expect.objectContaining({
        invariant: 'I7',
        message: expect.stringMatching(/sooner than the upstream's Retry-After/),
      }),
    ]);
  });
});

describe('I4 on the Phase 3 scenarios', () => {
  it('catches a stale takeover that decides from an old look and is not exclusive (the proper-lockfile race)', async () => {
    const race = (await import('../../scenarios/staleLockTakeoverRace.ts')).default;
    expect((await runScenario(race, { seed: 1 })).ok).toBe(true);
    let caught: string[] = [];
    for (let seed = 1; seed <= 20 && caught.length === 0; seed++) {
      caught = (await runScenario(race, { seed, variant: { decorate: [staleViewTakeover] } })).violations
        .filter((v) => v.invariant === 'I4')
        .map((v) => v.message);
    }
    expect(caught[0]).toMatch(/committed .* while the session s1 lock is held by (nobody|p\d+)/);
  });

  it('catches an owner that commits after its lock was taken over (no fencing)', async () => {
    const fenced = (await import('../../scenarios/pausedOwnerFenced.ts')).default;
    expect((await runScenario(fenced, { seed: 1 })).ok).toBe(true);
    const broken = await runScenario(fenced, { seed: 1, variant: { decorate: [unfencedCommits] } });
    expect(broken.violations).toContainEqual(
      expect.objectContaining({ invariant: 'I4', message: expect.stringMatching(/\(paused\) committed/) }),
    );
  });
});
