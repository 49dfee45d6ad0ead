// `npm run bench [-- --quick]`: what users feel, measured side by side in one run and reported as
// ratios (these machines are shared and noisy). Prints a Markdown table; writes the same figures as
// JSON. The options are declared in BENCH_PROGRAM; `--help` is generated from it.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { writeFile as fsWriteFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import writeFileAtomicPeer from 'write-file-atomic';
import { explore } from '../harness/explorer/explore.ts';
import { runCampaign } from '../harness/chaos/campaign.ts';
import { simConfig, SIM_ROOT } from '../harness/workload/simConfig.ts';
import { STANDARD_JOBS, type JobSpec } from '../harness/workload/jobSpec.ts';
import { inputBytes } from '../harness/workload/inputs.ts';
import { buildSetup } from '../harness/workload/setup.ts';
import { computeGolden } from '../harness/oracle/golden.ts';
import { loadRealTree } from '../harness/soak/loadRealTree.ts';
import { checkCrashSafety } from '../harness/invariants/i3CrashSafety.ts';
import { checkIdempotency } from '../harness/invariants/i1Idempotency.ts';
import { nodeFileSystem } from '../src/adapters/nodeFileSystem.ts';
import { cryptoRandom, nodeProcesses, systemClock } from '../src/adapters/systemPorts.ts';
import { defaultHandlers } from '../src/defaultHandlers.ts';
import { writeFileAtomic } from '../src/writeFileAtomic.ts';
import { enqueue } from '../src/enqueue.ts';
import { runPass } from '../src/runnerPass.ts';
import { purge } from '../src/purge.ts';
import { makeConfig } from '../src/config.ts';
import { renderJobState, type JobState } from '../src/jobState.ts';
import type { Io } from '../src/ports/io.ts';
import { fmt, fmtSpread, spread, timeIt, withPeakMemory } from './stats.ts';
import { defaultPolicy } from '../src/defaultPolicy.ts';
import { patchedRuntime, type SourcePatch } from '../harness/bugs/patchedRuntime.ts';
import { realRuntime } from '../harness/world/runtimeEntries.ts';
import { isEntryModule } from '../src/adapters/isEntryModule.ts';
import { flag, program } from '../src/cliSpec.ts';
import { entryArgs, processStreams, type EntryStreams } from '../harness/entryArgs.ts';

export const BENCH_PROGRAM = program({
  name: 'npm run bench --',
  summary:
    'Measures speed and memory side by side in one run, reported as ratios: a Markdown ' +
    'table on stdout, the figures in reports/bench.json.',
  options: {
    quick: flag('fewer repeats and smaller sizes (about a minute), and no CI cost'),
  },
  defaultCommand: 'bench',
  commands: { bench: { summary: 'runs the benchmarks', options: ['quick'] } },
  notes: ['Exit 0: measured; 2: bad arguments.'],
});

const REPO = new URL('..', import.meta.url).pathname;
const results: Record<string, unknown> = {};
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};
const progress = (text: string) => process.stderr.write(`[bench] ${text}\n`);
const realIo = (): Io => ({
  fs: nodeFileSystem,
  clock: systemClock,
  random: cryptoRandom,
  processes: nodeProcesses,
  log: { emit: () => undefined },
  handlers: defaultHandlers,
  policy: defaultPolicy,
});
const jobsOf = (n: number): JobSpec[] =>
  Array.from({ length: n }, (_, i) => ({
    jobId: `j${i}`,
    sessionId: `s${i % 3}`,
    input: (['talk.srt', 'captions.vtt', 'notes.txt', 'song.mp3'] as const)[i % 4]!,
  }));

