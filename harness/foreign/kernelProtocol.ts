import type { MessagePort } from 'node:worker_threads';
import type { NodeStats } from '../simFs/coreExtras.ts';

// The protocol between a foreign process (a worker thread running unmodified code) and the simulated
// kernel in the harness thread. The worker posts one request and blocks (Atomics.wait on a shared
// flag) until the kernel has posted the answer and raised the flag; it then reads the answer
// synchronously (receiveMessageOnPort). So every fs call, sync or async, is one gated call, and a
// paused or killed process simply never gets its answer.

/** A filesystem call: the node:fs name of the primitive and its plain-data arguments. */
export interface FsRequest {
  readonly kind: 'fs';
  readonly op: KernelOp;
  readonly args: readonly unknown[];
}

/** The kernel's primitives; the worker's fs surface (sync, callback, promises) is built from them. */
export type KernelOp =
  | 'open'
  | 'close'
  | 'read'
  | 'write'
  | 'fsync'
  | 'ftruncate'
  | 'fstat'
  | 'readFile'
  | 'rename'
  | 'link'
  | 'unlink'
  | 'mkdir'
  | 'rmdir'
  | 'readdir'
  | 'stat'
  | 'lstat'
  | 'symlink'
  | 'readlink'
  | 'truncate'
  | 'utimes'
  | 'syncDir';

export type KernelRequest =
  | FsRequest
  /** Sleep until the worker's next timer: `forMs` of simulated time (monotonic). */
  | { readonly kind: 'sleep'; readonly forMs: number }
  /** `ack(label)`: what the workload has been told is done (acknowledged means durable). */
  | { readonly kind: 'ack'; readonly label: string }
  /** An event for the workload's check, stamped with simulated time by the kernel. */
  | { readonly kind: 'event'; readonly name: string; readonly data: unknown }
  /** The workload's run finished (error undefined) or failed; the last message of a worker. */
  | {
      readonly kind: 'done';
      readonly error?: { readonly name: string; readonly message: string; readonly stack?: string };
    };

export interface KernelAnswer {
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: {
    readonly code?: string;
    readonly message: string;
    readonly syscall?: string;
    readonly path?: string;
  };
  /** The world's clocks when the answer was sent: the worker's fake clock follows them. */
  readonly wallNowMs: number;
  readonly monoNowMs: number;
}

/** Stats as plain data (a message cannot carry a class); the worker rebuilds fs.Stats objects. */
export type StatsData = NodeStats;

/** What the worker is started with. */
export interface ForeignWorkerData {
  readonly module: string;
  readonly processIndex: number;
  readonly processCount: number;
  readonly mount: string;
  readonly flag: SharedArrayBuffer;
  readonly port: MessagePort;
  readonly wallNowMs: number;
  readonly monoNowMs: number;
  /** Seeds the process's Math.random and crypto randomness. */
  readonly seed: number;
  /** The boot script's entry to import once tsx is registered. */
  readonly entry: string;
}
