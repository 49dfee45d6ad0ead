// Running one scenario: build its jobs, compute the golden run, then interpret its steps in a seeded
// world with the I4 monitor watching every call. A scenario with a sweep runs once fault-free to find
// the calls to sweep, then once per call and side (before/after), each run checked in full.
import { createHash } from 'node:crypto';
import type { RuntimeConfig } from '../../src/config.ts';
import type { PurgeReport } from '../../src/purge.ts';
import { World, type SimProcess } from '../world/world.ts';
import { crashState } from '../simFs/crashStates.ts';
import { snapshot, type Snapshot } from '../simFs/snapshot.ts';
import { buildSetup, cloneCore, type Setup } from '../workload/setup.ts';
import { simConfig } from '../workload/simConfig.ts';
import { computeGolden, type Golden } from '../oracle/golden.ts';
import { ConcurrencyMonitor } from '../invariants/i4ConcurrencySafety.ts';
import type { Violation } from '../invariants/violation.ts';
import { withUpstreamFaults, type UpstreamInjection } from '../faults/upstreamFault.ts';
import { simulatedUpstreamHandlers } from '../faults/simulatedUpstream.ts';
import type { StageHandlers } from '../../src/ports/stageHandlers.ts';
import { DiskQuota } from '../faults/diskFull.ts';
import { buildFault } from '../faults/buildFault.ts';
import { loadVariant, spawnWith, type RuntimeVariant } from '../bugs/runtimeVariant.ts';
import { defaultHandlers } from '../../src/defaultHandlers.ts';
import { STANDARD_HANDLERS } from '../workload/handlers.ts';
import { CallIndexRule, CallPointRule, type PointAction } from './callPoint.ts';
import { checkExpectation, type ExpectationContext } from './checkExpectation.ts';
import { checkErrorContract, type LedgerEntry } from '../invariants/i7ErrorContract.ts';
import { checkRetryPolicy } from '../invariants/i7RetryPolicy.ts';
import { checkNoProgrammingErrors } from '../invariants/i8HonestResults.ts';
import { checkOpenHandles } from '../invariants/i5OpenHandles.ts';
import { runTask } from './runTask.ts';
import type { PausePoint, ProcessSpec, Scenario, Step } from './scenarioTypes.ts';
import type { OpDesc } from '../simFs/simFs.ts';

export interface ScenarioViolation extends Violation {
  /** Which run of the scenario: `main`, or `sweep:<when>@<call>`. */
  readonly run: string;
}

export interface ScenarioResult {
  readonly id: string;
  readonly ok: boolean;
  readonly runs: number;
  readonly ops: number;
  readonly violations: ScenarioViolation[];
  readonly traceHash: string;
  /** The trace of the first failing run (or of the last run when all passed). */
  readonly trace: string;
}

interface Rule {
  readonly pid: number;
  readonly rule: { decide(world: World, process: SimProcess, op: OpDesc): PointAction | undefined };
}

interface RunOutcome {
  violations: Violation[];
  traceHash: string;
  trace: string;
  ops: number;
  /** For the sweep's discovery run: calls of the swept process, by index. */
  calls: OpDesc[];
}

/** The kills a scenario's sweep asks for: before or after each matching call of the discovery run. */
function sweepKills(scenario: Scenario, calls: readonly OpDesc[]): SweepKill[] {
  const sweep = scenario.sweep;
  if (sweep === undefined) return [];
  const ops = sweep.op === undefined ? undefined : typeof sweep.op === 'string' ? [sweep.op] : sweep.op;
  return calls.flatMap((call, index) => {
    if (ops !== undefined && !ops.includes(call.op)) return [];
    if (sweep.pathIncludes !== undefined && !`${call.path} ${call.to ?? ''}`.includes(sweep.pathIncludes)) return [];
    return sweep.when.map((when) => ({ process: sweep.process, index, when }));
  });
}

