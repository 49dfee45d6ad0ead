// The harness CLI: `npm run chaos -- <command>` (tsx harness/cli.ts). The commands and their options
// are declared in cliArgs.ts; `--help` and `<command> --help` print them, generated from there.
//   list [--json]                              scenario ids and titles (the catalog, then the extra ones)
//   scenarios [--only id,...] [--seed S] [--shard I/N]   run scripted scenarios
//   explore [--model process-kill|power-loss|all] [--workload standard|small] [--seed S] [--workers W]
//                                              every crash point of the workload, recovered and checked
//   chaos [--runs N] [--seed S] [--workers W] [--shard I/N]   randomized campaign (fast-check, swarm
//                                              faults, shrinking), its runs on W worker threads (default 1)
//   replay --seed S --path P | replay <file>   exact re-run of a failure, printing its trace
//   foreign <module>                           explore and campaign your own code
//   (no command)                               scenarios + explore + a bounded chaos campaign
// Common: --json (one JSON object on stdout), --junit FILE, --out DIR (failure and trace files,
// default .chaos). Exit 0: no violation; 1: a violation; 2: bad arguments.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exploreForeign, loadWorkload, type ForeignWorkload } from './foreign/exploreForeign.ts';
import { campaignForeign, runForeignPlan } from './foreign/campaignForeign.ts';
import { foreignFailureFileSchema, type ForeignFailureFile } from './foreign/foreignFailureFile.ts';
import { createHash } from 'node:crypto';
import { SCENARIOS } from '../scenarios/index.ts';
import { EXTRA_SCENARIOS } from '../scenarios/extra/index.ts';
import { runScenario } from './scenarioRunner/runScenario.ts';
import { explore, type ModelName } from './explorer/explore.ts';
import { exploreOperation } from './explorer/exploreOperation.ts';
import { OPERATION_WORKLOADS } from './explorer/operationWorkloads.ts';
import { exploreFaultsThenCrash } from './explorer/exploreFaults.ts';
import { exploreInWorkers } from './parallel/exploreInWorkers.ts';
import { exploreCrashCycles } from './explorer/crashCycles.ts';
import { runCampaign, replayCommand, type CampaignFailure } from './chaos/campaign.ts';
import type { PlanGenerator } from './chaos/chaosPlan.ts';
import type { Entry } from './chaos/productionEntry.ts';
import { runChaosPlan } from './chaos/runChaosPlan.ts';
import { failureFileSchema, type FailureFile } from './chaos/chaosPlan.ts';
import { modelReplayCommand, runModelCampaign } from './model/modelCampaign.ts';
import { simConfig } from './workload/simConfig.ts';
import { SMALL_JOBS, STANDARD_JOBS } from './workload/jobSpec.ts';
import { harnessArgs, parseHarnessCommandLine, type HarnessArgs } from './cliArgs.ts';
import { renderUsageError } from '../src/cliHelp.ts';
import { addExploreViolations, emptyReport, type RunReport } from './report/runReport.ts';
import { renderHuman } from './report/renderHuman.ts';
import { renderJunit } from './report/renderJunit.ts';
import { renderTraceHtml } from './report/renderTraceHtml.ts';
import { Progress, colour } from './report/progress.ts';
import { isEntryModule } from '../src/adapters/isEntryModule.ts';
import { describeError } from '../src/zodIssues.ts';
import { chaosCommand } from './report/chaosCommand.ts';
import { checkCalls } from './invariants/checkCount.ts';

export interface HarnessStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** A terminal: progress line and colours. Off in CI and pipes. */
  tty?: boolean;
}

