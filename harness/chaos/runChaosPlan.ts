// Running one chaos plan: the plan's processes with their faults, kills and pauses, its clock steps
// and power loss, in a world whose scheduler follows the plan's choices; then clean recovery passes;
// then every invariant. I2 and I6 are checked at the power loss, I4 on every call, and I1, I3 and I5
// after recovery. A job may end failed only for a reason the plan gave it (a permanent fault, or its
// attempts used up by kills and transient faults), and deleted only if the plan deleted it.
import { makeConfig, type RuntimeConfig } from '../../src/config.ts';
import { checkErrorContract, type LedgerEntry } from '../invariants/i7ErrorContract.ts';
import { defaultHandlers } from '../../src/defaultHandlers.ts';
import { OTHER_HOST, World, type SimProcess, type SpawnOptions } from '../world/world.ts';
import { loadVariant, spawnWith, type RuntimeVariant } from '../bugs/runtimeVariant.ts';
import { listedChoices, seededChoices } from '../world/choiceSource.ts';
import { mixSeed } from '../seededRandom.ts';
import { crashState } from '../simFs/crashStates.ts';
import { buildSetup, cloneCore, type Setup } from '../workload/setup.ts';
import { computeGolden, type Golden } from '../oracle/golden.ts';
import { ConcurrencyMonitor } from '../invariants/i4ConcurrencySafety.ts';
import { checkAtomicity } from '../invariants/i2Atomicity.ts';
import { checkAckDurable } from '../invariants/i6AckDurable.ts';
import type { Violation } from '../invariants/violation.ts';
import { recoverToQuiescence } from '../explorer/recovery.ts';
import { judgeRecovered } from '../judge/judgeRecovered.ts';
import type { JobsOwed } from '../invariants/i3CrashSafety.ts';
import { DiskQuota } from '../faults/diskFull.ts';
import { buildFault } from '../faults/buildFault.ts';
import { withUpstreamFaults, type UpstreamInjection } from '../faults/upstreamFault.ts';
import { simulatedService, simulatedUpstreamHandlers } from '../faults/simulatedUpstream.ts';
import { runCliProcess, isCliOutcome, cliResult } from '../world/cliProcess.ts';
import { checkProductionVariant, cliRunFor, placeUserInputs, type Entry } from './productionEntry.ts';
import type { StageHandlers } from '../../src/ports/stageHandlers.ts';
import { runTask } from '../scenarioRunner/runTask.ts';
import { inputBytes } from '../workload/inputs.ts';
import type { Io } from '../../src/ports/io.ts';
import { JobLifeWatch } from '../oracle/jobLifeWatch.ts';
import { jobView } from '../oracle/jobView.ts';
import type { ChaosPlan, ChaosProcess } from './chaosPlan.ts';
import { FaultWitness } from '../faults/faultWitness.ts';
import type { InjectedTag } from '../faults/faultRule.ts';
import { checkJobErrors, checkOperationResults } from '../invariants/i8HonestResults.ts';
import { checkOpenHandles } from '../invariants/i5OpenHandles.ts';
import { checkQuietEnd } from '../invariants/i3QuietEnd.ts';
import { checkCalls } from '../invariants/checkCount.ts';
import { checkRetryPolicy } from '../invariants/i7RetryPolicy.ts';
import { checkCliOutputs, type CliCommandRecord } from '../invariants/i8CliOutputs.ts';
import type { RuntimeEntries } from '../world/runtimeEntries.ts';

export interface ChaosRunResult {
  readonly violations: Violation[];
  readonly traceHash: string;
  readonly trace: string;
  readonly crashes: number;
  readonly invariantChecks: number;
  readonly ops: number;
}

const goldenCache = new Map<string, Promise<{ golden: Golden; setup: Awaited<ReturnType<typeof buildSetup>> }>>();

/** The starting tree (jobs enqueued up front) and the golden run of every job, late ones included. */
function goldenFor(plan: ChaosPlan, config: RuntimeConfig, seed: number) {
  const key = JSON.stringify([plan.jobs, config]);
  let cached = goldenCache.get(key);
  if (cached === undefined) {
    cached = (async () => {
      const specs = plan.jobs.map(({ jobId, sessionId, input }) => ({ jobId, sessionId, input }));
      const setup = await buildSetup(
        plan.jobs.filter((job) => job.late !== true),
        config,
        seed,
      );
      const everyJob = await buildSetup(specs, config, seed);
      return { setup, golden: await computeGolden(specs, config, everyJob, seed) };
    })();
    goldenCache.set(key, cached);
  }
  return cached;
}

