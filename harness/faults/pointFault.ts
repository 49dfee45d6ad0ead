// Faults at one call of a process: the point faults of "fault, then crash" (harness/explorer/
// exploreFaults.ts). Each kind hits the calls it can (an EIO almost any call, an ENOSPC a call that
// allocates, an fsync EIO an fsync, a short write a write), and is named by its call's op and nth.
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import type { OpName } from '../simFs/simFs.ts';
import type { World } from '../world/world.ts';
import { SeededRandom } from '../seededRandom.ts';
import { errnoFault } from './errnoFault.ts';
import { fsyncEio } from './fsyncEio.ts';
import { shortWriteAt } from './shortWrites.ts';

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
    for (let i = 0; i < perKind && eligible.length > 0; i++)
      points.push(eligible.splice(random.int(eligible.length), 1)[0]!);
  }
  return points.sort((a, b) => a.callIndex - b.callIndex || a.kind.localeCompare(b.kind));
}
