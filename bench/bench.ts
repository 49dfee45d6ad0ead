// `npm run bench`: what users feel, measured side by side in one run and reported as ratios (these
// machines are shared and noisy). Prints a Markdown table; writes the same figures as JSON.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { writeFile as fsWriteFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import writeFileAtomicPeer from 'write-file-atomic';
import { explore } from '../harness/explorer/explore.ts';
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
import { fmt, fmtSpread, spread, timeIt } from './stats.ts';

const REPO = new URL('..', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
const results: Record<string, unknown> = {};
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};
const progress = (text: string) => process.stderr.write(`[bench] ${text}\n`);
const realIo = (): Io => ({ fs: nodeFileSystem, clock: systemClock, random: cryptoRandom, processes: nodeProcesses, log: { emit: () => undefined }, handlers: defaultHandlers });
const jobsOf = (n: number): JobSpec[] => Array.from({ length: n }, (_, i) => ({ jobId: `j${i}`, sessionId: `s${i % 3}`, input: (['talk.srt', 'captions.vtt', 'notes.txt', 'song.mp3'] as const)[i % 4]! }));

async function explorerThroughput(): Promise<number> {
  progress('explorer throughput');
  say('\n## Explorer throughput (single process)\n\n| workload | model | crash points | crash states | seconds | states/s |\n|---|---|---|---|---|---|');
  let perTrialMs = 0;
  for (const [label, models] of [['process-kill', ['process-kill']], ['power-loss', ['lazyfs', 'pessimistic', 'subset']]] as const) {
    const r = await explore({ jobs: STANDARD_JOBS, config: simConfig(), seed: 1, models: [...models] });
    const perSecond = r.crashStates / (r.elapsedMs / 1000);
    if (label === 'process-kill') perTrialMs = r.elapsedMs / r.crashStates;
    say(`| standard (4 jobs) | ${label} | ${r.crashPoints} | ${r.crashStates} | ${(r.elapsedMs / 1000).toFixed(1)} | ${perSecond.toFixed(0)} |`);
    results[`explore.${label}`] = { crashPoints: r.crashPoints, crashStates: r.crashStates, seconds: r.elapsedMs / 1000, statesPerSecond: perSecond };
  }
  for (const n of quick ? [1, 3] : [1, 3, 10]) {
    const r = await explore({ jobs: jobsOf(n), config: simConfig(), seed: 1, models: ['process-kill'] });
    say(`| ${n} job(s) | process-kill | ${r.crashPoints} | ${r.crashStates} | ${(r.elapsedMs / 1000).toFixed(1)} | ${(r.crashStates / (r.elapsedMs / 1000)).toFixed(0)} |`);
    results[`explore.jobs${n}`] = { crashPoints: r.crashPoints, crashStates: r.crashStates, seconds: r.elapsedMs / 1000 };
  }
  return perTrialMs;
}

async function realTrial(dir: string, n: number, jobs: JobSpec[], golden: Awaited<ReturnType<typeof computeGolden>>): Promise<void> {
  const root = join(dir, `trial-${n}`, 'data');
  const io = realIo();
  const config = makeConfig({ root });
  for (const job of jobs) await enqueue(io, config, { jobId: job.jobId, sessionId: job.sessionId, inputName: job.input, inputBytes: inputBytes(job.input) });
  const runner = (killAfterMs?: number) => new Promise<void>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli.ts'), 'run', '--root', root], { cwd: REPO, stdio: 'ignore' });
    if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', () => resolve());
  });
  await runner(450);
  await runner();
  const core = await loadRealTree(root, SIM_ROOT);
  const violations = [...checkCrashSafety(core, golden, simConfig()), ...checkIdempotency(core, golden, simConfig())];
  if (violations.length > 0) throw new Error(`real trial found ${violations[0]!.message}`);
}