async function explorerThroughput(quick: boolean): Promise<void> {
  progress('explorer throughput');
  say(
    '\n## Explorer throughput (single process, one core)\n\nEvery crash state is checked for I2 ' +
      'and I6; each distinct one (by fingerprint) is also recovered and checked for I1, I3, I4, I5, ' +
      'I7, and repeats share its verdict; the rerun and purge checks after recovery run once per ' +
      'configuration that recoveries end in. Median (min–max) of the repeats.\n\n| workload | model ' +
      '| crash points | crash states | distinct (recovered) | rerun+purge runs | seconds | crash ' +
      'states/s | recovered states/s |\n|---|---|---|---|---|---|---|---|---|',
  );
  const repeats = quick ? 1 : 3;
  for (const [label, models] of [
    ['process-kill', ['process-kill']],
    ['power-loss', ['lazyfs', 'pessimistic', 'subset']],
  ] as const) {
    const runs = [];
    for (let i = 0; i < repeats; i++)
      runs.push(await explore({ jobs: STANDARD_JOBS, config: simConfig(), seed: 1, models: [...models] }));
    const r = runs[0]!;
    const seconds = spread(runs.map((run) => run.elapsedMs / 1000));
    const perSecond = spread(runs.map((run) => run.crashStates / (run.elapsedMs / 1000)));
    const recoveredPerSecond = spread(runs.map((run) => run.distinctStates / (run.elapsedMs / 1000)));
    say(
      `| standard (4 jobs) | ${label} | ${r.crashPoints} | ${r.crashStates} | ${r.distinctStates} ` +
        `| ${r.afterRecoveryRuns} | ${fmtSpread(seconds)} | ${fmtSpread(perSecond, 0)} | ` +
        `${fmtSpread(recoveredPerSecond, 0)} |`,
    );
    results[`explore.${label}`] = {
      crashPoints: r.crashPoints,
      crashStates: r.crashStates,
      distinctStates: r.distinctStates,
      afterRecoveryRuns: r.afterRecoveryRuns,
      seconds,
      statesPerSecond: perSecond,
      recoveredPerSecond,
    };
  }
  for (const n of quick ? [1, 3] : [1, 3, 10]) {
    const r = await explore({ jobs: jobsOf(n), config: simConfig(), seed: 1, models: ['process-kill'] });
    say(
      `| ${n} job(s) | process-kill | ${r.crashPoints} | ${r.crashStates} | ${r.distinctStates} | ` +
        `${r.afterRecoveryRuns} | ${(r.elapsedMs / 1000).toFixed(2)} | ${(r.crashStates / (r.elapsedMs / 1000)).toFixed(0)} ` +
        `| ${(r.distinctStates / (r.elapsedMs / 1000)).toFixed(0)} |`,
    );
    results[`explore.jobs${n}`] = {
      crashPoints: r.crashPoints,
      crashStates: r.crashStates,
      distinctStates: r.distinctStates,
      afterRecoveryRuns: r.afterRecoveryRuns,
      seconds: r.elapsedMs / 1000,
    };
  }
}

/** Chaos runs on 1 and 2 worker threads, alternated so that both see the same machine. */
async function chaosWorkers(quick: boolean): Promise<void> {
  progress('chaos on worker threads');
  say(
    '\n## Chaos on worker threads\n\nThe same campaign (seed 1) on 1 and 2 worker threads, alternated; ' +
      'its verdicts, counts and trace hashes are identical (test/harness/parallelCampaign.test.ts). ' +
      'Median (min–max).\n\n| workers | runs | crash states | seconds | runs/s | crash ' +
      'states/s |\n|---|---|---|---|---|---|',
  );
  const runs = quick ? 150 : 600;
  const repeats = quick ? 1 : 3;
  const timings = new Map<number, { seconds: number; crashes: number }[]>([
    [1, []],
    [2, []],
  ]);
  for (let i = 0; i < repeats; i++) {
    for (const workers of [1, 2]) {
      const t = performance.now();
      const result = await runCampaign({ runs, seed: 1, config: simConfig(), workers });
      timings.get(workers)!.push({ seconds: (performance.now() - t) / 1000, crashes: result.crashes });
    }
  }
  for (const [workers, list] of timings) {
    const seconds = spread(list.map((x) => x.seconds));
    const crashes = list[0]!.crashes;
    say(
      `| ${workers} | ${runs} | ${crashes} | ${fmtSpread(seconds)} | ${fmtSpread(spread(list.map((x) => runs / x.seconds)), 0)} ` +
        `| ${fmtSpread(spread(list.map((x) => crashes / x.seconds)), 0)} |`,
    );
    results[`chaos.workers${workers}`] = { runs, crashes, seconds };
  }
  const ratio = spread(timings.get(1)!.map((one, i) => one.seconds / timings.get(2)![i]!.seconds));
  say(`\nSpeed-up with 2 workers: ${fmtSpread(ratio)}× (each pair measured back to back).`);
  results['chaos.speedup2'] = ratio;
}

