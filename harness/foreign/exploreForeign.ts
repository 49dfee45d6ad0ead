// The harness for code it did not write. A workload is any async function that uses node:fs on
// paths under MOUNT; it runs unmodified in a simulated process (through the fs shim), the filesystem
// is recorded before each of its calls, and every recorded state is turned into the crash state of
// each model and handed to the user's check. `ack(label)` marks what the workload has been told is
// done, so a check can demand that it survive (acknowledged means durable).
import { pathToFileURL } from 'node:url';
import { resolve as resolvePath } from 'node:path';
import { World, type SimProcess, type SpawnOptions } from '../world/world.ts';
import { listedChoices, seededChoices } from '../world/choiceSource.ts';
import { SimFsCore } from '../simFs/simFsCore.ts';
import { cloneCoreExact } from '../simFs/cloneCore.ts';
import { crashState, type CrashModel } from '../simFs/crashStates.ts';
import { SeededRandom } from '../seededRandom.ts';
import type { CrashView, ForeignEvent, ForeignWorkload } from './foreignWorkload.ts';
import { HARNESS_ERRORS, spawnForeignProcess, type ForeignRunLog } from './foreignProcess.ts';

export type { CrashView, ForeignWorkload } from './foreignWorkload.ts';
export const MOUNT = '/__simfs__';
/** Simulated time a foreign run may take before it counts as hung. */
const MAX_RUN_SIM_MS = 24 * 3600_000;
/** Calls a foreign run may make before it counts as hung (a livelock: a loop polling forever). */
export const MAX_RUN_CALLS = 10_000;

export type ForeignModel = 'process-kill' | 'lazyfs' | 'pessimistic' | 'subset';

/**
 * How the processes of one run are interleaved and disturbed: the scheduler's picks at each gated
 * call (then the seed's), SIGSTOP pauses of one process after its n-th call, and steps of the wall
 * clock at a simulated time from the start. The campaign draws these and shrinks them.
 */
export interface ForeignSchedule {
  readonly choices?: readonly number[];
  /** SIGSTOP a process for `durationMs` once it has made `afterCalls` calls (inside whatever it holds). */
  readonly pauses?: readonly {
    readonly processIndex: number;
    readonly afterCalls: number;
    readonly durationMs: number;
  }[];
  readonly clockSteps?: readonly { readonly atMs: number; readonly deltaMs: number }[];
}

export interface ForeignFinding {
  readonly model: ForeignModel;
  readonly crashPoint: number;
  readonly message: string;
  /** The workload's calls up to the crash point, with the crash marked. */
  readonly trace: string;
}

export interface ForeignResult {
  readonly calls: number;
  readonly crashStates: number;
  readonly findings: ForeignFinding[];
  /** Why the run itself failed (a throw, a refused call, a hang, a failed checkRun), or undefined. */
  readonly workloadError: string | undefined;
}

export interface ForeignRecording {
  readonly workload: ForeignWorkload;
  readonly states: SimFsCore[];
  readonly ackedAt: Set<string>[];
  readonly eventsAt: number[];
  readonly events: readonly ForeignEvent[];
  readonly opLines: string[];
  /** The whole trace of the run: calls, pauses, clock steps, kills and exits. */
  readonly traceLines: readonly string[];
  /** The run could not be judged: a hang, a refused call, an uncaught exception, a failed checkRun. */
  readonly harnessFailures: string[];
  /** A process whose run() rejected (with an injected fault, that may be honest behaviour). */
  readonly thrown: string[];
  /** Both of the above, one per line, or undefined if the run finished cleanly. */
  readonly workloadError: string | undefined;
}

/** A workload module: its default export, loaded once here (for its files and checks). */
export async function loadWorkload(modulePath: string): Promise<ForeignWorkload> {
  const loaded = (await import(pathToFileURL(resolvePath(modulePath)).href)) as { default?: ForeignWorkload };
  const workload = loaded.default;
  if (typeof workload?.run !== 'function' || typeof workload.check !== 'function')
    throw new Error(`${modulePath}: its default export has no run and check functions`);
  return workload;
}

