// The harness for code it did not write. A workload is any async function that uses node:fs on
// paths under MOUNT; it runs unmodified in a simulated process (through the fs shim), the filesystem
// is recorded before each of its calls, and every recorded state is turned into the crash state of
// each model and handed to the user's check. `ack(label)` marks what the workload has been told is
// done, so a check can demand that it survive (acknowledged means durable).
import { World, type SpawnOptions } from '../world/world.ts';
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import { SimFsCore } from '../simFs/simFsCore.ts';
import { cloneCoreExact } from '../simFs/cloneCore.ts';
import { crashState, type CrashModel } from '../simFs/crashStates.ts';
import { SeededRandom } from '../seededRandom.ts';
import { installFsShim, MOUNT } from './fsShim.ts';

export type ForeignModel = 'process-kill' | 'lazyfs' | 'pessimistic' | 'subset';

export interface CrashView {
  /** The file's content in this crash state (a MOUNT path or a simulated path), or undefined. */
  read(path: string): string | undefined;
}

export interface ForeignWorkload {
  readonly name: string;
  /** Files present and durable before the workload starts (simulated paths, e.g. `/db/data.json`). */
  readonly files?: Readonly<Record<string, string>>;
  readonly run: (ctx: { readonly mount: string; ack(label: string): void }) => Promise<void>;
  /** Problems with one crash state, given what had been acknowledged by then. */
  readonly check: (state: CrashView, acked: ReadonlySet<string>) => string[];
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
  readonly workloadError: unknown;
}

export interface ForeignRecording {
  readonly states: SimFsCore[];
  readonly ackedAt: Set<string>[];
  readonly opLines: string[];
  readonly workloadError: unknown;
}

/** Runs the workload once in a fresh world (optionally with fault decorators) and keeps every state. */
export async function recordForeign(
  workload: ForeignWorkload,
  options: { seed: number; decorate?: (world: World) => SpawnOptions['decorate'] },
): Promise<ForeignRecording> {
  const core = new SimFsCore(() => 0);
  for (const [path, text] of Object.entries(workload.files ?? {})) {
    core.mkdir(path.slice(0, path.lastIndexOf('/')) || '/', true);
    const handle = core.open(path, 'wx');
    core.write(handle, new TextEncoder().encode(text), 0);
  }
  core.syncAll();
  const world = new World({ seed: options.seed, core });
  const states: SimFsCore[] = [];
  const ackedAt: Set<string>[] = [];
  const acked = new Set<string>();
  let processFs: FileSystem | undefined;
  const shim = installFsShim(() => {
    if (processFs === undefined) throw new Error('durable-jobs fs shim: no simulated process is running');
    return processFs;
  });
  let workloadError: unknown;
  try {
    const proc = world.spawn(workload.name, async (io) => {
      processFs = io.fs;
      await workload.run({ mount: MOUNT, ack: (label) => acked.add(label) });
    }, { decorate: options.decorate?.(world) ?? [] });
    world.observers.push((process) => {
      if (process !== proc) return;
      states.push(cloneCoreExact(world.core));
      ackedAt.push(new Set(acked));
    });
    await world.run();
    workloadError = proc.error;
  } finally {
    shim.uninstall();
  }
  states.push(cloneCoreExact(world.core));
  ackedAt.push(new Set(acked));
  return { states, ackedAt, opLines: world.trace.lines.filter((l) => l.startsWith('#')), workloadError };
}

export function crashView(crashed: SimFsCore): CrashView {
  return {
    read(path) {
      const p = path.startsWith(MOUNT) ? path.slice(MOUNT.length) : path;
      try {
        return new TextDecoder().decode(crashed.readFile(p));
      } catch {
        return undefined;
      }
    },
  };
}

export function modelOf(model: ForeignModel, random: SeededRandom): CrashModel {
  return model === 'subset' ? { kind: 'subset', random: random.fork() } : { kind: model };
}

export async function exploreForeign(workload: ForeignWorkload, options: { seed?: number; models?: readonly ForeignModel[]; subsetsPerPoint?: number } = {}): Promise<ForeignResult> {
  const seed = options.seed ?? 1;
  const { states, ackedAt, opLines, workloadError } = await recordForeign(workload, { seed });
  const random = new SeededRandom(seed ^ 0x5eed);
  const findings: ForeignFinding[] = [];
  let crashStates = 0;
  for (const [k, state] of states.entries()) {
    for (const model of options.models ?? ['process-kill', 'lazyfs', 'pessimistic']) {
      const runs = model === 'subset' ? options.subsetsPerPoint ?? 4 : 1;
      for (let r = 0; r < runs; r++) {
        const crashed = crashState(state, modelOf(model, random));
        crashStates += 1;
        for (const message of workload.check(crashView(crashed), ackedAt[k]!)) {
          findings.push({ model, crashPoint: k, message, trace: [...opLines.slice(0, k), `>>> ${model} crash here (before call ${k})`].join('\n') });
        }
      }
    }
  }
  return { calls: states.length - 1, crashStates, findings, workloadError };
}