export async function runScenario(
  scenario: Scenario,
  options: { seed: number; config?: RuntimeConfig; variant?: RuntimeVariant },
): Promise<ScenarioResult> {
  const config = options.config ?? simConfig();
  const variant = await loadVariant(options.variant ?? {});
  const setup = await buildSetup(scenario.jobs, config, options.seed);
  const golden = await computeGolden(scenario.jobs, config, setup, options.seed);
  const runOnce = (sweepKill: SweepKill | undefined) =>
    new ScenarioRun(scenario, config, setup, golden, options.seed, sweepKill, variant).run();
  const first = await runOnce(undefined);
  const runs: { label: string; outcome: RunOutcome }[] = [{ label: 'main', outcome: first }];
  for (const kill of sweepKills(scenario, first.calls)) {
    runs.push({ label: `sweep:${kill.when}@${kill.index}`, outcome: await runOnce(kill) });
  }
  const violations = runs.flatMap((r) => r.outcome.violations.map((v) => ({ ...v, run: r.label })));
  const failing = runs.find((r) => r.outcome.violations.length > 0) ?? runs[runs.length - 1]!;
  const hash = createHash('sha256');
  for (const r of runs) hash.update(r.outcome.traceHash);
  return {
    id: scenario.id,
    ok: violations.length === 0,
    runs: runs.length,
    ops: runs.reduce((sum, r) => sum + r.outcome.ops, 0),
    violations,
    traceHash: hash.digest('hex'),
    trace: failing.outcome.trace,
  };
}

/** Every process finished, and threw exactly what the scenario's expectations say (or nothing). */
function checkProcessOutcomes(scenario: Scenario, processes: ReadonlyMap<string, SimProcess>): Violation[] {
  const violations: Violation[] = [];
  const expectedOutcomes = new Map<string, string>();
  for (const step of scenario.steps)
    if ('expect' in step)
      for (const [name, outcome] of Object.entries(step.expect.processes ?? {})) expectedOutcomes.set(name, outcome);
  for (const [name, process] of processes) {
    if (process.alive)
      violations.push({
        invariant: 'expect',
        message: `process ${name} never finished: it waits on nothing that will ever happen (a deadlock)`,
      });
    const error =
      process.error === undefined
        ? undefined
        : process.error instanceof Error
          ? `${process.error.name}: ${process.error.message}`
          : String(process.error);
    const expected = expectedOutcomes.get(name) ?? 'ok';
    if (process.status !== 'exited') continue;
    if (expected === 'ok' && error !== undefined)
      violations.push({ invariant: 'expect', message: `process ${name} threw ${error}` });
    if (expected !== 'ok' && (error === undefined || !new RegExp(expected).test(error))) {
      violations.push({
        invariant: 'expect',
        message: `process ${name} should have failed with /${expected}/, ${error === undefined ? 'but succeeded' : `got ${error}`}`,
      });
    }
  }
  return violations;
}

/** The stage handlers of a scenario process: upstream faults thrown by the stage, or HTTP answers. */
function scenarioHandlers(
  spec: ProcessSpec,
  world: World,
  onInject: (injection: UpstreamInjection) => void,
): StageHandlers {
  const faults = spec.upstream ?? [];
  if (spec.upstreamViaHttp !== true) return withUpstreamFaults(STANDARD_HANDLERS, faults, onInject);
  const viaHttp = simulatedUpstreamHandlers(defaultHandlers, faults, () => world.wallNowMs(), onInject);
  return withUpstreamFaults(
    viaHttp,
    faults.filter((f) => f.stage !== 'transcribe'),
    onInject,
  );
}

/** What is swept: a kill of `process` before or after its call `index`. */
interface SweepKill {
  readonly process: string;
  readonly index: number;
  readonly when: 'before' | 'after';
}

