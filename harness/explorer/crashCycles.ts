// Repeated crash/recover cycles (I5's no-growth check): a runner pass is killed at a seeded call,
// the machine comes back past the stale bound, the next pass is killed too, and so on. What each
// crash leaves (tmp files, lock files, work and reap directories) is stale by the next cycle, so a
// pass that got through its purge must have removed it; a leftover that survives is a leak that
// grows with every crash. After the cycles a clean recovery must converge as always (I3); a job that
// the crashes used up (a crash counts as an attempt) may end failed as AttemptsExhausted.
import type { RuntimeConfig } from '../../src/config.ts';
import { World, type SpawnOptions } from '../world/world.ts';
import { crashState } from '../simFs/crashStates.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { snapshot } from '../simFs/snapshot.ts';
import { SeededRandom, mixSeed } from '../seededRandom.ts';
import { checkNoGrowth, type CycleLeftovers } from '../invariants/i5BoundedStorage.ts';
import type { Violation } from '../invariants/violation.ts';
import { ConcurrencyMonitor } from '../invariants/i4ConcurrencySafety.ts';
import { judgeRecovered } from '../judge/judgeRecovered.ts';
import { buildSetup, cloneCore } from '../workload/setup.ts';
import type { JobSpec } from '../workload/jobSpec.ts';
import { computeGolden } from '../oracle/golden.ts';
import { recoverToQuiescence } from './recovery.ts';

export interface CrashCyclesOptions {
  readonly config: RuntimeConfig;
  readonly seed: number;
  readonly cycles: number;
  readonly startMs: number;
  readonly spawn?: SpawnOptions;
  /** The pass is killed before a call drawn from 1..maxKillCall. */
  readonly maxKillCall?: number;
}

function leftovers(core: SimFsCore, purged: boolean): CycleLeftovers {
  const entries = new Set<string>();
  for (const [path, entry] of snapshot(core)) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const tmp = path.split('/').some((part) => part.startsWith('.tmp-'));
    if (!tmp && !name.endsWith('.lock')) continue;
    entries.add(`${path}\u0000${entry.bytes === undefined ? entry.kind : Buffer.from(entry.bytes).toString('base64')}`);
  }
  return { entries, purged };
}

export async function crashCycles(
  core: SimFsCore,
  options: CrashCyclesOptions,
): Promise<{ violations: Violation[]; core: SimFsCore; endMs: number; cycles: CycleLeftovers[] }> {
  const random = new SeededRandom(mixSeed(options.seed, 0xc1c1e));
  const cycles: CycleLeftovers[] = [leftovers(core, false)];
  let current = core;
  let atMs = options.startMs;
  for (let i = 0; i < options.cycles; i++) {
    const world = new World({
      seed: mixSeed(options.seed, 200 + i),
      core: current,
      startMs: atMs + options.config.staleAfterMs + 1,
      trace: false,
    });
    const killAt = 1 + random.int(options.maxKillCall ?? 200);
    const runner = world.spawn(`cycle-${i + 1}`, (io, runtime) => runtime.runPass(io, options.config), options.spawn);
    world.interceptor = (process) => (process === runner && process.opCount === killAt ? 'kill' : { kind: 'proceed' });
    await world.run();
    current = crashState(world.core, { kind: 'process-kill' });
    atMs = world.fake.now;
    cycles.push(
      leftovers(
        current,
        world.events.some((e) => e.event === 'purge.done'),
      ),
    );
  }
  return { violations: checkNoGrowth(cycles), core: current, endMs: atMs, cycles };
}

/** `sequences` runs of `cycles` crashed passes each on the workload, each recovered and checked. */
export async function exploreCrashCycles(options: {
  jobs: readonly JobSpec[];
  config: RuntimeConfig;
  seed: number;
  sequences: number;
  cycles: number;
  spawn?: SpawnOptions;
}): Promise<{ violations: Violation[]; crashes: number }> {
  const setup = await buildSetup(options.jobs, options.config, options.seed);
  const golden = await computeGolden(options.jobs, options.config, setup, options.seed);
  const monitor = new ConcurrencyMonitor(options.config, new Map(options.jobs.map((j) => [j.jobId, j.sessionId])));
  const violations: Violation[] = [];
  for (let s = 0; s < options.sequences; s++) {
    const seed = mixSeed(options.seed, 300 + s);
    const spawn = options.spawn === undefined ? {} : { spawn: options.spawn };
    const cycled = await crashCycles(cloneCore(setup.core), {
      config: options.config,
      seed,
      cycles: options.cycles,
      startMs: setup.atMs,
      ...spawn,
    });
    const { world, errors } = await recoverToQuiescence(cycled.core, {
      config: options.config,
      golden,
      seed,
      startMs: cycled.endMs,
      monitor,
      trace: false,
      opLatencyMs: 0,
      ...spawn,
    });
    // A crash counts as an attempt: repeated kills may use a job's attempts up.
    const verdict = await judgeRecovered({
      world,
      config: options.config,
      golden,
      recoveryErrors: errors,
      owed: { failureExplained: (_jobId, error) => error.name === 'AttemptsExhausted' },
      ...spawn,
    });
    const found = [...cycled.violations, ...verdict.violations];
    violations.push(...found.map((v) => ({ ...v, message: `crash cycles #${s + 1}: ${v.message}` })));
  }
  violations.push(...monitor.violations);
  return { violations, crashes: options.sequences * options.cycles };
}
