// What a simulated process's FileSystem (simFs.ts) needs of the world that runs the process, and
// nothing more: the machine it runs on, the gate every call waits at, a trace line and the completion
// hooks for each call that ran, and a kill in the middle of a call (a torn write). The world
// (harness/world/world.ts) provides one per process; simFs/ never reaches into the world itself.
import type { OpenFlags } from '../../src/ports/fileSystem.ts';
import type { SimFsCore } from './simFsCore.ts';

export type OpName =
  | 'open'
  | 'write'
  | 'fsync'
  | 'close'
  | 'readFile'
  | 'rename'
  | 'link'
  | 'unlink'
  | 'mkdir'
  | 'rmdir'
  | 'readdir'
  | 'stat'
  | 'lstat'
  | 'fsyncDir'
  // Calls only foreign code makes (harness/simFs/coreExtras.ts):
  | 'read'
  | 'truncate'
  | 'utimes'
  | 'symlink'
  | 'readlink'
  | 'fstat';

export interface OpDesc {
  readonly op: OpName;
  readonly path: string;
  readonly to?: string;
  readonly flags?: OpenFlags;
  readonly sizeBytes?: number;
  readonly positionBytes?: number;
}

/** What the world does with a call that the scheduler picked. */
export type GateDecision =
  { readonly kind: 'proceed' } | { readonly kind: 'partial-write'; readonly keepBytes: number };

/** One simulated process's view of the world that schedules its calls. */
export interface ProcessKernel {
  readonly pid: number;
  /** The machine the process runs on now; a power loss replaces it. */
  core(): SimFsCore;
  /** Parks `op` until the scheduler picks it. A killed process's call never resolves. */
  gate(op: OpDesc): Promise<GateDecision>;
  /** Records a trace line for the call the gate let run last; `line` is called only when the world keeps a trace. */
  trace(line: () => string): void;
  /** Runs the world's completion hooks for a call that ran: `ok` says whether it succeeded. */
  completed(op: OpDesc, ok: boolean): void;
  /** SIGKILL in the middle of `op`: the call never returns, and nothing of the process runs again. */
  killDuring(op: OpDesc): void;
}