/** One run of a scenario in its own world: processes spawned, steps interpreted, then every check. */
class ScenarioRun {
  readonly world: World;
  private readonly monitor: ConcurrencyMonitor;
  private readonly quota = new DiskQuota(Number.MAX_SAFE_INTEGER);
  private readonly rules: Rule[] = [];
  private readonly processes = new Map<string, SimProcess>();
  private readonly marks = new Map<string, Snapshot>();
  private readonly violations: Violation[] = [];
  private readonly calls: OpDesc[] = [];
  private readonly ledger: LedgerEntry[] = [];
  private readonly diskChangedAt: number[] = [];
  private lastPurge: PurgeReport | undefined;

  constructor(
    private readonly scenario: Scenario,
    private readonly config: RuntimeConfig,
    setup: Setup,
    private readonly golden: Golden,
    seed: number,
    private readonly sweepKill: SweepKill | undefined,
    private readonly variant: RuntimeVariant,
  ) {
    this.world = new World({ seed, core: cloneCore(setup.core), startMs: setup.atMs + 1_000 });
    this.monitor = new ConcurrencyMonitor(config, new Map(scenario.jobs.map((j) => [j.jobId, j.sessionId])));
    this.monitor.attach(this.world);
    this.world.interceptor = (process, op) => {
      if (sweepKill === undefined && process.name === scenario.sweep?.process) this.calls.push(op);
      for (const { pid, rule } of this.rules) {
        if (pid !== process.pid) continue;
        const action = rule.decide(this.world, process, op);
        if (action !== undefined) return action;
      }
      return { kind: 'proceed' };
    };
  }

  private spawn(spec: ProcessSpec): void {
    const { world, config } = this;
    const decorate = (spec.faults ?? []).map((fault) => buildFault(fault, world, this.quota));
    const self: { pid?: number } = {};
    const onInject = (injection: UpstreamInjection) =>
      this.ledger.push({
        ...injection,
        afterEventIndex: world.events.length,
        pid: self.pid!,
        atMs: world.wallNowMs(),
        atMonotonicMs: world.fake.now,
      });
    const process = world.spawn(
      spec.name,
      async (io, runtime) => {
        const result = await runTask(
          io,
          runtime,
          spec.concurrency === undefined ? config : { ...config, concurrency: spec.concurrency },
          spec.task,
        );
        if (spec.task === 'purge' && result !== null && typeof result === 'object' && 'files' in result)
          this.lastPurge = result as PurgeReport;
        return result;
      },
      spawnWith(this.variant, { decorate, handlers: scenarioHandlers(spec, world, onInject) }),
    );
    this.processes.set(spec.name, process);
    self.pid = process.pid;
    if (spec.killAt !== undefined) this.rules.push({ pid: process.pid, rule: new CallPointRule(spec.killAt, 'kill') });
    const pauses =
      spec.pauseAt === undefined ? [] : Array.isArray(spec.pauseAt) ? spec.pauseAt : [spec.pauseAt as PausePoint];
    for (const pause of pauses)
      this.rules.push({
        pid: process.pid,
        rule: new CallPointRule(pause, { kind: 'pause', durationMs: pause.durationMs }),
      });
    if (this.sweepKill?.process === spec.name)
      this.rules.push({ pid: process.pid, rule: new CallIndexRule(this.sweepKill.index, this.sweepKill.when) });
  }

  /** A spawn step: now, after a delay, or on the first event that matches. */
  private schedule(spec: ProcessSpec): void {
    if (spec.startAfterMs !== undefined)
      return this.world.at(spec.startAfterMs, `start ${spec.name}`, () => this.spawn(spec));
    const on = spec.startOnEvent;
    if (on === undefined) return this.spawn(spec);
    let started = false;
    this.world.eventListeners.push((event) => {
      if (
        started ||
        event.event !== on.event ||
        (on.stage !== undefined && event.fields.stage !== on.stage) ||
        (on.jobId !== undefined && event.fields.jobId !== on.jobId)
      )
        return;
      started = true;
      this.spawn(spec);
    });
  }

