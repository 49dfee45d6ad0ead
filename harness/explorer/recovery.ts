// Recovery after a crash. A new machine boots on the crash state with the clock moved past the stale
// bound; runner passes run until every job has settled (bounded); the recovered world then goes to the
// judge (harness/judge/judgeRecovered.ts). Optionally the first recovery pass is itself killed at a
// chosen call and recovered again.
import type { RuntimeConfig } from '../../src/config.ts';
import { World, type SpawnOptions } from '../world/world.ts';
import { mixSeed } from '../seededRandom.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { crashState } from '../simFs/crashStates.ts';
import type { Golden } from '../oracle/golden.ts';
import { readCoreState } from '../oracle/coreFiles.ts';
import { ConcurrencyMonitor } from '../invariants/i4ConcurrencySafety.ts';
import type { Violation } from '../invariants/violation.ts';
import type { JobLifeWatch } from '../oracle/jobLifeWatch.ts';
import { judgeRecovered } from '../judge/judgeRecovered.ts';
import type { AfterRecoveryMemo } from '../judge/rerunAndPurge.ts';

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
  const { world, passes, errors } = await recoverToQuiescence(core, options);
  const deleted = options.deleted ?? new Set<string>();
  const verdict = await judgeRecovered({
    world,
    config: options.config,
    golden: options.golden,
    recoveryErrors: errors,
    owed: { deleted },
    ...(options.spawn === undefined ? {} : { spawn: options.spawn }),
    ...(options.afterRecovery === undefined ? {} : { memo: options.afterRecovery }),
  });
  return { violations: verdict.violations, invariantChecks: verdict.checks, passes };
}