async function realTrial(
  dir: string,
  n: number,
  jobs: JobSpec[],
  golden: Awaited<ReturnType<typeof computeGolden>>,
): Promise<void> {
  const root = join(dir, `trial-${n}`, 'data');
  const io = realIo();
  const config = makeConfig({ root });
  for (const job of jobs)
    await enqueue(io, config, {
      jobId: job.jobId,
      sessionId: job.sessionId,
      inputName: job.input,
      inputBytes: inputBytes(job.input),
    });
  const runner = (killAfterMs?: number) =>
    new Promise<void>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli.ts'), 'run', '--root', root], {
        cwd: REPO,
        stdio: 'ignore',
      });
      if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      child.on('close', () => resolve());
    });
  await runner(450);
  await runner();
  const core = await loadRealTree(root, SIM_ROOT);
  const violations = [...checkCrashSafety(core, golden, simConfig()), ...checkIdempotency(core, golden, simConfig())];
  if (violations.length > 0) throw new Error(`real trial found ${violations[0]!.message}`);
}

async function simVersusReal(quick: boolean): Promise<void> {
  progress('simulation versus real kill');
  const dir = await mkdtemp(join(tmpdir(), 'bench-real-'));
  const jobs = STANDARD_JOBS.slice(0, 2);
  const setup = await buildSetup(jobs, simConfig(), 1);
  const golden = await computeGolden(jobs, simConfig(), setup, 1);
  // The simulated side: the same two jobs, every process-kill crash point, each recovered and checked.
  const simRuns = [];
  for (let i = 0; i < 3; i++)
    simRuns.push(await explore({ jobs, config: simConfig(), seed: 1, models: ['process-kill'] }));
  const perState = spread(simRuns.map((r) => r.elapsedMs / r.crashStates));
  // A full trial each: every distinct crash state recovered, rerun and purged, no verdict shared.
  const fullRuns = [];
  for (let i = 0; i < 3; i++)
    fullRuns.push(
      await explore({ jobs, config: simConfig(), seed: 1, models: ['process-kill'], shareAfterRecovery: false }),
    );
  const perRecovery = spread(fullRuns.map((r) => r.elapsedMs / r.distinctStates));
  let n = 0;
  const real = await timeIt(quick ? 3 : 5, () => realTrial(dir, n++, jobs, golden));
  await rm(dir, { recursive: true, force: true });
  say(
    `\n## Simulation versus a real kill (2 jobs)\n\n| trial | ms per trial | real / simulated |\n|---|---|---|\n| ` +
      `real: spawn the tsx runner, SIGKILL it, recover, check | ${fmtSpread(real)} | |\n| simulated ` +
      `crash state, checked (repeats share a recovery) | ${fmtSpread(perState, 3)} | **${(real.median / perState.median).toFixed(0)}×** ` +
      `|\n| simulated crash state, recovered and checked, rerun and purge included (no verdict shared) ` +
      `| ${fmtSpread(perRecovery, 3)} | **${(real.median / perRecovery.median).toFixed(0)}×** |`,
  );
  results.simVersusReal = {
    simMsPerState: perState,
    simMsPerRecovery: perRecovery,
    realMsPerTrial: real,
    ratioPerState: real.median / perState.median,
    ratioPerRecovery: real.median / perRecovery.median,
  };
}

