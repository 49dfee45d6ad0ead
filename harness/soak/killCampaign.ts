// The real SIGKILL campaign (issue 7): real runner processes (node --import tsx src/cli.ts run) on a
// real data root, killed with SIGKILL at seeded moments, then clean passes until quiescent, then the
// judge every simulated recovery goes to (harness/judge/judgeRecovered.ts) on the real tree, loaded
// into a SimFsCore: every job complete or failed with an error, artifacts byte-equal to the simulated
// golden run, no tmp file, no lock, every state.json valid, a rerun and a purge that keep their
// promises; and, from the runners' --log json events, never two holders of one session lock.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFileSystem } from '../../src/adapters/nodeFileSystem.ts';
import { cryptoRandom, nodeProcesses, systemClock } from '../../src/adapters/systemPorts.ts';
import { STANDARD_HANDLERS } from '../workload/handlers.ts';
import { enqueue } from '../../src/enqueue.ts';
import { makeConfig } from '../../src/config.ts';
import { SeededRandom } from '../seededRandom.ts';
import { inputBytes, type InputName } from '../workload/inputs.ts';
import type { JobSpec } from '../workload/jobSpec.ts';
import { simConfig, SIM_ROOT } from '../workload/simConfig.ts';
import { buildSetup } from '../workload/setup.ts';
import { computeGolden } from '../oracle/golden.ts';
import { loadRealTree } from './loadRealTree.ts';
import { judgeRecovered } from '../judge/judgeRecovered.ts';
import { World } from '../world/world.ts';
import { checkAtomicity } from '../invariants/i2Atomicity.ts';
import type { Violation } from '../invariants/violation.ts';
import { defaultPolicy } from '../../src/defaultPolicy.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface SoakOptions {
  readonly kills: number;
  readonly seed: number;
  /** Runners started together each round (more than one: the concurrent soak). */
  readonly runnersPerRound: number;
  readonly onProgress?: (line: string) => void;
}

export interface SoakReport {
  readonly kills: number;
  readonly killsByStage: Record<string, number>;
  readonly runnerStarts: number;
  readonly jobs: number;
  readonly violations: Violation[];
  readonly elapsedMs: number;
}

interface Event {
  readonly event: string;
  readonly pid: number;
  readonly monoNs: string;
  readonly [key: string]: unknown;
}

function startRunner(
  root: string,
  extra: string[] = [],
): { pid: number; events: Event[]; kill: () => void; done: Promise<number | null>; exited: () => boolean } {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(REPO, 'src/cli.ts'),
      'run',
      '--root',
      root,
      '--log',
      'json',
      '--concurrency',
      '2',
      ...extra,
    ],
    { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const events: Event[] = [];
  let partial = '';
  child.stderr.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) events.push(JSON.parse(line) as Event);
  });
  let exited = false;
  return {
    pid: child.pid ?? -1,
    events,
    kill: () => child.kill('SIGKILL'),
    done: new Promise((resolve) =>
      child.on('close', (code) => {
        exited = true;
        resolve(code);
      }),
    ),
    exited: () => exited || child.exitCode !== null,
  };
}

/** Where a runner was when it died: the stage it had started and not finished, or what it was doing. */
function stageAtDeath(events: readonly Event[]): string {
  const open = new Map<string, string>();
  for (const e of events) {
    const key = String(e.jobId ?? '');
    if (e.event === 'stage.start') open.set(key, String(e.stage));
    if (
      e.event === 'stage.done' ||
      e.event === 'stage.skipped' ||
      e.event === 'job.failed' ||
      e.event === 'job.retry_scheduled'
    )
      open.delete(key);
  }
  if (open.size > 0) return [...open.values()].sort().join('+');
  const last = events[events.length - 1];
  return last === undefined ? 'startup' : `after ${last.event}`;
}

/** What a campaign has done so far. */
interface Soak {
  readonly root: string;
  readonly random: SeededRandom;
  readonly jobs: JobSpec[];
  readonly events: Event[];
  readonly killsByStage: Record<string, number>;
  kills: number;
  starts: number;
}

const INPUTS: readonly InputName[] = ['large.txt', 'notes.txt', 'talk.srt', 'captions.vtt', 'song.mp3'];

/** Six more jobs over three sessions, with seeded inputs (some of which must fail). */
async function addBatch(soak: Soak): Promise<void> {
  const config = makeConfig({ root: soak.root });
  const io = {
    fs: nodeFileSystem,
    clock: systemClock,
    random: cryptoRandom,
    processes: nodeProcesses,
    log: { emit: () => undefined },
    handlers: STANDARD_HANDLERS,
    policy: defaultPolicy,
  };
  for (let i = 0; i < 6; i++) {
    const spec: JobSpec = {
      jobId: `j${soak.jobs.length}`,
      sessionId: `s${soak.jobs.length % 3}`,
      input: INPUTS[soak.random.int(INPUTS.length)]!,
    };
    await enqueue(io, config, {
      jobId: spec.jobId,
      sessionId: spec.sessionId,
      inputName: spec.input,
      inputBytes: inputBytes(spec.input),
    });
    soak.jobs.push(spec);
  }
}