  /** A step that acts on the world once every process has run as far as it can. */
  private act(step: Step): void {
    const { world, config } = this;
    if ('powerLoss' in step || 'corrupt' in step || 'remove' in step || 'plantSymlink' in step)
      this.diskChangedAt.push(world.events.length);
    if ('advanceMs' in step) world.fake.tick(step.advanceMs);
    else if ('stepWallClockMs' in step) world.stepWallClock(step.stepWallClockMs);
    else if ('powerLoss' in step) world.powerLoss(crashState(world.core, { kind: step.powerLoss }), step.powerLoss);
    else if ('freeDisk' in step) this.quota.free();
    else if ('mark' in step) this.marks.set(step.mark, snapshot(world.core));
    else if ('expect' in step) this.violations.push(...checkExpectation(this.expectationContext(), step.expect));
    else if ('corrupt' in step) corruptFile(world, `${config.root}/${step.corrupt.path}`, step.corrupt.keepBytes);
    else if ('remove' in step) {
      world.core.unlink(`${config.root}/${step.remove}`);
      world.trace.add(`t=${world.fake.now} world remove ${step.remove}`);
    } else if ('plantSymlink' in step) {
      world.core.symlink(step.plantSymlink.target, step.plantSymlink.path);
      world.trace.add(`t=${world.fake.now} world symlink ${step.plantSymlink.path} -> ${step.plantSymlink.target}`);
    } else if ('writeFile' in step) writeOutsideFile(world, step.writeFile.path, step.writeFile.text);
  }

  private expectationContext(): ExpectationContext {
    const { world, config, golden, marks, lastPurge, processes } = this;
    return { world, config, golden, marks, lastPurge, pidOf: (name: string) => processes.get(name)?.pid };
  }

  async run(): Promise<RunOutcome> {
    for (const step of this.scenario.steps) {
      if ('spawn' in step) this.schedule(step.spawn);
      else if ('stepWallClockMs' in step && step.atMs !== undefined) {
        const deltaMs = step.stepWallClockMs;
        this.world.at(step.atMs, 'clock step', () => this.world.stepWallClock(deltaMs));
      } else {
        await this.world.run();
        this.act(step);
      }
    }
    await this.world.run();
    return {
      violations: [...this.violations, ...this.finalChecks()],
      traceHash: this.world.trace.hash(),
      trace: this.world.trace.render(),
      ops: this.world.seq,
      calls: this.calls,
    };
  }

  /** After the last step: processes' outcomes, I4's watch, open handles (I5), I8, and I7 over the whole run. */
  private finalChecks(): Violation[] {
    const { world, scenario, processes, ledger, config } = this;
    const clockStepped = scenario.steps.some((s) => 'stepWallClockMs' in s);
    return [
      ...checkProcessOutcomes(scenario, processes),
      ...this.monitor.violations,
      ...checkOpenHandles(world),
      ...checkNoProgrammingErrors(
        world.events,
        [...processes].map(([name, process]) => ({ name, task: 'scenario process', error: process.error })),
      ),
      ...checkErrorContract(world.events, ledger, { clockStepped }),
      ...checkRetryPolicy(world.events, ledger, config, {
        clockStepped,
        diskChangedAt: this.diskChangedAt,
        wallSteps: world.wallSteps,
      }),
    ];
  }
}

/** Disk corruption or a foreign tool: the file keeps only its first `keepBytes` bytes, durably. */
function corruptFile(world: World, path: string, keepBytes: number): void {
  const h = world.core.open(path, 'r+');
  const node = world.core.node(h.ino);
  if (node.kind === 'file') node.data = node.synced = node.data.slice(0, keepBytes);
  world.trace.add(`t=${world.fake.now} world corrupt ${path} to ${keepBytes} bytes`);
}

/** A file outside the runtime's control (say, the target of a planted symlink), durably written. */
function writeOutsideFile(world: World, path: string, text: string): void {
  world.core.mkdir(path.slice(0, path.lastIndexOf('/')), true);
  const h = world.core.open(path, 'w');
  world.core.write(h, new TextEncoder().encode(text), 0);
  world.core.syncAll();
}