async function writeCost(quick: boolean): Promise<void> {
  progress('durable write cost');
  const dir = await mkdtemp(join(tmpdir(), 'bench-write-'));
  const io = { fs: nodeFileSystem, random: cryptoRandom };
  say(
    '\n## Durable write cost on the real disk (ms per write, median (min–max))\n\n| size | writeFileAtomic ' +
      '(fsync file + dir) | write-file-atomic@7.0.1 (fsync file, no dir) | fs.writeFile (no fsync) ' +
      '| ours / write-file-atomic |\n|---|---|---|---|---|',
  );
  for (const [label, size] of [
    ['4 KiB', 4096],
    ['1 MiB', 1024 * 1024],
  ] as const) {
    const data = new Uint8Array(size).fill(97);
    const repeats = quick ? 10 : size > 4096 ? 20 : 60;
    const ours = await timeIt(repeats, () => writeFileAtomic(io, join(dir, 'ours.bin'), data));
    const peer = await timeIt(repeats, () => writeFileAtomicPeer(join(dir, 'peer.bin'), Buffer.from(data)));
    const plain = await timeIt(repeats, () => fsWriteFile(join(dir, 'plain.bin'), data));
    say(
      `| ${label} | ${fmtSpread(ours)} | ${fmtSpread(peer)} | ${fmtSpread(plain)} | ${(ours.median / peer.median).toFixed(2)}× |`,
    );
    results[`write.${label}`] = { ours, peer, plain, ratio: ours.median / peer.median };
  }
  await rm(dir, { recursive: true, force: true });
}

/** src/writeFileAtomic.ts with its body replaced by a call of write-file-atomic. */
const PEER_WRITE_PATCHES: readonly SourcePatch[] = [
  {
    file: 'writeFileAtomic.ts',
    find: "import { FileError, JobsError, assert } from './errors.ts';",
    replace: "import { FileError, JobsError, assert } from './errors.ts';\nimport peerWrite from 'write-file-atomic';",
  },
  {
    file: 'writeFileAtomic.ts',
    find: "  const bytes = typeof content === 'string' ? encoder.encode(content) : content;\n  const targetDir",
    replace:
      "  if (targetPath !== '') return void (await peerWrite(targetPath, typeof content === 'string' " +
      "? content : Buffer.from(content)));\n  const bytes = typeof content === 'string' ? encoder.encode(content) " +
      ': content;\n  const targetDir',
  },
];

async function pipelineCost(quick: boolean): Promise<void> {
  progress('whole pipeline cost');
  const jobs = quick ? 6 : 20;
  const runWith = async (variant: 'ours' | 'peer'): Promise<number> => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-pipe-'));
    const config = makeConfig({ root: join(dir, 'data') });
    const io = realIo();
    // The same runtime, its atomic write patched to call write-file-atomic (fsyncs the file, never the directory).
    const runtime = variant === 'ours' ? realRuntime : await patchedRuntime(PEER_WRITE_PATCHES);
    for (let i = 0; i < jobs; i++)
      await enqueue(io, config, {
        jobId: `j${i}`,
        sessionId: `s${i}`,
        inputName: 'talk.srt',
        inputBytes: inputBytes('talk.srt'),
      });
    const t = performance.now();
    await runtime.runPass(io, config);
    const ms = performance.now() - t;
    await rm(dir, { recursive: true, force: true });
    return ms / jobs;
  };
  const ours: number[] = [];
  const peer: number[] = [];
  for (let i = 0; i < (quick ? 2 : 5); i++) {
    ours.push(await runWith('ours'));
    peer.push(await runWith('peer'));
  }
  const o = spread(ours);
  const p = spread(peer);
  say(
    `\n## Whole pipeline, per job (ms, ${jobs} jobs per pass, alternating runs)\n\n| pipeline | ` +
      `ms per job | durable? |\n|---|---|---|\n| durable-jobs (every artifact and state write: fsync ` +
      `file + fsync dir) | ${fmtSpread(o)} | yes, under power loss (I6) |\n| same runtime with write-file-atomic ` +
      `| ${fmtSpread(p)} | no: renames can be lost on power loss |\n| **ratio** | **${(o.median / p.median).toFixed(2)}×** | |`,
  );
  results.pipeline = { ours: o, peer: p, ratio: o.median / p.median };
}