const PERMANENT_ERRNO = new Set(['EACCES', 'EPERM', 'EROFS']);

export type { RuntimeVariant };

/** The processes of one chaos run, armed in a world: kills, pauses, faults and who met one. */
interface ArmedRun {
  readonly operations: { readonly spec: ChaosProcess; readonly process: SimProcess }[];
  readonly ledger: LedgerEntry[];
  readonly witness: FaultWitness;
  /** How many events were logged when the power went (the disk changed under the runtime). */
  readonly powerLossAt: number[];
  crashes: number;
}

function armProcesses(
  world: World,
  plan: ChaosPlan,
  config: RuntimeConfig,
  variant: RuntimeVariant,
  entry: Entry,
): ArmedRun {
  // Every injected error is a line of the trace, so the fault behind a violation is in its text and picture.
  const traceFault = (pid: number, tag: InjectedTag) => {
    if (world.tracing) world.trace.add(`t=${world.fake.now} p${pid} fault ${tag.fault} on ${tag.op} ${tag.path}`);
  };
  const run: ArmedRun = {
    operations: [],
    ledger: [],
    witness: new FaultWitness(traceFault),
    powerLossAt: [],
    crashes: 0,
  };
  const quota = new DiskQuota(Number.MAX_SAFE_INTEGER);
  const killAt = new Map<number, number>();
  const pauseAt = new Map<number, { atCall: number; durationMs: number }>();
  world.interceptor = (process) => {
    if (killAt.get(process.pid) === process.opCount) {
      run.crashes += 1;
      return 'kill';
    }
    const pause = pauseAt.get(process.pid);
    if (pause !== undefined && pause.atCall === process.opCount) {
      pauseAt.delete(process.pid);
      run.witness.mark(process.pid);
      return { kind: 'pause', durationMs: pause.durationMs };
    }
    return { kind: 'proceed' };
  };
  for (const spec of plan.processes) {
    world.at(spec.startAfterMs, `start ${spec.name}`, () => {
      const ref: { process?: SimProcess } = {};
      const pid = () => ref.process!.pid;
      const decorate = [...spec.faults.map((fault) => buildFault(fault, world, quota)), run.witness.decorator(pid)];
      const onInject = (injection: UpstreamInjection) => {
        run.witness.mark(pid());
        run.ledger.push({
          ...injection,
          afterEventIndex: world.events.length,
          pid: pid(),
          atMs: world.wallNowMs(),
          atMonotonicMs: world.fake.now,
        });
      };
      const self = spawnPlanProcess(world, plan, spec, config, { variant, entry, decorate, onInject });
      ref.process = self;
      run.operations.push({ spec, process: self });
      // A slow call may outlast the stale bound: the process meets a fault whether or not it throws.
      if (spec.faults.some((fault) => 'slowMs' in fault)) run.witness.mark(self.pid);
      if (spec.killAtCall !== undefined) killAt.set(self.pid, spec.killAtCall);
      if (spec.pause !== undefined) pauseAt.set(self.pid, spec.pause);
    });
  }
  return run;
}

function armPowerLoss(
  world: World,
  plan: ChaosPlan,
  config: RuntimeConfig,
  golden: Golden,
  run: ArmedRun,
  jobLife: JobLifeWatch,
  violations: Violation[],
): void {
  if (plan.powerLoss === undefined) return;
  const { model } = plan.powerLoss;
  world.at(plan.powerLoss.atMs, `power loss ${model}`, () => {
    run.crashes += 1;
    run.powerLossAt.push(world.events.length);
    // An acknowledged job that purge then removed past its TTL owes nothing more (I3 judges that removal).
    const acked = world.events
      .filter((e) => e.event === 'job.complete')
      .map((e) => String(e.fields.jobId))
      .filter((id) => jobLife.goneBecause(id) !== 'purged past its TTL');
    const enqueued = acknowledgedEnqueues(run);
    world.powerLoss(crashState(world.core, { kind: model }), model);
    violations.push(
      ...checkAtomicity(world.core, golden, config),
      ...checkAckDurable(world.core, golden, config, acked, model),
    );
    // An acknowledged enqueue is a job from then on, whatever the power does (unless deleted since).
    for (const jobId of enqueued) {
      const view = jobView(world.core, config, golden, jobId);
      if (!view.visible && !view.deletionAsked)
        violations.push({
          invariant: 'I6',
          message: `enqueue of ${jobId} was acknowledged, but after a ${model} crash the job is ${view.describe()}`,
        });
    }
  });
}