async function simVersusReal(perTrialSimMs: number): Promise<void> {
  progress('simulation versus real kill');
  const dir = await mkdtemp(join(tmpdir(), 'bench-real-'));
  const jobs = STANDARD_JOBS.slice(0, 2);
  const setup = await buildSetup(jobs, simConfig(), 1);
  const golden = await computeGolden(jobs, simConfig(), setup, 1);
  let n = 0;
  const real = await timeIt(quick ? 3 : 5, () => realTrial(dir, n++, jobs, golden));
  await rm(dir, { recursive: true, force: true });
  say(`\n## Simulation versus a real kill\n\n| trial | ms per trial |\n|---|---|\n| simulated crash state (explore, recovered and checked) | ${fmt(perTrialSimMs)} |\n| real: spawn runner, SIGKILL, recover, check | ${fmtSpread(real)} |\n| **ratio real / simulated** | **${(real.median / perTrialSimMs).toFixed(0)}×** |`);
  results.simVersusReal = { simMsPerTrial: perTrialSimMs, realMsPerTrial: real, ratio: real.median / perTrialSimMs };
}

async function writeCost(): Promise<void> {
  progress('durable write cost');
  const dir = await mkdtemp(join(tmpdir(), 'bench-write-'));
  const io = { fs: nodeFileSystem, random: cryptoRandom };
  say('\n## Durable write cost on the real disk (ms per write, median (min–max))\n\n| size | writeFileAtomic (fsync file + dir) | write-file-atomic@7.0.1 (fsync file, no dir) | fs.writeFile (no fsync) | ours / write-file-atomic |\n|---|---|---|---|---|');
  for (const [label, size] of [['4 KiB', 4096], ['1 MiB', 1024 * 1024]] as const) {
    const data = new Uint8Array(size).fill(97);
    const repeats = quick ? 10 : size > 4096 ? 20 : 60;
    const ours = await timeIt(repeats, () => writeFileAtomic(io, join(dir, 'ours.bin'), data));
    const peer = await timeIt(repeats, () => writeFileAtomicPeer(join(dir, 'peer.bin'), Buffer.from(data)));
    const plain = await timeIt(repeats, () => fsWriteFile(join(dir, 'plain.bin'), data));
    say(`| ${label} | ${fmtSpread(ours)} | ${fmtSpread(peer)} | ${fmtSpread(plain)} | ${(ours.median / peer.median).toFixed(2)}× |`);
    results[`write.${label}`] = { ours, peer, plain, ratio: ours.median / peer.median };
  }
  await rm(dir, { recursive: true, force: true });
}

async function pipelineCost(): Promise<void> {
  progress('whole pipeline cost');
  const jobs = quick ? 6 : 20;
  const runWith = async (variant: 'ours' | 'peer'): Promise<number> => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-pipe-'));
    const config = makeConfig({ root: join(dir, 'data') });
    const base = realIo();
    // The same runtime, its atomic write swapped for write-file-atomic (fsyncs the file, never the directory).
    const io: Io = variant === 'ours' ? base : { ...base, variants: { writeFileAtomic: async (_io, path, content) => writeFileAtomicPeer(path, typeof content === 'string' ? content : Buffer.from(content)) } };
    for (let i = 0; i < jobs; i++) await enqueue(base, config, { jobId: `j${i}`, sessionId: `s${i}`, inputName: 'talk.srt', inputBytes: inputBytes('talk.srt') });
    const t = performance.now();
    await runPass(io, config);
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
  say(`\n## Whole pipeline, per job (ms, ${jobs} jobs per pass, alternating runs)\n\n| pipeline | ms per job | durable? |\n|---|---|---|\n| durable-jobs (every artifact and state write: fsync file + fsync dir) | ${fmtSpread(o)} | yes, under power loss (I6) |\n| same runtime with write-file-atomic | ${fmtSpread(p)} | no: renames can be lost on power loss |\n| **ratio** | **${(o.median / p.median).toFixed(2)}×** | |`);
  results.pipeline = { ours: o, peer: p, ratio: o.median / p.median };
}

function completeState(jobId: string, sessionId: string, atMs: number): JobState {
  return { version: 1, jobId, sessionId, input: 'input.txt', status: 'complete', stage: 'export', createdAt: atMs, updatedAt: atMs, attempts: 1, nextAttemptAt: null, error: null, artifacts: {} };
}