function completeState(jobId: string, sessionId: string, atMs: number): JobState {
  return {
    version: 1,
    jobId,
    sessionId,
    input: 'input.txt',
    status: 'complete',
    stage: 'export',
    createdAt: atMs,
    updatedAt: atMs,
    attempts: 1,
    nextAttemptAt: null,
    error: null,
    artifacts: {},
  };
}

async function idleTree(n: number): Promise<ReturnType<typeof makeConfig>> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-scale-'));
  const config = makeConfig({ root: join(dir, 'data') });
  await mkdir(join(config.root, 'jobs'), { recursive: true });
  await mkdir(join(config.root, 'sessions'), { recursive: true });
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const id = `j${i}`;
    await mkdir(join(config.root, 'jobs', id));
    await writeFile(join(config.root, 'jobs', id, 'state.json'), renderJobState(completeState(id, `s${i % 50}`, now)));
  }
  return config;
}

async function runnerScaling(quick: boolean): Promise<void> {
  progress('runner scaling');
  say(
    '\n## Runner pass scaling (real disk)\n\n| jobs | kind | ms per pass | µs per job ' +
      '| peak RSS MiB | peak heap growth MiB |\n|---|---|---|---|---|---|',
  );
  const sizes = quick ? [100, 1_000] : [100, 1_000, 10_000];
  await idleScaling(sizes);
  await queuedScaling(quick ? [50, 200] : sizes);
  await purgeScaling(quick ? [10_000] : [10_000, 100_000]);
}

/** A pass over n complete jobs: the cost of looking at work that is done. */
async function idleScaling(sizes: readonly number[]): Promise<void> {
  for (const n of sizes) {
    const config = await idleTree(n);
    const t = performance.now();
    const { peakRssMiB, peakHeapGrowthMiB } = await withPeakMemory(() => runPass(realIo(), config));
    const ms = performance.now() - t;
    say(
      `| ${n} | all idle (complete) | ${fmt(ms)} | ${((ms * 1000) / n).toFixed(0)} | ${peakRssMiB.toFixed(0)} ` +
        `| ${peakHeapGrowthMiB.toFixed(1)} |`,
    );
    results[`scaling.idle${n}`] = { ms, usPerJob: (ms * 1000) / n, peakRssMiB, peakHeapGrowthMiB };
    await rm(join(config.root, '..'), { recursive: true, force: true });
  }
}

/** A pass over n queued jobs, each through the whole pipeline. */
async function queuedScaling(sizes: readonly number[]): Promise<void> {
  for (const n of sizes) {
    const dir = await mkdtemp(join(tmpdir(), 'bench-queued-'));
    const config = makeConfig({
      root: join(dir, 'data'),
      concurrency: 4,
      passDeadlineMs: 3600_000,
      maxJobsPerPass: 1_000_000,
    });
    for (let i = 0; i < n; i++)
      await enqueue(realIo(), config, {
        jobId: `j${i}`,
        sessionId: `s${i}`,
        inputName: 'short.txt',
        inputBytes: inputBytes('short.txt'),
      });
    const t = performance.now();
    const { value: summary, peakRssMiB, peakHeapGrowthMiB } = await withPeakMemory(() => runPass(realIo(), config));
    const ms = performance.now() - t;
    if (summary.outcomes.complete !== n)
      throw new Error(`queued pass completed ${summary.outcomes.complete} of ${n} jobs`);
    say(
      `| ${n} | all queued (full pipeline, --concurrency 4) | ${fmt(ms)} | ${((ms * 1000) / n).toFixed(0)} ` +
        `| ${peakRssMiB.toFixed(0)} | ${peakHeapGrowthMiB.toFixed(1)} |`,
    );
    results[`scaling.queued${n}`] = { ms, usPerJob: (ms * 1000) / n, peakRssMiB, peakHeapGrowthMiB };
    await rm(dir, { recursive: true, force: true });
  }
}