/** Starts one process of the plan: the jobs CLI over a simulated machine, or the entry function in-process. */
function spawnPlanProcess(
  world: World,
  plan: ChaosPlan,
  spec: ChaosProcess,
  config: RuntimeConfig,
  how: {
    variant: RuntimeVariant;
    entry: Entry;
    decorate: NonNullable<SpawnOptions['decorate']>;
    onInject: (injection: UpstreamInjection) => void;
  },
): SimProcess {
  const { variant, decorate, onInject } = how;
  if (how.entry === 'in-process')
    return world.spawn(
      spec.name,
      (io, runtime) => runOperation(io, runtime, config, plan, spec.task),
      spawnWith(variant, { decorate, handlers: inProcessHandlers(world, spec, onInject), ...hostOf(spec) }),
    );
  const fetch = simulatedService(defaultHandlers, spec.upstream, () => world.wallNowMs(), onInject);
  return world.spawn(
    spec.name,
    (_io, runtime, process) => runCliProcess(world, process, runtime, { ...cliRunFor(plan, spec, config), fetch }),
    spawnWith(variant, { decorate, ...hostOf(spec) }),
  );
}

function hostOf(spec: ChaosProcess): { host?: string } {
  return spec.otherHost === true ? { host: OTHER_HOST } : {};
}

/**
 * A production run's preparation: what the CLI cannot express is refused before the run (it must not
 * turn into a process's failure), and the user's input files are put on the simulated disk.
 */
function prepareProductionEntry(world: World, plan: ChaosPlan, config: RuntimeConfig, variant: RuntimeVariant): void {
  checkProductionVariant(variant);
  for (const spec of plan.processes) cliRunFor(plan, spec, config);
  placeUserInputs(
    world.core,
    plan.jobs.map((job) => job.input),
  );
}

/**
 * An in-process run's stage handlers: transcription through the real HTTP adapter to the simulated
 * service; draft and export faults are thrown by the stage (no adapter exists for them).
 */
function inProcessHandlers(
  world: World,
  spec: ChaosProcess,
  onInject: (injection: UpstreamInjection) => void,
): StageHandlers {
  const viaHttp = simulatedUpstreamHandlers(defaultHandlers, spec.upstream, () => world.wallNowMs(), onInject);
  return withUpstreamFaults(
    viaHttp,
    spec.upstream.filter((f) => f.stage !== 'transcribe'),
    onInject,
  );
}

/** The CLI processes of a run that exited, with the job each named. */
function cliRecords(run: ArmedRun): CliCommandRecord[] {
  return run.operations.flatMap(({ spec, process }) => {
    if (process.status !== 'exited' || !isCliOutcome(process.result)) return [];
    const jobId = typeof spec.task === 'object' ? Object.values(spec.task)[0] : undefined;
    return [{ name: spec.name, pid: process.pid, outcome: process.result, ...(jobId === undefined ? {} : { jobId }) }];
  });
}

/** What an operation returned or threw; a CLI process's outcome read as the user sees it. */
function outcomeOf(process: SimProcess): { result: unknown; error: unknown } {
  if (process.status === 'exited' && isCliOutcome(process.result)) {
    const { result, error } = cliResult(process.result);
    return { result, error };
  }
  return { result: process.result, error: process.error };
}

