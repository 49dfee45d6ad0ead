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
import { CallIndexRule, CallPointRule, type PointAction } from './callPoint.ts';
import { checkExpectation } from './checkExpectation.ts';
import { checkErrorContract, type LedgerEntry } from '../invariants/i7ErrorContract.ts';
import { checkRetryPolicy } from '../invariants/i7RetryPolicy.ts';
import { checkNoProgrammingErrors } from '../invariants/i8HonestResults.ts';
import { runTask } from './runTask.ts';
import type { PausePoint, ProcessSpec, Scenario } from './scenarioTypes.ts';
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

export async function runScenario(scenario: Scenario, options: { seed: number; config?: RuntimeConfig; variant?: RuntimeVariant }): Promise<ScenarioResult> {
  const config = options.config ?? simConfig();
  const variant = await loadVariant(options.variant ?? {});
  const setup = await buildSetup(scenario.jobs, config, options.seed);
  const golden = await computeGolden(scenario.jobs, config, setup, options.seed);
  const runs: { label: string; outcome: RunOutcome }[] = [];
  const first = await runOnce(scenario, config, setup, golden, options.seed, undefined, variant);
  runs.push({ label: 'main', outcome: first });
  if (scenario.sweep !== undefined) {
    const sweep = scenario.sweep;
    const ops = sweep.op === undefined ? undefined : typeof sweep.op === 'string' ? [sweep.op] : sweep.op;
    first.calls.forEach((call, index) => {
      if (ops !== undefined && !ops.includes(call.op)) return;
      if (sweep.pathIncludes !== undefined && !`${call.path} ${call.to ?? ''}`.includes(sweep.pathIncludes)) return;
      for (const when of sweep.when) runs.push({ label: `sweep:${when}@${index}`, outcome: undefined as unknown as RunOutcome });
    });
    for (const run of runs.slice(1)) {
      const [, spec] = run.label.split(':') as [string, string];
      const [when, index] = spec.split('@') as ['before' | 'after', string];
      run.outcome = await runOnce(scenario, config, setup, golden, options.seed, { process: sweep.process, index: Number(index), when }, variant);
    }
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
  for (const step of scenario.steps) if ('expect' in step) for (const [name, outcome] of Object.entries(step.expect.processes ?? {})) expectedOutcomes.set(name, outcome);
  for (const [name, process] of processes) {
    if (process.alive) violations.push({ invariant: 'expect', message: `process ${name} never finished: it waits on nothing that will ever happen (a deadlock)` });
    const error = process.error === undefined ? undefined : process.error instanceof Error ? `${process.error.name}: ${process.error.message}` : String(process.error);
    const expected = expectedOutcomes.get(name) ?? 'ok';
    if (process.status !== 'exited') continue;
    if (expected === 'ok' && error !== undefined) violations.push({ invariant: 'expect', message: `process ${name} threw ${error}` });
    if (expected !== 'ok' && (error === undefined || !new RegExp(expected).test(error))) {
      violations.push({ invariant: 'expect', message: `process ${name} should have failed with /${expected}/, ${error === undefined ? 'but succeeded' : `got ${error}`}` });
    }
  }
  return violations;
}

/** The stage handlers of a scenario process: upstream faults thrown by the stage, or HTTP answers. */
function scenarioHandlers(spec: ProcessSpec, world: World, onInject: (injection: UpstreamInjection) => void): StageHandlers {
  const faults = spec.upstream ?? [];
  if (spec.upstreamViaHttp !== true) return withUpstreamFaults(defaultHandlers, faults, onInject);
  const viaHttp = simulatedUpstreamHandlers(defaultHandlers, faults, () => world.wallNowMs(), onInject);
  return withUpstreamFaults(viaHttp, faults.filter((f) => f.stage !== 'transcribe'), onInject);
}

async function runOnce(
  scenario: Scenario, config: RuntimeConfig, setup: Setup, golden: Golden, seed: number,
  sweepKill: { process: string; index: number; when: 'before' | 'after' } | undefined,
  variant: RuntimeVariant,
): Promise<RunOutcome> {
  const world = new World({ seed, core: cloneCore(setup.core), startMs: setup.atMs + 1_000 });
  const monitor = new ConcurrencyMonitor(config, new Map(scenario.jobs.map((j) => [j.jobId, j.sessionId])));
  monitor.attach(world);
  const quota = new DiskQuota(Number.MAX_SAFE_INTEGER);
  const rules: Rule[] = [];
  const processes = new Map<string, SimProcess>();
  const marks = new Map<string, Snapshot>();
  const violations: Violation[] = [];
  const calls: OpDesc[] = [];
  let lastPurge: PurgeReport | undefined;
  const ledger: LedgerEntry[] = [];
  const diskChangedAt: number[] = [];
  world.interceptor = (process, op) => {
    if (sweepKill === undefined && process.name === scenario.sweep?.process) calls.push(op);
    for (const { pid, rule } of rules) {
      if (pid !== process.pid) continue;
      const action = rule.decide(world, process, op);
      if (action !== undefined) return action;
    }
    return { kind: 'proceed' };
  };
  const spawn = (spec: ProcessSpec) => {
    const decorate = (spec.faults ?? []).map((fault) => buildFault(fault, world, quota));
    const self: { pid?: number } = {};
    const process = world.spawn(spec.name, async (io, runtime) => {
      const result = await runTask(io, runtime, spec.concurrency === undefined ? config : { ...config, concurrency: spec.concurrency }, spec.task);
      if (spec.task === 'purge' && result !== null && typeof result === 'object' && 'files' in result) lastPurge = result as PurgeReport;
      return result;
    }, spawnWith(variant, { decorate, handlers: scenarioHandlers(spec, world, (injection) => ledger.push({ ...injection, afterEventIndex: world.events.length, pid: self.pid!, atMs: world.wallNowMs(), atMonotonicMs: world.fake.now })) }));
    processes.set(spec.name, process);
    self.pid = process.pid;
    if (spec.killAt !== undefined) rules.push({ pid: process.pid, rule: new CallPointRule(spec.killAt, 'kill') });
    const pauses = spec.pauseAt === undefined ? [] : Array.isArray(spec.pauseAt) ? spec.pauseAt : [spec.pauseAt as PausePoint];
    for (const pause of pauses) rules.push({ pid: process.pid, rule: new CallPointRule(pause, { kind: 'pause', durationMs: pause.durationMs }) });
    if (sweepKill !== undefined && sweepKill.process === spec.name) rules.push({ pid: process.pid, rule: new CallIndexRule(sweepKill.index, sweepKill.when) });
  };
  const ctx = () => ({ world, config, golden, marks, lastPurge, pidOf: (name: string) => processes.get(name)?.pid });
  for (const step of scenario.steps) {
    if ('spawn' in step) {
      const spec = step.spawn;
      if (spec.startAfterMs !== undefined) world.at(spec.startAfterMs, `start ${spec.name}`, () => spawn(spec));
      else if (spec.startOnEvent !== undefined) {
        const on = spec.startOnEvent;
        let started = false;
        world.eventListeners.push((event) => {
          if (started || event.event !== on.event || (on.stage !== undefined && event.fields.stage !== on.stage) || (on.jobId !== undefined && event.fields.jobId !== on.jobId)) return;
          started = true;
          spawn(spec);
        });
      } else spawn(spec);
      continue;
    }
    if ('stepWallClockMs' in step && step.atMs !== undefined) {
      const deltaMs = step.stepWallClockMs;
      world.at(step.atMs, 'clock step', () => world.stepWallClock(deltaMs));
      continue;
    }
    await world.run();
    if ('powerLoss' in step || 'corrupt' in step || 'remove' in step || 'plantSymlink' in step) diskChangedAt.push(world.events.length);
    if ('advanceMs' in step) world.fake.tick(step.advanceMs);
    else if ('stepWallClockMs' in step) world.stepWallClock(step.stepWallClockMs);
    else if ('powerLoss' in step) world.powerLoss(crashState(world.core, { kind: step.powerLoss }), step.powerLoss);
    else if ('freeDisk' in step) quota.free();
    else if ('mark' in step) marks.set(step.mark, snapshot(world.core));
    else if ('expect' in step) violations.push(...checkExpectation(ctx(), step.expect));
    else if ('corrupt' in step) {
      const path = `${config.root}/${step.corrupt.path}`;
      const h = world.core.open(path, 'r+');
      const node = world.core.node(h.ino);
      if (node.kind === 'file') node.data = node.synced = node.data.slice(0, step.corrupt.keepBytes);
      world.trace.add(`t=${world.fake.now} world corrupt ${path} to ${step.corrupt.keepBytes} bytes`);
    } else if ('remove' in step) {
      world.core.unlink(`${config.root}/${step.remove}`);
      world.trace.add(`t=${world.fake.now} world remove ${step.remove}`);
    } else if ('plantSymlink' in step) {
      world.core.symlink(step.plantSymlink.target, step.plantSymlink.path);
      world.trace.add(`t=${world.fake.now} world symlink ${step.plantSymlink.path} -> ${step.plantSymlink.target}`);
    } else if ('writeFile' in step) {
      world.core.mkdir(step.writeFile.path.slice(0, step.writeFile.path.lastIndexOf('/')), true);
      const h = world.core.open(step.writeFile.path, 'w');
      world.core.write(h, new TextEncoder().encode(step.writeFile.text), 0);
      world.core.syncAll();
    }
  }
  await world.run();
  violations.push(...checkProcessOutcomes(scenario, processes));
  violations.push(...monitor.violations);
  violations.push(...checkNoProgrammingErrors(world.events, [...processes].map(([name, process]) => ({ name, task: 'scenario process', error: process.error }))));
  const clockStepped = scenario.steps.some((s) => 'stepWallClockMs' in s);
  violations.push(...checkErrorContract(world.events, ledger, { clockStepped }), ...checkRetryPolicy(world.events, ledger, config, { clockStepped, diskChangedAt, wallSteps: world.wallSteps }));
  return { violations, traceHash: world.trace.hash(), trace: world.trace.render(), ops: world.seq, calls };
}