/** Purge over a tree of expired jobs holding `files` files. */
async function purgeScaling(counts: readonly number[]): Promise<void> {
  say('\n| purge | files | jobs (sessions) | ms | µs per file | peak heap growth MiB |\n|---|---|---|---|---|---|');
  for (const files of counts) {
    const dir = await mkdtemp(join(tmpdir(), 'bench-purge-'));
    const config = makeConfig({ root: join(dir, 'data'), ttlMs: 1 });
    await mkdir(join(config.root, 'jobs'), { recursive: true });
    const old = Date.now() - 3600_000;
    for (let i = 0; i < files / 5; i++) {
      const jobDir = join(config.root, 'jobs', `j${i}`);
      await mkdir(jobDir);
      await writeFile(join(jobDir, 'state.json'), renderJobState(completeState(`j${i}`, `s${i % 50}`, old)));
      for (const name of ['input.txt', 'transcript.txt', 'draft.md', 'export.html'])
        await writeFile(join(jobDir, name), 'x');
    }
    const t = performance.now();
    const { value: report, peakHeapGrowthMiB } = await withPeakMemory(() => purge(realIo(), config, undefined));
    const ms = performance.now() - t;
    if (report.files !== files) throw new Error(`purge removed ${report.files} of ${files} files`);
    say(
      `| over ${files} files | ${report.files} | ${report.jobs} (50) | ${fmt(ms)} | ${((ms * 1000) / report.files).toFixed(0)} ` +
        `| ${peakHeapGrowthMiB.toFixed(1)} |`,
    );
    results[`purge${files}`] = {
      files: report.files,
      jobs: report.jobs,
      ms,
      usPerFile: (ms * 1000) / report.files,
      peakHeapGrowthMiB,
    };
    await rm(dir, { recursive: true, force: true });
  }
}

function ciCost(quick: boolean): void {
  if (quick) return;
  progress('CI cost (npm run check, npm run chaos)');
  const time = (args: string[]) => {
    const t = performance.now();
    const r = spawnSync('npm', args, { cwd: REPO, stdio: 'ignore' });
    return { seconds: (performance.now() - t) / 1000, code: r.status };
  };
  const check = time(['run', '-s', 'check']);
  const chaos = time(['run', '-s', 'chaos']);
  say(
    `\n## CI cost\n\n| command | seconds | exit |\n|---|---|---|\n| npm run check | ${check.seconds.toFixed(0)} ` +
      `| ${check.code} |\n| npm run chaos (default budget) | ${chaos.seconds.toFixed(0)} | ${chaos.code} |`,
  );
  results.ci = { check, chaos };
}

/** Parses the arguments, then runs every benchmark (none for --help or bad arguments). */
export async function main(argv: readonly string[], streams: EntryStreams): Promise<number> {
  const args = entryArgs(BENCH_PROGRAM, 'bench', argv, streams);
  if (typeof args === 'number') return args;
  await runBenchmarks(args.quick);
  return 0;
}

async function runBenchmarks(quick: boolean): Promise<void> {
  const started = performance.now();
  say(`# durable-jobs benchmarks (${new Date().toISOString()}, node ${process.version}${quick ? ', --quick' : ''})`);
  await explorerThroughput(quick);
  await chaosWorkers(quick);
  await simVersusReal(quick);
  await writeCost(quick);
  await pipelineCost(quick);
  await runnerScaling(quick);
  ciCost(quick);
  const out = join(REPO, 'reports', 'bench.json');
  await mkdir(join(REPO, 'reports'), { recursive: true });
  await writeFile(
    out,
    `${JSON.stringify({ results, markdown: lines.join('\n'), seconds: (performance.now() - started) / 1000 }, null, 2)}\n`,
  );
  say(`\n(${((performance.now() - started) / 1000).toFixed(0)} s; figures as JSON: ${out})`);
}

const isEntry = isEntryModule(import.meta.url);
if (isEntry) process.exitCode = await main(process.argv.slice(2), processStreams);
