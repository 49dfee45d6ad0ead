// A foreign process's other sources of nondeterminism, made the world's: Math.random and node:crypto's
// random bytes come from a seeded generator (same seed, same temp-file names, same trace), and
// performance.now / process.hrtime show the world's monotonic clock as of the last kernel answer.
import crypto from 'node:crypto';
import workerThreads from 'node:worker_threads';
import { SeededRandom } from '../../seededRandom.ts';
import type { SyncKernel } from './syncKernel.ts';

export function installSimulatedEntropy(kernel: SyncKernel, seed: number, processIndex: number): void {
  // Libraries mix the thread id into temp-file names (write-file-atomic): a worker's real id would
  // differ from run to run, so each process shows a fixed one.
  const threadId = Object.getOwnPropertyDescriptor(workerThreads, 'threadId');
  if (threadId === undefined || threadId.configurable === true || threadId.writable === true) {
    Object.defineProperty(workerThreads, 'threadId', { value: processIndex + 1, configurable: true, enumerable: true });
  }
  const random = new SeededRandom(seed);
  Math.random = () => random.next() / 0x1_0000_0000;
  const fill = <T extends ArrayBufferView>(view: T): T => {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = random.next() & 0xff;
    return view;
  };
  const randomBytes = (size: number, cb?: (error: Error | null, bytes: Buffer) => void) => {
    const bytes = fill(Buffer.alloc(size));
    if (cb === undefined) return bytes;
    process.nextTick(cb, null, bytes);
    return undefined;
  };
  const replace = (target: object, values: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(values)) {
      const own = Object.getOwnPropertyDescriptor(target, key);
      // A frozen binding (node:crypto's getRandomValues) stays as it is; the web Crypto object's is replaced.
      if (own === undefined || own.configurable === true)
        Object.defineProperty(target, key, { value, configurable: true, writable: true });
    }
  };
  replace(crypto, {
    randomBytes,
    pseudoRandomBytes: randomBytes,
    randomFillSync: fill,
    getRandomValues: fill,
    randomUUID: () => {
      const hex = fill(Buffer.alloc(16)).toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
  });
  replace(globalThis.crypto, { getRandomValues: fill, randomUUID: crypto.randomUUID });
  const monoNs = () => BigInt(Math.round(kernel.monoElapsedMs * 1e6));
  Object.defineProperty(performance, 'now', { value: () => kernel.monoElapsedMs, configurable: true });
  const hrtime = (previous?: [number, number]) => {
    const ns = monoNs() - (previous === undefined ? 0n : BigInt(previous[0]) * 1_000_000_000n + BigInt(previous[1]));
    return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)] as [number, number];
  };
  process.hrtime = Object.assign(hrtime, { bigint: monoNs }) as typeof process.hrtime;
}
