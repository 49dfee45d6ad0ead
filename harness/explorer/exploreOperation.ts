// Crash exploration of one user-facing operation (see operationWorkloads.ts): one fault-free run
// records the filesystem before each of the operation's calls and once after it returned; each copy
// becomes the crash state of each model; every crash state is checked (I2 atomicity of every file,
// and the operation's own promise: acknowledged means durable, never half-there), then each distinct
// one is recovered by runner passes and checked again (convergence, the operation's final effect, no
// lock or tmp file left, complete jobs byte-equal the fault-free run's), with I4 on every call.
import type { RuntimeConfig } from '../../src/config.ts';
import { World, type SpawnOptions } from '../world/world.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { cloneCoreExact } from '../simFs/cloneCore.ts';
import { crashState, type CrashModel } from '../simFs/crashStates.ts';
import { SeededRandom } from '../seededRandom.ts';
import { Fingerprinter } from '../simFs/fingerprint.ts';
import { buildSetup } from '../workload/setup.ts';
import { computeGolden, type Golden } from '../oracle/golden.ts';
import { checkAtomicity } from '../invariants/i2Atomicity.ts';
import { checkCalls } from '../invariants/checkCount.ts';
import { ConcurrencyMonitor } from '../invariants/i4ConcurrencySafety.ts';
import type { Violation } from '../invariants/violation.ts';
import { recoverToQuiescence } from './recovery.ts';
import { judgeRecovered, type Verdict } from '../judge/judgeRecovered.ts';
import { AfterRecoveryMemo } from '../judge/rerunAndPurge.ts';
import { judgeCrash, judgeWorkload, type OperationWorkload, type StartTree } from './operationWorkloads.ts';
import type { ModelName } from './explore.ts';

export interface OperationExploreOptions {
  readonly config: RuntimeConfig;
  readonly seed: number;
  readonly models: readonly ModelName[];
  /** A broken runtime, for checker tests. */
  readonly spawn?: SpawnOptions;
  readonly stopAtFirst?: boolean;
}

export interface OperationExploreResult {
  readonly workload: string;
  readonly crashPoints: number;
  readonly crashStates: number;
  readonly distinctStates: number;
  readonly violations: (Violation & { readonly crashPoint: string })[];
  /** Checker calls made (harness/invariants/checkCount.ts) plus the calls I4 judged. */
  readonly invariantChecks: number;
}

interface Recorded {
  readonly states: SimFsCore[];
  readonly endMs: number;
  readonly wallOffsetMs: number;
}

async function recordOperation(
  workload: OperationWorkload,
  tree: StartTree,
  options: OperationExploreOptions,
  monitor: ConcurrencyMonitor,
): Promise<Recorded> {
  const world = new World({
    seed: options.seed,
    core: cloneCoreExact(tree.core),
    startMs: tree.atMs + 1_000,
    trace: false,
  });
  world.wallOffsetMs = tree.wallOffsetMs;
  monitor.attach(world);
  const states: SimFsCore[] = [];
  const op = world.spawn(workload.name, (io, runtime) => workload.run(io, options.config, runtime), options.spawn);
  world.observers.push((process) => {
    if (process === op) states.push(cloneCoreExact(world.core));
  });
  await world.run();
  if (op.status !== 'exited' || op.error !== undefined)
    throw new Error(
      `operation workload ${workload.name} did not succeed without faults: ${String(op.error ?? op.status)}`,
    );
  states.push(cloneCoreExact(world.core));
  return { states, endMs: world.fake.now, wallOffsetMs: world.wallOffsetMs };
}

function modelOf(name: ModelName, random: SeededRandom): CrashModel {
  return name === 'subset' ? { kind: 'subset', random: new SeededRandom(random.next()) } : { kind: name };
}

export async function exploreOperation(
  workload: OperationWorkload,
  options: OperationExploreOptions,
): Promise<OperationExploreResult> {
  const { config } = options;
  const tree = await workload.start(config, options.seed);
  const golden = await goldenOf(workload, config, options.seed);
  const monitor = new ConcurrencyMonitor(config, new Map(workload.jobs.map((j) => [j.jobId, j.sessionId])));
  const recorded = await recordOperation(workload, tree, options, monitor);
  const random = new SeededRandom(options.seed ^ 0x0b5e55ed);
  const fingerprints = new Fingerprinter();
  const recovered = new Map<string, Verdict>();
  const memo = new AfterRecoveryMemo();
  let recoveryChecks = 0;
  let crashChecks = 0;
  const violations: OperationExploreResult['violations'] = [];
  let crashStates = 0;
  for (const [k, state] of recorded.states.entries()) {
    const acked = k === recorded.states.length - 1;
    for (const model of options.models) {
      const core = crashState(state, modelOf(model, random));
      crashStates += 1;
      const checksBefore = checkCalls();
      const found = [...checkAtomicity(core, golden, config), ...judgeCrash(workload, core, config, golden, acked)];
      crashChecks += checkCalls() - checksBefore;
      const key = `${acked}|${fingerprints.of(core)}`;
      let after = recovered.get(key);
      if (after === undefined) {
        after = await recoverAndJudge(workload, core, golden, recorded, { options, monitor, memo }, acked);
        recovered.set(key, after);
      }
      // A shared verdict stands for the checks that reached it.
      recoveryChecks += after.checks;
      for (const v of [...found, ...after.violations])
        violations.push({ ...v, crashPoint: `${workload.name}:${model}@${acked ? 'returned' : k}` });
      if (options.stopAtFirst === true && violations.length > 0)
        return {
          workload: workload.name,
          crashPoints: recorded.states.length,
          crashStates,
          distinctStates: recovered.size,
          violations,
          invariantChecks: crashChecks + recoveryChecks + monitor.commitsChecked,
        };
    }
  }
  for (const v of monitor.violations) violations.push({ ...v, crashPoint: `${workload.name}:any` });
  return {
    workload: workload.name,
    crashPoints: recorded.states.length,
    crashStates,
    distinctStates: recovered.size,
    violations,
    invariantChecks: crashChecks + recoveryChecks + monitor.commitsChecked,
  };
}

async function recoverAndJudge(
  workload: OperationWorkload,
  core: SimFsCore,
  golden: Golden,
  recorded: Recorded,
  context: { options: OperationExploreOptions; monitor: ConcurrencyMonitor; memo: AfterRecoveryMemo },
  acked: boolean,
): Promise<Verdict> {
  const { options, monitor, memo } = context;
  const { config } = options;
  const { world, errors } = await recoverToQuiescence(core, {
    config,
    golden,
    seed: options.seed,
    startMs: recorded.endMs,
    monitor,
    wallOffsetMs: recorded.wallOffsetMs,
    trace: false,
    opLatencyMs: 0,
    ...(options.spawn !== undefined ? { spawn: options.spawn } : {}),
  });
  return judgeRecovered({
    world,
    config,
    golden,
    recoveryErrors: errors,
    owed: (recoveredCore) => judgeWorkload(workload, recoveredCore, config, golden, acked),
    memo,
    ...(options.spawn !== undefined ? { spawn: options.spawn } : {}),
  });
}

/** The fault-free outcome of every job of the workload (the golden run of its jobs, enqueued up front). */
async function goldenOf(workload: OperationWorkload, config: RuntimeConfig, seed: number): Promise<Golden> {
  const setup = await buildSetup(workload.jobs, config, seed);
  return computeGolden(workload.jobs, config, setup, seed);
}