export async function main(argv: string[], streams: HarnessStreams): Promise<number> {
  const parsed = parseHarnessCommandLine(argv);
  if (parsed.kind === 'help') {
    streams.stdout(parsed.text);
    return 0;
  }
  if (parsed.kind === 'error') {
    streams.stderr(renderUsageError('chaos', parsed.message, parsed.usage));
    return 2;
  }
  const args = harnessArgs(parsed);
  if (args.command === 'list') return listScenarios(args, streams);
  const unknown = (args.only ?? []).filter((id) => ![...SCENARIOS, ...EXTRA_SCENARIOS].some((s) => s.id === id));
  if (unknown.length > 0) {
    streams.stderr(`chaos: unknown scenario id(s): ${unknown.join(', ')} (see: ${chaosCommand()} list)\n`);
    return 2;
  }
  try {
    if (args.command === 'replay') return await replay(args, streams);
    if (args.command === 'foreign') return await runForeign(args, streams);
    return await runChecks(args, streams);
  } catch (error) {
    streams.stderr(`chaos: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

function listScenarios(args: HarnessArgs, streams: HarnessStreams): number {
  const describe = (s: { id: string; title: string; proves: string }) => ({
    id: s.id,
    title: s.title,
    proves: s.proves,
  });
  if (args.json)
    streams.stdout(`${JSON.stringify({ scenarios: SCENARIOS.map(describe), extra: EXTRA_SCENARIOS.map(describe) })}\n`);
  else {
    const lines = (list: readonly { id: string; title: string }[]) =>
      list.map((s) => `${s.id.padEnd(28)} ${s.title}\n`).join('');
    streams.stdout(`${lines(SCENARIOS)}\nextra (run by \`scenarios\` and \`all\` too):\n${lines(EXTRA_SCENARIOS)}`);
  }
  return 0;
}

/** `all`, `scenarios`, `explore`, `chaos`: the checks run, one report printed; exit 1 on a violation. */
async function runChecks(args: HarnessArgs, streams: HarnessStreams): Promise<number> {
  const started = performance.now();
  const report = emptyReport(args.seed);
  const tty = (streams.tty ?? false) && !args.json;
  const progress = new Progress(streams.stderr, tty);
  const hash = createHash('sha256');
  if (args.command === 'all' || args.command === 'scenarios') await runScenarios(args, report, hash, progress);
  if ((args.command === 'all' && args.shard === undefined) || args.command === 'explore')
    await runExplore(args, report, hash, progress);
  if (args.command === 'all' || args.command === 'chaos') await runChaos(args, report, hash, progress);
  if (args.command === 'all' || args.command === 'chaos' || args.command === 'model')
    await runModel(args, report, hash, progress);
  report.traceHash = hash.digest('hex');
  report.ok = report.violations.length === 0;
  report.elapsedMs = performance.now() - started;
  if (args.junit !== undefined) await writeFile(args.junit, renderJunit(report));
  progress.done();
  streams.stdout(args.json ? `${JSON.stringify(report)}\n` : renderHuman(report, colour(tty)));
  return report.ok ? 0 : 1;
}

async function runScenarios(
  args: HarnessArgs,
  report: RunReport,
  hash: ReturnType<typeof createHash>,
  progress: Progress,
): Promise<void> {
  const all = [...SCENARIOS, ...EXTRA_SCENARIOS];
  const selected = all.filter((s, i) =>
    args.only === undefined
      ? args.shard === undefined || i % args.shard.count === args.shard.index - 1
      : args.only.includes(s.id),
  );
  for (const [index, scenario] of selected.entries()) {
    progress.update(`scenarios (${scenario.id})`, index, selected.length, 'scenarios');
    const t = performance.now();
    const checksBefore = checkCalls();
    const result = await runScenario(scenario, { seed: args.seed });
    const elapsedMs = performance.now() - t;
    hash.update(result.traceHash);
    report.scenarios.push({ id: scenario.id, title: scenario.title, ok: result.ok, runs: result.runs, elapsedMs });
    report.runs += result.runs;
    report.invariantChecks += checkCalls() - checksBefore;
    for (const v of result.violations)
      report.violations.push({
        invariant: v.invariant,
        message: v.message,
        where: `scenario:${scenario.id} (${v.run})`,
        ...(v.path ? { path: v.path } : {}),
      });
    if (!result.ok) {
      report.replay.push(`${chaosCommand()} scenarios --only ${scenario.id} --seed ${args.seed}`);
      const name = `scenario-${scenario.id}-seed${args.seed}`;
      const replay = `${chaosCommand()} scenarios --only ${scenario.id} --seed ${args.seed}`;
      report.traceFiles.push(await writeOut(args.out, 'traces', `${name}.trace.txt`, result.trace));
      report.traceFiles.push(
        await writeOut(
          args.out,
          'traces',
          `${name}.html`,
          renderTraceHtml({
            title: `scenario ${scenario.id} (seed ${args.seed})`,
            trace: result.trace,
            violations: result.violations,
            replay,
          }),
        ),
      );
    }
  }
}

async function runExplore(
  args: HarnessArgs,
  report: RunReport,
  hash: ReturnType<typeof createHash>,
  progress: Progress,
): Promise<void> {
  const models: ModelName[] =
    args.model === 'process-kill'
      ? ['process-kill']
      : args.model === 'power-loss'
        ? ['lazyfs', 'pessimistic', 'subset']
        : ['process-kill', 'lazyfs', 'pessimistic', 'subset'];
  progress.phase('explore');
  const options = {
    jobs: args.workload === 'small' ? SMALL_JOBS : STANDARD_JOBS,
    config: simConfig(),
    seed: args.seed,
    models,
    subsetsPerPoint: 1,
    recoveryCrashShare: 0.1,
  };
  // On worker threads each explores its share of the crash states; the merged result equals one thread's.
  const result =
    args.workers > 1
      ? await exploreInWorkers(options, args.workers)
      : await explore({
          ...options,
          onProgress: (done, total) => progress.update('explore', done, total, 'crash states'),
        });
  hash.update(`${result.crashStates}:${result.violations.length}`);
  report.explore = {
    crashPoints: result.crashPoints,
    crashStates: result.crashStates,
    elapsedMs: result.elapsedMs,
    crashStatesPerSecond: result.crashStates / (result.elapsedMs / 1000),
  };
  report.crashStates += result.crashStates;
  report.runs += result.crashStates;
  report.invariantChecks += result.invariantChecks;
  addExploreViolations(report, result.violations);
  if (result.violations.length > 0)
    report.replay.push(
      `${chaosCommand()} explore --model ${args.model} --workload ${args.workload} --seed ${args.seed}`,
    );
  await runProductionExplore(options, report, hash, progress);
  await runOperations(args, report, hash, progress, models);
  await runFaultsThenCrash(args, report, hash, progress, models);
  await runCrashCycles(args, report, hash);
}

/**
 * The same exploration with the pass entered as a user starts it, `jobs run` through the CLI over the
 * simulated machine, so the production adapters' calls (the directory fsync among them) are crashed
 * at too. One thread: it is the shorter of the two.
 */
async function runProductionExplore(
  options: Parameters<typeof explore>[0],
  report: RunReport,
  hash: ReturnType<typeof createHash>,
  progress: Progress,
): Promise<void> {
  progress.phase('explore (jobs CLI)');
  const result = await explore({
    ...options,
    entry: 'production',
    onProgress: (done, total) => progress.update('explore (jobs CLI)', done, total, 'crash states'),
  });
  hash.update(`production:${result.crashStates}:${result.violations.length}`);
  report.productionExplore = {
    crashPoints: result.crashPoints,
    crashStates: result.crashStates,
    elapsedMs: result.elapsedMs,
  };
  report.crashStates += result.crashStates;
  report.runs += result.crashStates;
  report.invariantChecks += result.invariantChecks;
  addExploreViolations(
    report,
    result.violations.map((v) => ({ ...v, crashPoint: `jobs CLI ${v.crashPoint}` })),
  );
}

const CRASH_CYCLE_SEQUENCES = 50;
const CRASH_CYCLES = 6;

async function runCrashCycles(
  args: HarnessArgs,
  report: RunReport,
  hash: ReturnType<typeof createHash>,
): Promise<void> {
  const t = performance.now();
  const result = await exploreCrashCycles({
    jobs: STANDARD_JOBS,
    config: simConfig(),
    seed: args.seed,
    sequences: CRASH_CYCLE_SEQUENCES,
    cycles: CRASH_CYCLES,
  });
  hash.update(`cycles:${result.crashes}:${result.violations.length}`);
  report.crashCycles = { sequences: CRASH_CYCLE_SEQUENCES, crashes: result.crashes, elapsedMs: performance.now() - t };
  report.crashStates += result.crashes;
  addExploreViolations(
    report,
    result.violations.map((v) => ({ ...v, crashPoint: 'crash-cycles' })),
  );
  if (result.violations.length > 0) report.replay.push(`${chaosCommand()} explore --seed ${args.seed}`);
}

const FAULT_POINTS_PER_KIND = 2;

async function runFaultsThenCrash(
  args: HarnessArgs,
  report: RunReport,
  hash: ReturnType<typeof createHash>,
  progress: Progress,
  models: ModelName[],
): Promise<void> {
  const t = performance.now();
  progress.phase('fault, then crash');
  const result = await exploreFaultsThenCrash({
    jobs: SMALL_JOBS,
    config: simConfig(),
    seed: args.seed,
    models,
    perKind: FAULT_POINTS_PER_KIND,
    workers: args.workers,
  });
  hash.update(`faults:${result.crashStates}:${result.violations.length}`);
  report.faults = {
    faultPoints: result.faultPoints.length,
    crashStates: result.crashStates,
    elapsedMs: performance.now() - t,
  };
  report.crashStates += result.crashStates;
  report.runs += result.crashStates;
  addExploreViolations(report, result.violations);
  if (result.violations.length > 0)
    report.replay.push(`${chaosCommand()} explore --model ${args.model} --seed ${args.seed}`);
}

async function runOperations(
  args: HarnessArgs,
  report: RunReport,
  hash: ReturnType<typeof createHash>,
  progress: Progress,
  models: ModelName[],
): Promise<void> {
  const t = performance.now();
  const summary = { workloads: [] as string[], crashPoints: 0, crashStates: 0, elapsedMs: 0 };
  let failed = false;
  for (const [index, workload] of OPERATION_WORKLOADS.entries()) {
    progress.update('operations', index, OPERATION_WORKLOADS.length, 'workloads');
    const result = await exploreOperation(workload, { config: simConfig(), seed: args.seed, models });
    hash.update(`${workload.name}:${result.crashStates}:${result.violations.length}`);
    summary.workloads.push(workload.name);
    summary.crashPoints += result.crashPoints;
    summary.crashStates += result.crashStates;
    report.invariantChecks += result.invariantChecks;
    addExploreViolations(report, result.violations);
    failed ||= result.violations.length > 0;
  }
  summary.elapsedMs = performance.now() - t;
  report.operations = summary;
  report.crashStates += summary.crashStates;
  report.runs += summary.crashStates;
  if (failed) report.replay.push(`${chaosCommand()} explore --model ${args.model} --seed ${args.seed}`);
}

async function runChaos(
  args: HarnessArgs,
  report: RunReport,
  hash: ReturnType<typeof createHash>,
  progress: Progress,
): Promise<void> {
  const t = performance.now();
  // A shard runs its own seed: shards of one campaign explore different plans, each replayable alone.
  const seed = args.shard === undefined ? args.seed : (args.seed + args.shard.index - 1) >>> 0;
  let runs = 0;
  let productionRuns = 0;
  let longHoldRuns = 0;
  let crashes = 0;
  // The in-process campaign, the same generator through the production root (the jobs CLI), then
  // the long-hold generator in-process.
  for (const [entry, count, plans] of [
    ['in-process', args.runs, 'swarm'],
    ['production', args['production-runs'], 'swarm'],
    ['in-process', args['long-hold-runs'], 'long-hold'],
  ] as const) {
    if (count === 0) continue;
    const phase = plans === 'long-hold' ? 'chaos (long holds)' : entry === 'production' ? 'chaos (jobs CLI)' : 'chaos';
    progress.phase(phase);
    const result = await runCampaign({
      runs: count,
      seed,
      config: simConfig(),
      workers: args.workers,
      entry,
      plans,
      onRun: (index, run) => {
        hash.update(run.traceHash);
        progress.update(phase, index, count, 'runs');
      },
    });
    runs += result.runs;
    if (entry === 'production') productionRuns = result.runs;
    if (plans === 'long-hold') longHoldRuns = result.runs;
    crashes += result.crashes;
    report.invariantChecks += result.invariantChecks;
    if (result.failure !== undefined) {
      await reportChaosFailure(args, report, result.failure, entry, plans);
      break;
    }
  }
  report.chaos = { runs, productionRuns, longHoldRuns, crashes, elapsedMs: performance.now() - t };
  report.runs += runs;
  report.crashStates += crashes;
}

/** The model-based campaign: user sessions through the CLI and `jobs serve`, judged by I9. */
async function runModel(
  args: HarnessArgs,
  report: RunReport,
  hash: ReturnType<typeof createHash>,
  progress: Progress,
): Promise<void> {
  const count = args.path === undefined ? args['model-runs'] : 1;
  if (count === 0) return;
  const t = performance.now();
  const seed = args.shard === undefined ? args.seed : (args.seed + args.shard.index - 1) >>> 0;
  progress.phase('model');
  const result = await runModelCampaign({
    runs: count,
    seed,
    config: simConfig(),
    ...(args.path !== undefined ? { path: args.path } : {}),
    onRun: (index, run) => {
      hash.update(run.traceHash);
      progress.update('model', index, count, 'sessions');
    },
  });
  report.model = { runs: result.runs, steps: result.steps, checks: result.checks, elapsedMs: performance.now() - t };
  report.runs += result.runs;
  report.invariantChecks += result.checks;
  const f = result.failure;
  if (f === undefined) return;
  const where = `model:seed=${f.seed} path=${f.path}`;
  for (const v of f.result.violations) report.violations.push({ invariant: v.invariant, message: v.message, where });
  report.replay.push(modelReplayCommand(f.seed, f.path));
  const name = `model-seed${f.seed}-${f.result.traceHash.slice(0, 12)}`;
  const file = {
    version: 1,
    kind: 'model-failure',
    seed: f.seed,
    path: f.path,
    plan: f.plan,
    violations: f.result.violations,
  };
  report.failureFiles.push(await writeOut(args.out, 'failures', `${name}.json`, `${JSON.stringify(file, null, 2)}\n`));
  report.traceFiles.push(await writeOut(args.out, 'traces', `${name}.trace.txt`, f.result.trace));
}

/** A chaos failure in the report: its violations, its replay command, a failure file and two traces. */
async function reportChaosFailure(
  args: HarnessArgs,
  report: RunReport,
  f: CampaignFailure,
  entry: Entry,
  plans: PlanGenerator,
): Promise<void> {
  const how = plans === 'long-hold' ? ' (long holds)' : entry === 'production' ? ' (jobs CLI)' : '';
  const where = `chaos${how}:seed=${f.seed} path=${f.path}`;
  const violations = f.result.violations.map((v) => ({
    invariant: v.invariant,
    message: v.message,
    ...(v.path ? { path: v.path } : {}),
  }));
  for (const v of violations) report.violations.push({ ...v, where });
  const command = replayCommand(f.seed, f.path, entry, plans);
  const file: FailureFile = failureFileSchema.parse({
    version: 1,
    kind: 'chaos-failure',
    seed: f.seed,
    path: f.path,
    plan: f.plan,
    ...(entry === 'production' ? { entry } : {}),
    violations,
    traceHash: f.result.traceHash,
    replay: command,
  });
  report.replay.push(command);
  const name = `chaos-seed${f.seed}-${f.result.traceHash.slice(0, 12)}`;
  report.failureFiles.push(await writeOut(args.out, 'failures', `${name}.json`, `${JSON.stringify(file, null, 2)}\n`));
  report.traceFiles.push(await writeOut(args.out, 'traces', `${name}.trace.txt`, f.result.trace));
  const html = renderTraceHtml({
    title: `chaos seed ${f.seed} path ${f.path}`,
    trace: f.result.trace,
    violations: f.result.violations,
    replay: command,
  });
  report.traceFiles.push(await writeOut(args.out, 'traces', `${name}.html`, html));
}

async function replay(args: HarnessArgs, streams: HarnessStreams): Promise<number> {
  let violations: { invariant: string; message: string }[];
  let trace: string;
  let traceHash: string;
  if (args.file !== undefined) {
    let parsed: FailureFile;
    try {
      const json = JSON.parse(await readFile(args.file, 'utf8')) as unknown;
      if ((json as { kind?: unknown } | null)?.kind === 'foreign-failure')
        return await replayForeign(foreignFailureFileSchema.parse(json), args, streams);
      parsed = failureFileSchema.parse(json);
    } catch (error) {
      // One line: each bad field named (zod issues joined), or the JSON parser's message.
      streams.stderr(`chaos: ${args.file} is not a failure file: ${describeError(error).split('\n').join('; ')}\n`);
      return 2;
    }
    const result = await runChaosPlan(parsed.plan, simConfig(), 1, {}, parsed.entry ?? 'in-process');
    ({ violations, trace, traceHash } = result);
  } else {
    const result = await runCampaign({
      runs: 1,
      seed: args.seed,
      path: args.path,
      config: simConfig(),
      entry: args.entry,
      plans: args.plans,
    });
    if (result.failure === undefined) {
      streams.stdout(
        args.json
          ? `${JSON.stringify({ ok: true, seed: args.seed, path: args.path, violations: [] })}\n`
          : `seed ${args.seed} path ${args.path}: no violation now\n`,
      );
      return 0;
    }
    ({ violations, trace, traceHash } = result.failure.result);
  }
  if (args.json) {
    streams.stdout(
      `${JSON.stringify({ ok: violations.length === 0, seed: args.seed, path: args.path ?? null, traceHash, violations, trace })}\n`,
    );
  } else {
    streams.stdout(
      `${trace}\n\n${violations.length === 0 ? 'no violation' : violations.map((v) => `[${v.invariant}] ${v.message}`).join('\n')}\ntrace ` +
        `hash: ${traceHash}\n`,
    );
  }
  return violations.length === 0 ? 0 : 1;
}

/** Runs a foreign failure file's plan again and prints its trace and what the checks say now. */
async function replayForeign(file: ForeignFailureFile, args: HarnessArgs, streams: HarnessStreams): Promise<number> {
  const { messages, trace } = await runForeignPlan(file.module, file.plan, 1);
  if (args.json)
    streams.stdout(
      `${JSON.stringify({ ok: messages.length === 0, module: file.module, plan: file.plan, messages, trace })}\n`,
    );
  else
    streams.stdout(
      `${trace}\n\n${messages.length === 0 ? 'no violation' : messages.map((m) => `[check] ${m}`).join('\n')}\n`,
    );
  return messages.length === 0 ? 0 : 1;
}

/** `foreign <module>`: explore and campaign a ForeignWorkload; same report shapes, pictures and exit codes. */
async function runForeign(args: HarnessArgs, streams: HarnessStreams): Promise<number> {
  let workload: ForeignWorkload;
  try {
    workload = await loadWorkload(args.file!);
  } catch (error) {
    streams.stderr(
      `chaos: ${args.file} is not a foreign workload module: ${(error as Error).message.split('\n')[0]}\n`,
    );
    return 2;
  }
  const started = performance.now();
  const report = emptyReport(args.seed);
  await exploreForeignInto(args, workload, report);
  await campaignForeignInto(args, workload, report);
  report.ok = report.violations.length === 0;
  report.elapsedMs = performance.now() - started;
  if (args.junit !== undefined) await writeFile(args.junit, renderJunit(report));
  streams.stdout(
    args.json ? `${JSON.stringify(report)}\n` : renderHuman(report, colour((streams.tty ?? false) && !args.json)),
  );
  return report.ok ? 0 : 1;
}

/** The foreign workload's crash exploration, into the report (its first finding as a picture). */
async function exploreForeignInto(args: HarnessArgs, workload: ForeignWorkload, report: RunReport): Promise<void> {
  const started = performance.now();
  const explored = await exploreForeign(args.file!, {
    seed: args.seed,
    models: ['process-kill', 'lazyfs', 'pessimistic', 'subset'],
  });
  report.crashStates += explored.crashStates;
  report.runs += explored.crashStates;
  report.invariantChecks += explored.crashStates;
  const elapsedMs = performance.now() - started;
  report.explore = {
    crashPoints: explored.calls + 1,
    crashStates: explored.crashStates,
    elapsedMs,
    crashStatesPerSecond: explored.crashStates / (elapsedMs / 1000),
  };
  // A run that threw, hung, was refused a call or failed its checkRun is a failure, never OK.
  if (explored.workloadError !== undefined)
    report.violations.push({ invariant: 'run', message: explored.workloadError, where: 'explore:run' });
  for (const f of explored.findings.slice(0, 50))
    report.violations.push({ invariant: 'check', message: f.message, where: `explore:${f.model}@${f.crashPoint}` });
  const first = explored.findings[0];
  if (first === undefined) return;
  const html = renderTraceHtml({
    title: `${workload.name}: ${first.model} crash before call ${first.crashPoint}`,
    trace: first.trace,
    violations: [{ invariant: 'check', message: first.message }],
  });
  report.traceFiles.push(await writeOut(args.out, 'traces', 'foreign-explore.html', html));
  report.replay.push(`${chaosCommand()} foreign ${args.file} --seed ${args.seed}`);
}

/** The foreign workload's campaign, into the report (a failure as a file to replay and a picture). */
async function campaignForeignInto(args: HarnessArgs, workload: ForeignWorkload, report: RunReport): Promise<void> {
  const started = performance.now();
  const campaign = await campaignForeign(args.file!, {
    runs: args.runs,
    seed: args.seed,
    ...(args.path !== undefined ? { path: args.path } : {}),
  });
  report.chaos = {
    runs: campaign.runs,
    productionRuns: 0,
    longHoldRuns: 0,
    crashes: campaign.runs,
    elapsedMs: performance.now() - started,
  };
  report.runs += campaign.runs;
  const f = campaign.failure;
  if (f === undefined) return;
  // The shrunk plan (faults, crash point and model, interleaving, pauses, clock steps) in text.
  const where = `chaos:seed=${f.seed} path=${f.path} plan=${JSON.stringify(f.plan)}`;
  for (const message of f.messages) report.violations.push({ invariant: 'check', message, where });
  report.replay.push(f.replay);
  const file = foreignFailureFileSchema.parse({
    version: 1,
    kind: 'foreign-failure',
    module: args.file!,
    seed: f.seed,
    path: f.path,
    plan: f.plan,
    messages: f.messages,
    replay: f.replay,
  });
  report.failureFiles.push(
    await writeOut(args.out, 'failures', `foreign-seed${f.seed}.json`, `${JSON.stringify(file, null, 2)}\n`),
  );
  const html = renderTraceHtml({
    title: `${workload.name}: ${JSON.stringify(f.plan)}`,
    trace: f.trace,
    violations: f.messages.map((message) => ({ invariant: 'check', message })),
  });
  report.traceFiles.push(await writeOut(args.out, 'traces', `foreign-chaos-seed${f.seed}.html`, html));
}

async function writeOut(out: string, kind: 'failures' | 'traces', name: string, content: string): Promise<string> {
  const dir = join(out, kind);
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const isEntry = isEntryModule(import.meta.url);
if (isEntry) {
  const tty = process.stderr.isTTY === true && process.env.CI === undefined;
  process.exitCode = await main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    tty,
  });
}