/** A chaos process's operation: the runtime's entry points, as the CLI calls them. */
function runOperation(
  io: Io,
  runtime: RuntimeEntries,
  config: RuntimeConfig,
  plan: ChaosPlan,
  task: ChaosProcess['task'],
): Promise<unknown> {
  if (typeof task === 'object' && 'enqueue' in task) {
    const job = plan.jobs.find((j) => j.jobId === task.enqueue);
    if (job === undefined) throw new Error(`chaos plan: enqueue of ${task.enqueue}, which the plan does not list`);
    return runtime.enqueue(io, config, {
      jobId: job.jobId,
      sessionId: job.sessionId,
      inputName: job.input,
      inputBytes: inputBytes(job.input),
    });
  }
  return runTask(io, runtime, config, task);
}

/** The jobs whose enqueue returned (the CLI would have printed their ids), so far. */
function acknowledgedEnqueues(run: ArmedRun): string[] {
  return run.operations.flatMap(({ spec, process }) =>
    typeof spec.task === 'object' &&
    'enqueue' in spec.task &&
    process.status === 'exited' &&
    outcomeOf(process).error === undefined
      ? [spec.task.enqueue]
      : [],
  );
}

/** No kill, no power loss, nothing hung, no fault that fails a call: the run must leave nothing behind. */
function endsQuiet(plan: ChaosPlan, run: ArmedRun): boolean {
  const failing = plan.processes.some(
    (p) => p.killAtCall !== undefined || p.faults.some((f) => 'errno' in f || 'diskQuotaBytes' in f || 'fsyncEio' in f),
  );
  return (
    !failing &&
    plan.powerLoss === undefined &&
    run.operations.length === plan.processes.length &&
    run.operations.every(({ process }) => process.status === 'exited')
  );
}

function taskName(task: ChaosProcess['task']): string {
  return typeof task === 'string' ? task : Object.keys(task)[0]!;
}

/** The plan's drawn options over the base configuration, validated as a user's would be. */
export function planConfig(plan: ChaosPlan, base: RuntimeConfig): RuntimeConfig {
  if (plan.config === undefined) return base;
  const { opLatencyMs: _latency, ...options } = plan.config;
  return makeConfig({ ...base, ...options });
}

export async function runChaosPlan(
  plan: ChaosPlan,
  baseConfig: RuntimeConfig,
  seed = 1,
  unloaded: RuntimeVariant = {},
  entry: Entry = 'in-process',
): Promise<ChaosRunResult> {
  const variant = await loadVariant(unloaded);
  const checksBefore = checkCalls();
  const config = planConfig(plan, baseConfig);
  const { setup, golden } = await goldenFor(plan, config, seed);
  const world = planWorld(plan, setup, seed);
  if (entry === 'production') prepareProductionEntry(world, plan, config, variant);
  const monitor = new ConcurrencyMonitor(config, new Map(plan.jobs.map((j) => [j.jobId, j.sessionId])));
  monitor.attach(world);
  const jobLife = new JobLifeWatch(config);
  jobLife.attach(world);
  const violations: Violation[] = [];
  const run = armProcesses(world, plan, config, variant, entry);
  armPowerLoss(world, plan, config, golden, run, jobLife, violations);
  armClockSteps(world, plan, run);
  await world.run();
  if (endsQuiet(plan, run)) violations.push(...checkQuietEnd(world.core));
  // Timestamps written before a backward clock step look younger by the step: recovery waits that
  // much longer, so "past the stale bound" holds for everything on disk. A finished job may then be
  // past its TTL and purged: the oracle judges that by what happened on disk (JobLifeWatch).
  const backwardMs = plan.clockSteps.reduce((sum, step) => sum + Math.max(0, -step.deltaMs), 0);
  const { world: recovered, errors } = await recoverToQuiescence(crashState(world.core, { kind: 'process-kill' }), {
    config,
    golden,
    seed,
    startMs: world.fake.now + backwardMs,
    monitor,
    jobLife,
    wallOffsetMs: world.wallOffsetMs,
    spawn: spawnWith(variant),
  });
  const verdict = await judgeRecovered({
    world: recovered,
    config,
    golden,
    recoveryErrors: errors,
    owed: jobsOwed(plan, jobLife, run),
    spawn: spawnWith(variant),
  });
  violations.push(...verdict.violations);
  violations.push(...monitor.violations);
  const clockStepped = plan.clockSteps.length > 0;
  violations.push(
    ...checkErrorContract(world.events, run.ledger, { clockStepped }),
    ...checkRetryPolicy(world.events, run.ledger, config, {
      clockStepped,
      diskChangedAt: run.powerLossAt,
      wallSteps: world.wallSteps,
    }),
  );
  violations.push(...checkHonesty(world, recovered, run, golden, config));
  violations.push(...checkOpenHandles(world));
  // The checker calls this run made, and one per call I4 judged.
  const checks = checkCalls() - checksBefore + monitor.commitsChecked;
  const trace = `${world.trace.render()}\n--- recovery ---\n${recovered.trace.render()}`;
  return {
    violations,
    traceHash: world.trace.hash(),
    trace,
    crashes: run.crashes,
    invariantChecks: checks,
    ops: world.seq + recovered.seq,
  };
}