async function runnerScaling(): Promise<void> {
  progress('runner scaling');
  say('\n## Runner pass scaling (real disk)\n\n| jobs | kind | ms per pass | µs per job | peak RSS MiB |\n|---|---|---|---|---|');
  for (const n of quick ? [100, 1_000] : [100, 1_000, 10_000]) {
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
    const t = performance.now();
    await runPass(realIo(), config);
    const ms = performance.now() - t;
    const rss = process.memoryUsage().rss / 2 ** 20;
    say(`| ${n} | all idle (complete) | ${fmt(ms)} | ${((ms * 1000) / n).toFixed(0)} | ${rss.toFixed(0)} |`);
    results[`scaling.idle${n}`] = { ms, usPerJob: (ms * 1000) / n, rssMiB: rss };
    await rm(dir, { recursive: true, force: true });
  }
  for (const n of quick ? [50] : [100, 1_000]) {
    const dir = await mkdtemp(join(tmpdir(), 'bench-queued-'));
    const config = makeConfig({ root: join(dir, 'data'), concurrency: 4 });
    for (let i = 0; i < n; i++) await enqueue(realIo(), config, { jobId: `j${i}`, sessionId: `s${i}`, inputName: 'short.txt', inputBytes: inputBytes('short.txt') });
    const t = performance.now();
    await runPass(realIo(), config);
    const ms = performance.now() - t;
    say(`| ${n} | all queued (full pipeline, --concurrency 4) | ${fmt(ms)} | ${((ms * 1000) / n).toFixed(0)} | ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} |`);
    results[`scaling.queued${n}`] = { ms, usPerJob: (ms * 1000) / n };
    await rm(dir, { recursive: true, force: true });
  }
  const files = quick ? 10_000 : 100_000;
  const dir = await mkdtemp(join(tmpdir(), 'bench-purge-'));
  const config = makeConfig({ root: join(dir, 'data'), ttlMs: 1 });
  await mkdir(join(config.root, 'jobs'), { recursive: true });
  const old = Date.now() - 3600_000;
  for (let i = 0; i < files / 5; i++) {
    const jobDir = join(config.root, 'jobs', `j${i}`);
    await mkdir(jobDir);
    await writeFile(join(jobDir, 'state.json'), renderJobState(completeState(`j${i}`, `s${i % 50}`, old)));
    for (const name of ['input.txt', 'transcript.txt', 'draft.md', 'export.html']) await writeFile(join(jobDir, name), 'x');
  }
  const t = performance.now();
  const report = await purge(realIo(), config, undefined);
  const ms = performance.now() - t;
  say(`\n| purge | ${report.files} files in ${report.jobs} jobs | ${fmt(ms)} ms | ${((ms * 1000) / report.files).toFixed(0)} µs per file | |`);
  results.purge = { files: report.files, jobs: report.jobs, ms };
  await rm(dir, { recursive: true, force: true });
}

function ciCost(): void {
  if (quick) return;
  progress('CI cost (npm run check, npm run chaos)');
  const time = (args: string[]) => {
    const t = performance.now();
    const r = spawnSync('npm', args, { cwd: REPO, stdio: 'ignore' });
    return { seconds: (performance.now() - t) / 1000, code: r.status };
  };
  const check = time(['run', '-s', 'check']);
  const chaos = time(['run', '-s', 'chaos']);
  say(`\n## CI cost\n\n| command | seconds | exit |\n|---|---|---|\n| npm run check | ${check.seconds.toFixed(0)} | ${check.code} |\n| npm run chaos (default budget) | ${chaos.seconds.toFixed(0)} | ${chaos.code} |`);
  results.ci = { check, chaos };
}

const started = performance.now();
say(`# durable-jobs benchmarks (${new Date().toISOString()}, node ${process.version}${quick ? ', --quick' : ''})`);
const perTrialSimMs = await explorerThroughput();
await simVersusReal(perTrialSimMs);
await writeCost();
await pipelineCost();
await runnerScaling();
ciCost();
const out = join(REPO, 'reports', 'bench.json');
await mkdir(join(REPO, 'reports'), { recursive: true });
await writeFile(out, `${JSON.stringify({ results, markdown: lines.join('\n'), seconds: (performance.now() - started) / 1000 }, null, 2)}\n`);
say(`\n(${((performance.now() - started) / 1000).toFixed(0)} s; figures as JSON: ${out})`);
