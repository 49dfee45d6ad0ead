// Recovery after a crash, and the checks that follow it. A new machine boots on the crash state
// with the clock moved past the stale bound; runner passes run until every job has settled (bounded);
// then invariants I3, I1 (including a rerun of complete jobs) and I5 (a purge past every TTL) are
// checked. Optionally the first recovery pass is itself killed at a chosen call and recovered again.
import type { RuntimeConfig } from '../../src/config.ts';
import { type PurgeReport } from '../../src/purge.ts';
import { Layout } from '../../src/layout.ts';
import { readJobState } from '../../src/jobState.ts';
import { World, type SpawnOptions } from '../world/world.ts';
import { mixSeed } from '../seededRandom.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { crashState } from '../simFs/crashStates.ts';
import { snapshot } from '../simFs/snapshot.ts';
import type { Golden } from '../oracle/golden.ts';
import { readCoreState } from '../oracle/coreFiles.ts';
import { checkCrashSafety } from '../invariants/i3CrashSafety.ts';
import { checkIdempotency, checkRerunUnchanged } from '../invariants/i1Idempotency.ts';
import { checkBoundedStorage } from '../invariants/i5BoundedStorage.ts';
import { checkCalls } from '../invariants/checkCount.ts';
import { ConcurrencyMonitor } from '../invariants/i4ConcurrencySafety.ts';
import { checkErrorContract } from '../invariants/i7ErrorContract.ts';
import { checkRetryPolicy } from '../invariants/i7RetryPolicy.ts';
import { checkJobErrors } from '../invariants/i8HonestResults.ts';
import type { Violation } from '../invariants/violation.ts';
import { Fingerprinter } from '../simFs/fingerprint.ts';
import type { JobLifeWatch } from '../oracle/jobLifeWatch.ts';

export const MAX_RECOVERY_PASSES = 8;

export interface RecoveryOptions {
  readonly config: RuntimeConfig;
  readonly golden: Golden;
  readonly seed: number;
  readonly startMs: number;
  /** Kill the first recovery pass before its n-th call, then recover again. */
  readonly crashRecoveryAtOp?: number;
  readonly deleted?: ReadonlySet<string>;
  readonly monitor: ConcurrencyMonitor;
  /** Watches every recovery world too (the chaos oracle follows each job's files across worlds). */
  readonly jobLife?: JobLifeWatch;
  /** A broken runtime is broken in recovery too. */
  readonly spawn?: SpawnOptions;
  /** Carry a wall-clock step of the crashed run over into recovery (the machine's clock stays wrong). */
  readonly wallOffsetMs?: number;
  /** Write trace text (default true; the explorer needs none). */
  readonly trace?: boolean;
  /** Simulated time per call in the recovery worlds (default 1 ms; the explorer uses 0, see below). */
  readonly opLatencyMs?: number;
  /** Verdicts of the checks after recovery, shared by runs that reach the same configuration. */
  readonly afterRecovery?: AfterRecoveryMemo;
}

/**
 * The rerun (I1) and purge (I5) checks start from a configuration with no process in it: the files,
 * the clock, the world's next random fork (set by how many processes it spawned) and the runtime under
 * test. They are deterministic functions of it, so two recoveries that end in the same configuration
 * get the same verdict, and the explorer checks each configuration once. With calls that take no
 * simulated time, recoveries from different crash points often end in the same one (standard workload,
 * process kill: 131 distinct crash states end in 19 configurations). Durability layers are not part of
 * the key: no crash follows, so only the visible files can matter.
 */
export class AfterRecoveryMemo {
  /** Each configuration's verdict, with the checker calls that reached it (a reuse counts them again). */
  readonly verdicts = new Map<string, { readonly violations: Violation[]; readonly checks: number }>();
  private readonly fingerprints = new Fingerprinter();

  keyOf(world: World): string {
    return `${world.seed}|${world.fake.now}|${world.wallOffsetMs}|${world.processes.length}|${this.fingerprints.of(world.core)}`;
  }
}

export interface RecoveryResult {
  readonly violations: Violation[];
  readonly invariantChecks: number;
  readonly passes: number;
}

function settled(core: SimFsCore, golden: Golden, config: RuntimeConfig): boolean {
  for (const jobId of golden.jobs.keys()) {
    try {
      const status = readCoreState(core, config, jobId)?.status;
      if (status === 'queued' || status === 'running') return false;
    } catch {
      return true; // unreadable: no pass will change that, I3 reports it
    }
  }
  return true;
}

