// The explorer: for a workload, every crash point of the pass under test, under every crash model.
// One fault-free run records an exact copy of the filesystem before each scheduled call (crash point
// k = "killed just before call k", which is also "just after call k-1"); each copy is turned into the
// crash state of each model, checked (I2, I6), recovered, and checked again (I3, I1, I5), with I4
// watching every call of every run. Writes larger than a block also get torn variants: the process
// killed mid-write with a block-aligned prefix in the page cache. A seeded share of crash points is
// recovered through a second crash in the middle of recovery.
//
// Crash states repeat (a kill after a read leaves what a kill before it left; power loss keeps only
// what was synced, which changes at fsyncs). I2 and I6 are checked on every crash state; recovery and
// the checks after it run once per distinct crash state and recovery schedule (same fingerprint, same
// recovery crash point) and the verdict is shared, as a model checker shares the verdict of a state it
// has already explored: recovery is a deterministic function of the files it boots on and its seed.
// Recoveries run with calls that take no simulated time and one seed for the whole exploration, so
// many end in the same configuration; the rerun (I1) and purge (I5) checks then run once for it
// (AfterRecoveryMemo). test/harness/exploreSharing.test.ts shows the shared verdicts equal the unshared ones.
import type { RuntimeConfig } from '../../src/config.ts';
import { cliRunForPass, type Entry } from '../chaos/productionEntry.ts';
import { cliResult, isCliOutcome, runCliProcess } from '../world/cliProcess.ts';
import { World } from '../world/world.ts';
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import type { StageHandlers } from '../../src/ports/stageHandlers.ts';
import { startStopwatch } from '../report/stopwatch.ts';
import type { Policy } from '../../src/ports/policy.ts';
import type { RuntimeEntries } from '../world/runtimeEntries.ts';
import type { SimProcess, SpawnOptions } from '../world/world.ts';
import type { OpDesc } from '../simFs/simFs.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { cloneCoreExact } from '../simFs/cloneCore.ts';
import { BLOCK_BYTES, crashState, type CrashModel } from '../simFs/crashStates.ts';
import { SeededRandom } from '../seededRandom.ts';
import { buildSetup, cloneCore, type Setup } from '../workload/setup.ts';
import type { JobSpec } from '../workload/jobSpec.ts';
import { computeGolden, type Golden } from '../oracle/golden.ts';
import { checkAtomicity } from '../invariants/i2Atomicity.ts';
import { checkCalls } from '../invariants/checkCount.ts';
import { checkAckDurable } from '../invariants/i6AckDurable.ts';
import { ConcurrencyMonitor } from '../invariants/i4ConcurrencySafety.ts';
import type { Violation } from '../invariants/violation.ts';
import { recoverAndCheck } from './recovery.ts';
import { AfterRecoveryMemo } from '../judge/rerunAndPurge.ts';
import { Fingerprinter } from '../simFs/fingerprint.ts';

export type ModelName = 'process-kill' | 'lazyfs' | 'pessimistic' | 'subset';