function seedCore(workload: ForeignWorkload): SimFsCore {
  const core = new SimFsCore(() => 0);
  for (const dir of workload.dirs ?? []) core.mkdir(dir, true);
  for (const [path, seeded] of Object.entries(workload.files ?? {})) {
    core.mkdir(path.slice(0, path.lastIndexOf('/')) || '/', true);
    const handle = core.open(path, 'wx');
    core.write(handle, new TextEncoder().encode(typeof seeded === 'string' ? seeded : seeded.text), 0);
    const mtimeMs = typeof seeded === 'string' ? undefined : seeded.mtimeMs;
    if (mtimeMs !== undefined) core.node(handle.ino).mtimeMs = mtimeMs;
  }
  core.syncAll();
  return core;
}

/**
 * Runs the workload once in a fresh world, each of its processes a fresh worker thread, optionally
 * with fault decorators; keeps the filesystem before every call. The run fails (workloadError) if a
 * process threw, hung or was stuck, if any call was refused, or if checkRun found a problem.
 */
export async function recordForeign(
  modulePath: string,
  options: { seed: number; decorate?: (world: World) => SpawnOptions['decorate']; schedule?: ForeignSchedule },
): Promise<ForeignRecording> {
  const workload = await loadWorkload(modulePath);
  const schedule = options.schedule ?? {};
  const choices =
    schedule.choices === undefined ? undefined : listedChoices(schedule.choices, seededChoices(options.seed));
  const world = new World({
    seed: options.seed,
    core: seedCore(workload),
    ...(choices === undefined ? {} : { choices }),
  });
  const log: ForeignRunLog = { events: [], acked: new Set(), refusals: [], terminations: [] };
  const states: SimFsCore[] = [];
  const ackedAt: Set<string>[] = [];
  const eventsAt: number[] = [];
  const keep = () => {
    states.push(cloneCoreExact(world.core));
    ackedAt.push(new Set(log.acked));
    eventsAt.push(log.events.length);
  };
  let calls = 0;
  world.observers.push(() => {
    keep();
    calls += 1;
    if (calls === MAX_RUN_CALLS)
      stopAll(world, processes, `hang: no end after ${MAX_RUN_CALLS} calls (a loop that polls forever?)`);
  });
  const count = workload.processes ?? 1;
  const processes = Array.from({ length: count }, (_, processIndex) =>
    spawnForeignProcess(world, {
      module: resolvePath(modulePath),
      mount: MOUNT,
      processIndex,
      processCount: count,
      seed: options.seed * 31 + processIndex,
      log,
      decorate: options.decorate?.(world) ?? [],
    }),
  );
  disturb(world, processes, schedule);
  world.at(MAX_RUN_SIM_MS, 'foreign run deadline', () =>
    stopAll(world, processes, `hang: still running after ${MAX_RUN_SIM_MS / 3600_000} h of simulated time`),
  );
  await world.run();
  await Promise.allSettled(log.terminations);
  keep();
  const { harnessFailures, thrown } = runFailures(world, processes, log, workload);
  const all = [...harnessFailures, ...thrown];
  return {
    workload,
    states,
    ackedAt,
    eventsAt,
    events: log.events,
    opLines: world.trace.lines.filter((l) => l.startsWith('#')),
    traceLines: [...world.trace.lines],
    harnessFailures,
    thrown,
    workloadError: all.length === 0 ? undefined : all.join('\n'),
  };
}

/**
 * What went wrong in a run: the harness's own failures (a refused call, a hang, a process that did not
 * exit; then the workload's checkRun, only when the run itself was sound) apart from what the
 * workload's processes threw.
 */