/** Runners started together, each SIGKILLed at a seeded moment after its pass started (or let finish). */
async function killRound(soak: Soak, runnersPerRound: number): Promise<void> {
  // A job killed maxAttempts times fails on purpose (a poison job must not kill runners forever);
  // at this kill rate that would be most jobs, so the campaign allows many attempts.
  const runners = Array.from({ length: runnersPerRound }, () => startRunner(soak.root, ['--max-attempts', '100']));
  soak.starts += runners.length;
  await Promise.all(
    runners.map(async (runner) => {
      const delayMs = soak.random.int(200);
      const waitedMs = await waitForPassStart(runner.events, 15_000);
      if (waitedMs >= 0) await new Promise((r) => setTimeout(r, delayMs));
      if (!runner.exited()) {
        runner.kill();
        soak.kills += 1;
        const stage = stageAtDeath(runner.events);
        soak.killsByStage[stage] = (soak.killsByStage[stage] ?? 0) + 1;
      }
      await runner.done;
      soak.events.push(...runner.events);
    }),
  );
}

export async function runKillCampaign(options: SoakOptions): Promise<SoakReport> {
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'durable-jobs-soak-'));
  const root = join(dir, 'data');
  const soak: Soak = {
    root,
    random: new SeededRandom(options.seed),
    jobs: [],
    events: [],
    killsByStage: {},
    kills: 0,
    starts: 0,
  };
  try {
    await addBatch(soak);
    for (let round = 0; soak.kills < options.kills; round++) {
      if (round > options.kills * 4)
        throw new Error(`only ${soak.kills} of ${options.kills} kills landed in ${round} rounds`);
      await killRound(soak, options.runnersPerRound);
      options.onProgress?.(`[soak] round ${round + 1}: ${soak.kills}/${options.kills} kills\n`);
      if (await allSettled(root, soak.jobs)) await addBatch(soak);
    }
    // Clean passes until quiescent. The simulation moves its clock past the stale bound before
    // recovery; here time really passes: wait, then run with a stale bound shorter than the wait.
    await new Promise((r) => setTimeout(r, 2_500));
    for (let pass = 0; pass < 10 && (pass === 0 || !(await allSettled(root, soak.jobs))); pass++) {
      const runner = startRunner(root, ['--max-attempts', '100', '--stale-after-ms', '2000']);
      await runner.done;
      soak.events.push(...runner.events);
    }
    const violations = await checkTree(root, soak.jobs);
    violations.push(...sessionOverlaps(soak.events));
    const { kills, killsByStage, starts } = soak;
    return {
      kills,
      killsByStage,
      runnerStarts: starts,
      jobs: soak.jobs.length,
      violations,
      elapsedMs: performance.now() - started,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function waitForPassStart(events: readonly Event[], timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  while (!events.some((e) => e.event === 'pass.start' || e.event === 'lock.busy')) {
    if (performance.now() - t0 > timeoutMs) return -1;
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - t0;
}

async function allSettled(root: string, jobs: readonly JobSpec[]): Promise<boolean> {
  const core = await loadRealTree(root, SIM_ROOT);
  const { readCoreState } = await import('../oracle/coreFiles.ts');
  return jobs.every((job) => {
    try {
      const status = readCoreState(core, simConfig(), job.jobId)?.status;
      return status === 'complete' || status === 'failed';
    } catch {
      return true;
    }
  });
}

async function checkTree(root: string, jobs: readonly JobSpec[]): Promise<Violation[]> {
  const config = simConfig();
  const setup = await buildSetup(jobs, config, 1);
  const golden = await computeGolden(jobs, config, setup, 1);
  const core = await loadRealTree(root, SIM_ROOT);
  const atomicity = checkAtomicity(core, golden, config);
  // The real tree goes to the same judge as a simulated recovery (its rerun and purge run the product
  // over it in simulation); the real runners' events are judged by sessionOverlaps below.
  const world = new World({ seed: 1, core, startMs: Date.now(), trace: false });
  const verdict = await judgeRecovered({ world, config, golden, recoveryErrors: [], owed: {} });
  return [...verdict.violations, ...atomicity];
}

/** I4 from the events: intervals of each session-lock token must not overlap on one session. */
function sessionOverlaps(events: readonly Event[]): Violation[] {
  const sorted = [...events].sort((a, b) => (BigInt(a.monoNs) < BigInt(b.monoNs) ? -1 : 1));
  const open = new Map<string, { session: string; pid: number; from: bigint }>();
  const intervals: { session: string; token: string; pid: number; from: bigint; to: bigint }[] = [];
  for (const e of sorted) {
    if (e.lock !== 'session' || typeof e.token !== 'string') continue;
    if (e.event === 'lock.acquired')
      open.set(e.token, { session: String(e.sessionId), pid: e.pid, from: BigInt(e.monoNs) });
    if (['lock.released', 'lock.lost', 'lock.reaped'].includes(e.event) && open.has(e.token)) {
      intervals.push({ ...open.get(e.token)!, token: e.token, to: BigInt(e.monoNs) });
      open.delete(e.token);
    }
  }
  const out: Violation[] = [];
  for (const [i, a] of intervals.entries()) {
    for (const b of intervals.slice(i + 1)) {
      if (a.session === b.session && a.from < b.to && b.from < a.to)
        out.push({
          invariant: 'I4',
          message: `session ${a.session}: pid ${a.pid} and pid ${b.pid} held its lock at the same time`,
        });
    }
  }
  return out;
}
