// Fault, then crash: an environment fault at call k of the pass (an errno, fsync EIO that drops the
// dirty pages, a short write, a full disk), and then a crash at every later point under every crash
// model, each recovered and checked like any crash state. Error paths are where durability code is
// least tested (a cleanup that removes the wrong file, a retry that trusts a failed fsync, a state
// write skipped on the way out); a crash right after one is what exposes them. Fault points are drawn
// from the calls of the fault-free pass, a seeded sample per kind, and reported as `kind#nth`.
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import type { OpName } from '../simFs/simFs.ts';
import { SeededRandom } from '../seededRandom.ts';
import type { World } from '../world/world.ts';
import { errnoFault } from '../faults/errnoFault.ts';
import { fsyncEio } from '../faults/fsyncEio.ts';
import { shortWriteAt } from '../faults/shortWrites.ts';
import { explore, type ExploreOptions, type ExploreViolation } from './explore.ts';

export const POINT_FAULTS = ['eio', 'enospc', 'fsync-eio', 'short-write'] as const;
export type PointFault = (typeof POINT_FAULTS)[number];

/** The calls each fault kind can hit. */
const TARGETS: Record<PointFault, readonly OpName[]> = {
  eio: ['open', 'write', 'fsync', 'rename', 'link', 'unlink', 'mkdir', 'readFile', 'readdir', 'fsyncDir'],
  enospc: ['open', 'write', 'mkdir', 'link'],
  'fsync-eio': ['fsync'],
  'short-write': ['write'],
};

export interface FaultPoint {
  readonly kind: PointFault;
  readonly op: OpName;
  /** 1-based: the nth call of `op` in the pass. */
  readonly nth: number;
  /** 0-based index of that call among all calls of the pass. */
  readonly callIndex: number;
}

/** The decorator that injects `point` into the pass under test (and nothing into its recovery). */
export function pointFault(point: FaultPoint, world: World): (fs: FileSystem) => FileSystem {
  switch (point.kind) {
    case 'eio':
      return errnoFault('EIO', { op: point.op, nth: point.nth });
    case 'enospc':
      return errnoFault('ENOSPC', { op: point.op, nth: point.nth });
    case 'fsync-eio':
      return fsyncEio(world, { nth: point.nth });
    case 'short-write':
      return shortWriteAt(point.nth);
  }
}

/** A seeded sample of fault points of each kind among the pass's calls (all of them if `perKind` allows). */
export function chooseFaultPoints(calls: readonly { op: OpName }[], perKind: number, seed: number): FaultPoint[] {
  const random = new SeededRandom(seed ^ 0x0fa17ed);
  const points: FaultPoint[] = [];
  for (const kind of POINT_FAULTS) {
    const seen = new Map<OpName, number>();
    const eligible: FaultPoint[] = [];
    for (const [callIndex, call] of calls.entries()) {
      const nth = (seen.get(call.op) ?? 0) + 1;
      seen.set(call.op, nth);
      if (TARGETS[kind].includes(call.op)) eligible.push({ kind, op: call.op, nth, callIndex });
    }
    for (let i = 0; i < perKind && eligible.length > 0; i++) points.push(eligible.splice(random.int(eligible.length), 1)[0]!);
  }
  return points.sort((a, b) => a.callIndex - b.callIndex || a.kind.localeCompare(b.kind));
}

export interface FaultExploreResult {
  readonly faultPoints: readonly FaultPoint[];
  readonly crashStates: number;
  readonly distinctStates: number;
  readonly violations: ExploreViolation[];
}

export async function exploreFaultsThenCrash(options: ExploreOptions & { readonly perKind: number }): Promise<FaultExploreResult> {
  const baseline = await explore({ ...options, models: [], onProgress: () => undefined });
  const points = chooseFaultPoints(baseline.victimCalls, options.perKind, options.seed);
  const violations: ExploreViolation[] = [];
  let crashStates = 0;
  let distinctStates = 0;
  for (const point of points) {
    const result = await explore({
      ...options,
      victimFaults: (world) => [pointFault(point, world)],
      crashFromCall: point.callIndex + 1,
      victimMayFail: true,
    });
    crashStates += result.crashStates;
    distinctStates += result.distinctStates;
    for (const v of result.violations) violations.push({ ...v, crashPoint: `${point.kind}#${point.op}${point.nth}+${v.crashPoint}` });
    if (options.stopAtFirst === true && violations.length > 0) break;
  }
  return { faultPoints: points, crashStates, distinctStates, violations };
}