function runFailures(
  world: World,
  processes: readonly SimProcess[],
  log: ForeignRunLog,
  workload: ForeignWorkload,
): { harnessFailures: string[]; thrown: string[] } {
  const harnessFailures: string[] = [];
  const thrown: string[] = [];
  for (const p of processes) {
    const isHarness = p.error instanceof Error && HARNESS_ERRORS.has(p.error.name);
    if (p.error !== undefined) (isHarness ? harnessFailures : thrown).push(`process ${p.name}: ${errorText(p.error)}`);
    else if (p.status !== 'exited') harnessFailures.push(`process ${p.name}: ${p.status}`);
  }
  harnessFailures.push(...log.refusals.map((r) => `refused: ${r}`));
  if (harnessFailures.length === 0) {
    harnessFailures.push(
      ...(workload.checkRun?.(log.events, crashView(world.core)) ?? []).map((m) => `checkRun: ${m}`),
    );
  }
  return { harnessFailures, thrown };
}

function stopAll(world: World, processes: readonly SimProcess[], reason: string): void {
  for (const process of processes) {
    if (!process.alive) continue;
    process.error = Object.assign(new Error(reason), { name: 'WorkloadHang' });
    world.kill(process, 'deadline');
  }
}

function disturb(world: World, processes: readonly SimProcess[], schedule: ForeignSchedule): void {
  for (const pause of schedule.pauses ?? []) {
    const target = processes[pause.processIndex % processes.length]!;
    let calls = 0;
    world.observers.push((process) => {
      if (process !== target || ++calls !== pause.afterCalls) return;
      world.at(0, `pause p${target.pid}`, () => world.pause(target, pause.durationMs));
    });
  }
  for (const step of schedule.clockSteps ?? [])
    world.at(step.atMs, 'clock step', () => world.stepWallClock(step.deltaMs));
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function crashView(crashed: SimFsCore): CrashView {
  const sim = (path: string) => (path.startsWith(MOUNT) ? path.slice(MOUNT.length) || '/' : path);
  return {
    read(path) {
      try {
        return new TextDecoder().decode(crashed.readFile(sim(path)));
      } catch {
        return undefined;
      }
    },
    list(path) {
      try {
        return crashed.readdir(sim(path));
      } catch {
        return undefined;
      }
    },
    kind(path) {
      const node = crashed.resolve(sim(path), 'lstat', false);
      return node?.kind;
    },
  };
}

export function modelOf(model: ForeignModel, random: SeededRandom): CrashModel {
  return model === 'subset' ? { kind: 'subset', random: random.fork() } : { kind: model };
}

/** Runs the workload once and hands the crash state of every model at every call to its check. */
export async function exploreForeign(
  modulePath: string,
  options: { seed?: number; models?: readonly ForeignModel[]; subsetsPerPoint?: number } = {},
): Promise<ForeignResult> {
  const seed = options.seed ?? 1;
  const { workload, states, ackedAt, eventsAt, events, opLines, workloadError } = await recordForeign(modulePath, {
    seed,
  });
  const random = new SeededRandom(seed ^ 0x5eed);
  const findings: ForeignFinding[] = [];
  let crashStates = 0;
  for (const [k, state] of states.entries()) {
    for (const model of options.models ?? ['process-kill', 'lazyfs', 'pessimistic']) {
      const runs = model === 'subset' ? (options.subsetsPerPoint ?? 4) : 1;
      for (let r = 0; r < runs; r++) {
        const crashed = crashState(state, modelOf(model, random));
        crashStates += 1;
        for (const message of workload.check(crashView(crashed), ackedAt[k]!, events.slice(0, eventsAt[k]))) {
          findings.push({
            model,
            crashPoint: k,
            message,
            trace: [...opLines.slice(0, k), `>>> ${model} crash here (before call ${k})`].join('\n'),
          });
        }
      }
    }
  }
  return { calls: states.length - 1, crashStates, findings, workloadError };
}