/** The world a plan runs in: its seed, its listed interleaving choices, its call latency. */
function planWorld(plan: ChaosPlan, setup: Setup, seed: number): World {
  const after = plan.worldSeed === undefined ? undefined : seededChoices(mixSeed(plan.worldSeed, 7));
  return new World({
    seed: plan.worldSeed ?? seed,
    core: cloneCore(setup.core),
    startMs: setup.atMs + 1_000,
    choices: listedChoices(plan.choices, after),
    opLatencyMs: plan.config?.opLatencyMs ?? 1,
  });
}

function armClockSteps(world: World, plan: ChaosPlan, run: ArmedRun): void {
  for (const step of plan.clockSteps) {
    world.at(step.atMs, 'clock step', () => {
      world.stepWallClock(step.deltaMs);
      // A forward step ages every lease and every half-made file at once: what a live process holds
      // may then look stale to others and be taken over, which is a fault that reached it.
      if (step.deltaMs > 0) for (const { process } of run.operations) if (process.alive) run.witness.mark(process.pid);
    });
  }
}

/** I8: every operation's result and every job error, judged by what reached each process. */
function checkHonesty(
  world: World,
  recovered: World,
  run: ArmedRun,
  golden: Golden,
  config: RuntimeConfig,
): Violation[] {
  const disturbed = (pid: number) => run.witness.has(pid);
  const operations = run.operations.map(({ spec, process }) => ({
    name: spec.name,
    pid: process.pid,
    task: taskName(spec.task),
    ended:
      process.status === 'killed'
        ? ('killed' as const)
        : process.status === 'exited'
          ? ('exited' as const)
          : ('hung' as const),
    ...outcomeOf(process),
    ...(process.exitedAtMs === undefined ? {} : { lifeMs: process.exitedAtMs - process.spawnedAtMs }),
  }));
  return [
    ...checkOperationResults(operations, disturbed, config.passDeadlineMs),
    ...checkCliOutputs(cliRecords(run)),
    ...checkJobErrors(world.events, golden, disturbed),
  ];
}

/** What the plan gives each job leave to end as: deleted, gone, or failed for a reason the plan gave. */
function jobsOwed(plan: ChaosPlan, jobLife: JobLifeWatch, run: ArmedRun): JobsOwed {
  // A late job whose enqueue never returned may never have existed: only an acknowledged one is owed.
  const acked = new Set(acknowledgedEnqueues(run));
  const lateUnacked = new Set(plan.jobs.filter((j) => j.late === true && !acked.has(j.jobId)).map((j) => j.jobId));
  const permanentInjected = plan.processes.some(
    (p) =>
      p.faults.some((f) => 'errno' in f && PERMANENT_ERRNO.has(f.errno)) ||
      p.upstream.some((u) => u.kind === 'permanent' || u.kind === 'invalid-input'),
  );
  return {
    deleted: new Set(
      plan.processes.flatMap((p) => (typeof p.task === 'object' && 'delete' in p.task ? [p.task.delete] : [])),
    ),
    // Deletion and expiry are judged before loss: a job whose tombstone was committed, or whose last
    // committed state was finished and older than the TTL when it was removed, may be gone altogether.
    mayBeGone: (jobId) => jobLife.goneBecause(jobId) !== undefined || lateUnacked.has(jobId),
    failureExplained: (_jobId, error) => permanentInjected || error.name === 'AttemptsExhausted',
  };
}