/** Runner passes on `core` until settled; returns the world for further steps. */
export async function recoverToQuiescence(
  core: SimFsCore,
  options: RecoveryOptions,
): Promise<{ world: World; passes: number; errors: Violation[] }> {
  const { config, golden } = options;
  const opLatencyMs = options.opLatencyMs ?? 1;
  let startCore = core;
  let startMs = options.startMs + config.staleAfterMs + 1;
  if (options.crashRecoveryAtOp !== undefined) {
    const first = new World({
      seed: mixSeed(options.seed, 101),
      core: startCore,
      startMs: options.startMs,
      trace: options.trace ?? true,
      opLatencyMs,
    });
    options.monitor.attach(first);
    options.jobLife?.attach(first);
    const runner = first.spawn('recovery-0', (io, runtime) => runtime.runPass(io, config), options.spawn);
    const killAt = options.crashRecoveryAtOp;
    first.interceptor = (process) => (process === runner && process.opCount === killAt ? 'kill' : { kind: 'proceed' });
    await first.run();
    startCore = crashState(first.core, { kind: 'process-kill' });
    startMs = first.fake.now + config.staleAfterMs + 1;
  }
  const world = new World({
    seed: mixSeed(options.seed, 102),
    core: startCore,
    startMs,
    trace: options.trace ?? true,
    opLatencyMs,
  });
  world.wallOffsetMs = options.wallOffsetMs ?? 0;
  options.monitor.attach(world);
  options.jobLife?.attach(world);
  let passes = 0;
  const errors: Violation[] = [];
  for (; passes < MAX_RECOVERY_PASSES; passes++) {
    const runner = world.spawn(`recovery-${passes + 1}`, (io, runtime) => runtime.runPass(io, config), options.spawn);
    await world.run();
    if (runner.error !== undefined)
      errors.push({ invariant: 'I3', message: `recovery pass ${passes + 1} failed: ${String(runner.error)}` });
    if (settled(world.core, golden, config)) {
      passes += 1;
      break;
    }
    world.fake.tick(config.backoffCapMs + 1);
  }
  return { world, passes, errors };
}

export async function recoverAndCheck(core: SimFsCore, options: RecoveryOptions): Promise<RecoveryResult> {
  const { config, golden } = options;
  const checksBefore = checkCalls();
  const { world, passes, errors } = await recoverToQuiescence(core, options);
  const violations: Violation[] = [...errors];
  violations.push(...checkCrashSafety(world.core, golden, config, { deleted: options.deleted ?? new Set() }));
  violations.push(...checkIdempotency(world.core, golden, config));
  violations.push(
    ...checkErrorContract(world.events, [], { clockStepped: false }),
    ...checkRetryPolicy(world.events, [], config, { clockStepped: false }),
  );
  violations.push(...checkJobErrors(world.events, golden, () => false));
  const memo = options.afterRecovery;
  const key = memo?.keyOf(world);
  let after = key === undefined ? undefined : memo?.verdicts.get(key);
  const ownChecks = checkCalls() - checksBefore;
  if (after === undefined) {
    const afterBefore = checkCalls();
    const found = [
      ...(await rerunCompleteJobs(world, config, options.spawn)),
      ...(await purgeEverything(world, config, options.spawn)),
    ];
    after = { violations: found, checks: checkCalls() - afterBefore };
    if (key !== undefined) memo?.verdicts.set(key, after);
  }
  violations.push(...after.violations);
  // A shared verdict stands for the checks that reached it, so the count is the same on any thread.
  return { violations, invariantChecks: ownChecks + after.checks, passes };
}

/** I1's second half: run every complete job again; nothing in its directory may change. */
export async function rerunCompleteJobs(
  world: World,
  config: RuntimeConfig,
  spawn?: SpawnOptions,
): Promise<Violation[]> {
  const layout = new Layout(config.root);
  const complete: string[] = [];
  for (const name of safeReaddir(world.core, layout.jobsDir)) {
    try {
      if (readCoreState(world.core, config, name)?.status === 'complete') complete.push(name);
    } catch {
      // unreadable: reported by I3
    }
  }
  const before = snapshot(world.core);
  world.fake.tick(5_000);
  const rerun = world.spawn(
    'rerun',
    async (io, runtime) => {
      for (const jobId of complete) {
        const state = await readJobState(io.fs, layout.jobDir(jobId));
        if (state === undefined) continue;
        await runtime.withSessionLock(io, config, state.sessionId, { jobId }, (lock) =>
          runtime.runJob(io, config, lock, state),
        );
      }
    },
    spawn,
  );
  await world.run();
  if (rerun.error !== undefined)
    return [{ invariant: 'I1', message: `rerun of complete jobs failed: ${String(rerun.error)}` }];
  return checkRerunUnchanged(
    before,
    snapshot(world.core),
    complete.map((id) => layout.jobDir(id)),
  );
}

/** I5: move past every TTL, purge, and compare what disappeared with what purge reported. */
export async function purgeEverything(world: World, config: RuntimeConfig, spawn?: SpawnOptions): Promise<Violation[]> {
  // Past every TTL, also for files made before a backward clock step (their mtimes are ahead).
  world.stepWallClock(config.ttlMs + config.staleAfterMs + 1 + Math.max(0, -world.wallOffsetMs));
  const before = snapshot(world.core);
  const purger = world.spawn('purge', (io, runtime) => runtime.purgePass(io, config), spawn);
  await world.run();
  if (purger.error !== undefined) return [{ invariant: 'I5', message: `purge failed: ${String(purger.error)}` }];
  const report = purger.result as PurgeReport | undefined;
  if (report === undefined) return [{ invariant: 'I5', message: 'purge could not take runner.lock after recovery' }];
  const after = snapshot(world.core);
  // The purger's own runner.lock and work directory come and go within the purge: compare the rest.
  return checkBoundedStorage(before, after, report, config);
}

function safeReaddir(core: SimFsCore, path: string): string[] {
  try {
    return core.readdir(path);
  } catch {
    return [];
  }
}