export interface ExploreOptions {
  readonly jobs: readonly JobSpec[];
  readonly config: RuntimeConfig;
  readonly seed: number;
  readonly models: readonly ModelName[];
  /** Seeded subset crash states per crash point. */
  readonly subsetsPerPoint?: number;
  /** Share of crash points also recovered through a crash during recovery (0..1). */
  readonly recoveryCrashShare?: number;
  /** A broken runtime for checker tests: decorators over the filesystem, or other handlers. */
  readonly decorate?: readonly ((fs: FileSystem, process: SimProcess) => FileSystem)[];
  readonly handlers?: StageHandlers;
  /** Decisions of the runtime under test (a zoo bug's policy swap). */
  readonly policy?: Policy;
  /** The runtime under test (a zoo bug's patched copy). */
  readonly runtime?: RuntimeEntries;
  /**
   * Share the verdict of the checks after recovery between recoveries that end in the same
   * configuration (default true; see AfterRecoveryMemo). Off only to cross-check that sharing.
   */
  readonly shareAfterRecovery?: boolean;
  /** How the pass under test is entered (default in-process); production runs `jobs run` through the CLI. */
  readonly entry?: Entry;
  /** Stop at the first violating crash state. */
  readonly stopAtFirst?: boolean;
  /** Crash only at points from this call of the pass on (after an injected fault: the points before it are the fault-free run's). */
  readonly crashFromCall?: number;
  /** The pass may end with an error (an injected fault reached it): explore its crash points anyway. */
  readonly victimMayFail?: boolean;
  /**
   * This run checks only its share of the crash states: those whose recovery key (or, for a torn
   * write, whose index) falls to `index` of `count`. Worker threads split an exploration this way.
   */
  readonly partition?: { readonly index: number; readonly count: number };
  /** Faults for the pass under test only (never for its recovery), built for the world it runs in. */
  readonly victimFaults?: (world: World) => readonly ((fs: FileSystem, process: SimProcess) => FileSystem)[];
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ExploreViolation extends Violation {
  /** Where: `model@k` (and `+tornN` for a torn write, `+recovery-crash@m` when recovery crashed). */
  readonly crashPoint: string;
  /** The crash state's place in the exploration (-1: a call watched outside any one crash state). */
  readonly taskIndex: number;
}

export interface ExploreResult {
  readonly crashPoints: number;
  readonly crashStates: number;
  readonly invariantChecks: number;
  readonly violations: ExploreViolation[];
  readonly victimOps: number;
  /** Crash states that were recovered; the others were identical to one of these. */
  readonly distinctStates: number;
  /** Rerun-and-purge checks run: one per configuration that recoveries ended in (see AfterRecoveryMemo). */
  readonly afterRecoveryRuns: number;
  /** The calls of the pass under test, in order (fault points are chosen among them). */
  readonly victimCalls: readonly OpDesc[];
  readonly elapsedMs: number;
}

interface Recorded {
  readonly states: SimFsCore[];
  readonly calls: OpDesc[];
  readonly ackedBefore: Set<string>[];
  readonly writes: Map<number, number>;
  readonly startMs: number;
}

/** One fault-free run of the pass under test, keeping the filesystem before each of its calls. */
async function record(setup: Setup, options: ExploreOptions, monitor: ConcurrencyMonitor): Promise<Recorded> {
  const startMs = setup.atMs + 1_000;
  const world = new World({ seed: options.seed, core: cloneCore(setup.core), startMs, trace: false });
  monitor.attach(world);
  const states: SimFsCore[] = [];
  const ackedBefore: Set<string>[] = [];
  const writes = new Map<number, number>();
  const calls: OpDesc[] = [];
  const acked = new Set<string>();
  let seenEvents = 0;
  const victim = spawnVictim(world, options);
  world.observers.push((process, op) => {
    if (process !== victim) return;
    for (; seenEvents < world.events.length; seenEvents++) {
      const event = world.events[seenEvents]!;
      if (event.event === 'job.complete' && typeof event.fields.jobId === 'string') acked.add(event.fields.jobId);
    }
    if (op.op === 'write' && (op.sizeBytes ?? 0) > BLOCK_BYTES) writes.set(states.length, op.sizeBytes ?? 0);
    states.push(cloneCoreExact(world.core));
    calls.push(op);
    ackedBefore.push(new Set(acked));
  });
  await world.run();
  for (; seenEvents < world.events.length; seenEvents++) {
    const event = world.events[seenEvents]!;
    if (event.event === 'job.complete' && typeof event.fields.jobId === 'string') acked.add(event.fields.jobId);
  }
  states.push(cloneCoreExact(world.core));
  ackedBefore.push(new Set(acked));
  const failure = victimFailure(victim);
  if (failure !== undefined && options.victimMayFail !== true) throw failure;
  return { states, calls, ackedBefore, writes, startMs: world.fake.now };
}

/** Torn write k: re-run to call k and let only `keepBytes` of that write reach the page cache. */
async function tornState(
  setup: Setup,
  options: ExploreOptions,
  k: number,
  keepBytes: number,
): Promise<{ core: SimFsCore; acked: Set<string> }> {
  const world = new World({
    seed: options.seed,
    core: cloneCore(setup.core),
    startMs: setup.atMs + 1_000,
    trace: false,
  });
  const victim = spawnVictim(world, options);
  world.interceptor = (process) =>
    process === victim && process.opCount === k ? { kind: 'partial-write', keepBytes } : { kind: 'proceed' };
  await world.run();
  const acked = new Set(world.events.filter((e) => e.event === 'job.complete').map((e) => String(e.fields.jobId)));
  return { core: crashState(world.core, { kind: 'process-kill' }), acked };
}

interface CrashTask {
  readonly label: string;
  readonly torn?: boolean;
  readonly make: () => Promise<{ core: SimFsCore; acked: Set<string>; model: string }>;
}

/** Every crash state to explore, in order: each point under each model, and torn writes. */
function crashTasks(setup: Setup, options: ExploreOptions, recorded: Recorded, random: SeededRandom): CrashTask[] {
  const tasks: CrashTask[] = [];
  for (let k = options.crashFromCall ?? 0; k < recorded.states.length; k++) {
    const state = recorded.states[k]!;
    const acked = recorded.ackedBefore[k]!;
    for (const model of options.models) {
      if (model === 'subset') {
        for (let s = 0; s < (options.subsetsPerPoint ?? 1); s++) {
          const subsetSeed = random.next();
          tasks.push({
            label: `subset#${subsetSeed}@${k}`,
            make: async () => ({ core: crashState(state, subsetModel(subsetSeed)), acked, model }),
          });
        }
      } else {
        tasks.push({
          label: `${model}@${k}`,
          make: async () => ({ core: crashState(state, { kind: model } as CrashModel), acked, model }),
        });
      }
    }
    const writeBytes = recorded.writes.get(k);
    if (writeBytes !== undefined && options.models.includes('process-kill')) {
      for (let keep = BLOCK_BYTES; keep < writeBytes; keep += BLOCK_BYTES) {
        tasks.push({
          label: `process-kill@${k}+torn${keep}`,
          torn: true,
          make: async () => ({ ...(await tornState(setup, options, k, keep)), model: 'process-kill' }),
        });
      }
    }
  }
  return tasks;
}

/** What every crash state of one exploration shares: the fault-free run, the caches, the monitors. */
interface Exploration {
  readonly options: ExploreOptions;
  readonly golden: Golden;
  readonly recorded: Recorded;
  readonly random: SeededRandom;
  // Torn states have their own fingerprinter: a share makes only the torn states it owns, and the ids
  // a fingerprinter hands out depend on what it saw before, so the shared one must see the same
  // states in every share.
  readonly fingerprints: Fingerprinter;
  readonly tornFingerprints: Fingerprinter;
  readonly recovered: Map<string, { violations: Violation[]; invariantChecks: number }>;
  readonly afterRecovery: AfterRecoveryMemo | undefined;
  readonly recoveryMonitor: ConcurrencyMonitor;
  readonly mine: (n: number) => boolean;
}

/** One crash state: made, judged at the crash (I2, I6), recovered (or its verdict reused) and judged. */
async function checkTask(
  ex: Exploration,
  task: CrashTask,
  index: number,
): Promise<{ violations: ExploreViolation[]; invariantChecks: number } | undefined> {
  const { options } = ex;
  const checksBefore = checkCalls();
  // Drawn for every task, owned or not, so that each share sees the draws a single run makes.
  const crashRecovery = ex.random.chance(options.recoveryCrashShare ?? 0) ? ex.random.int(200) : undefined;
  if (task.torn === true && !ex.mine(index)) return undefined;
  const { core, acked, model } = await task.make();
  const key =
    task.torn === true
      ? `torn|${crashRecovery ?? '-'}|${ex.tornFingerprints.of(core)}`
      : `${crashRecovery ?? '-'}|${ex.fingerprints.of(core)}`;
  if (task.torn !== true && !ex.mine(hashKey(key))) return undefined;
  const found: Violation[] = [
    ...checkAtomicity(core, ex.golden, options.config),
    ...checkAckDurable(core, ex.golden, options.config, acked, model),
  ];
  const atCrashChecks = checkCalls() - checksBefore;
  let recovery = ex.recovered.get(key);
  if (recovery === undefined) {
    recovery = await recoverAndCheck(core, {
      config: options.config,
      golden: ex.golden,
      seed: options.seed,
      startMs: ex.recorded.startMs,
      monitor: ex.recoveryMonitor,
      spawn: runtimeSpawn(options),
      trace: false,
      opLatencyMs: 0,
      ...(ex.afterRecovery !== undefined ? { afterRecovery: ex.afterRecovery } : {}),
      ...(crashRecovery !== undefined ? { crashRecoveryAtOp: crashRecovery } : {}),
    });
    ex.recovered.set(key, recovery);
  }
  found.push(...recovery.violations);
  const label = crashRecovery === undefined ? task.label : `${task.label}+recovery-crash@${crashRecovery}`;
  return {
    violations: found.map((v) => ({ ...v, crashPoint: label, taskIndex: index })),
    // The checks at the crash, and those of the recovery verdict (made now or shared with an earlier state).
    invariantChecks: atCrashChecks + recovery.invariantChecks,
  };
}

/**
 * Calls watched outside any one crash state: the recorded pass (reported by the first share only)
 * and every recovery; sorted and deduplicated, so that a split exploration reports them as one run does.
 */
function watchedViolations(ex: Exploration, monitor: ConcurrencyMonitor): ExploreViolation[] {
  const watched = [
    ...(ex.mine(0) || ex.options.partition === undefined ? monitor.violations : []),
    ...ex.recoveryMonitor.violations,
  ];
  const seen = new Set<string>();
  const out: ExploreViolation[] = [];
  for (const v of watched.sort((a, b) => a.message.localeCompare(b.message))) {
    if (seen.has(v.message)) continue;
    seen.add(v.message);
    out.push({ ...v, crashPoint: 'any', taskIndex: -1 });
  }
  return out;
}

export async function explore(options: ExploreOptions): Promise<ExploreResult> {
  const elapsedMs = startStopwatch();
  const setup = await buildSetup(options.jobs, options.config, options.seed);
  const golden = await computeGolden(options.jobs, options.config, setup, options.seed);
  const sessionOfJob = new Map(options.jobs.map((j) => [j.jobId, j.sessionId]));
  const monitor = new ConcurrencyMonitor(options.config, sessionOfJob);
  const recorded = await record(setup, options, monitor);
  const random = new SeededRandom(options.seed ^ 0x00c0ffee);
  const { partition } = options;
  const ex: Exploration = {
    options,
    golden,
    recorded,
    random,
    fingerprints: new Fingerprinter(),
    tornFingerprints: new Fingerprinter(),
    recovered: new Map(),
    afterRecovery: options.shareAfterRecovery === false ? undefined : new AfterRecoveryMemo(),
    recoveryMonitor: new ConcurrencyMonitor(options.config, sessionOfJob),
    mine: (n) => partition === undefined || n % partition.count === partition.index,
  };
  const violations: ExploreViolation[] = [];
  let crashStates = 0;
  let invariantChecks = 0;
  const tasks = crashTasks(setup, options, recorded, random);
  for (const [index, task] of tasks.entries()) {
    const checked = await checkTask(ex, task, index);
    if (checked === undefined) continue;
    crashStates += 1;
    invariantChecks += checked.invariantChecks;
    violations.push(...checked.violations);
    options.onProgress?.(index + 1, tasks.length);
    if (options.stopAtFirst === true && violations.length > 0) break;
  }
  violations.push(...watchedViolations(ex, monitor));
  // Commits watched in the recorded pass count once; those of recoveries are not counted, since the
  // rerun-and-purge runs behind a shared verdict do not run again (I4 still watches every one that runs).
  invariantChecks += partition === undefined || partition.index === 0 ? monitor.commitsChecked : 0;
  const points = recorded.states.length;
  return {
    crashPoints: points,
    crashStates,
    invariantChecks,
    violations,
    victimOps: points - 1,
    distinctStates: ex.recovered.size,
    afterRecoveryRuns: ex.afterRecovery?.verdicts.size ?? ex.recovered.size,
    victimCalls: recorded.calls,
    elapsedMs: elapsedMs(),
  };
}

/** FNV-1a of a recovery key: which share of a split exploration owns a crash state. */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

function runtimeSpawn(options: ExploreOptions): SpawnOptions {
  return {
    decorate: options.decorate ?? [],
    ...(options.handlers !== undefined ? { handlers: options.handlers } : {}),
    ...(options.policy !== undefined ? { policy: options.policy } : {}),
    ...(options.runtime !== undefined ? { runtime: options.runtime } : {}),
  };
}

/** The pass under test: runPass in-process, or `jobs run` through the CLI over the simulated machine. */
function spawnVictim(world: World, options: ExploreOptions): SimProcess {
  if (options.entry !== 'production')
    return world.spawn('runner', (io, runtime) => runtime.runPass(io, options.config), victimSpawn(options, world));
  if (options.handlers !== undefined || options.policy !== undefined)
    throw new Error('production entry: stage handlers and policies are bound by systemIo, not by the harness');
  return world.spawn(
    'runner',
    (_io, runtime, process) => runCliProcess(world, process, runtime, cliRunForPass(options.config)),
    victimSpawn(options, world),
  );
}

/** What the pass under test failed with: its error, or a CLI run's error line and exit code. */
function victimFailure(victim: SimProcess): unknown {
  if (victim.status === 'exited' && isCliOutcome(victim.result)) return cliResult(victim.result).error;
  return victim.error;
}

function victimSpawn(options: ExploreOptions, world: World): SpawnOptions {
  const base = runtimeSpawn(options);
  return { ...base, decorate: [...(base.decorate ?? []), ...(options.victimFaults?.(world) ?? [])] };
}

function subsetModel(seed: number): CrashModel {
  return { kind: 'subset', random: new SeededRandom(seed) };
}
