// A FileSystem decorator for tests: records every call, and lets a test fail or shorten chosen calls,
// or act just before a chosen call reaches the disk (`before`: another process winning a race in the
// window between two of our calls).
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import type { OpDesc } from '../../harness/simFs/processKernel.ts';
import { aroundEveryCall, decorateFileSystem } from '../../harness/faults/decorateFileSystem.ts';
import type { Io } from '../../src/ports/io.ts';
import { nodeFileSystem } from '../../src/adapters/nodeFileSystem.ts';

export interface FsCall {
  op: string;
  path: string;
  to?: string;
  sizeBytes?: number;
}

export type FailRule = (call: FsCall) => NodeJS.ErrnoException | undefined;

export function errno(code: string, syscall = 'write'): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected by test`), { code, syscall });
}

export type BeforeRule = (call: FsCall) => Promise<void> | void;

export function recordingFs(
  inner: FileSystem,
  options: { fail?: FailRule; before?: BeforeRule; maxWriteBytes?: number } = {},
): { fs: FileSystem; calls: FsCall[] } {
  const calls: FsCall[] = [];
  const recorded = aroundEveryCall(inner, async (call, next) => {
    const noted = fsCallOf(call);
    calls.push(noted);
    const error = options.fail?.(noted);
    if (error !== undefined) throw error;
    await options.before?.(noted);
    return next();
  });
  const maxBytes = options.maxWriteBytes;
  if (maxBytes === undefined) return { fs: recorded, calls };
  // Writes are cut before they are recorded: a call records the bytes that reach the disk.
  const fs = decorateFileSystem(recorded, {
    handle: (handle) => ({ write: (data, position) => handle.write(data.subarray(0, maxBytes), position) }),
  });
  return { fs, calls };
}

function fsCallOf(call: OpDesc): FsCall {
  return {
    op: call.op === 'open' ? `open:${call.flags}` : call.op,
    path: call.path,
    ...(call.to !== undefined ? { to: call.to } : {}),
    ...(call.op === 'write' ? { sizeBytes: call.sizeBytes } : {}),
  };
}

/** A rule that matches only the first call `rule` matches (a rival acts once). */
export function firstCall(rule: (call: FsCall) => boolean): (call: FsCall) => boolean {
  let done = false;
  return (call) => {
    if (done || !rule(call)) return false;
    done = true;
    return true;
  };
}

/** An Io for `pid` on the real filesystem whose calls meet a rival (`before`) or a real error (`fail`). */
export function racingIo(
  world: { withPid(pid: number, fs?: FileSystem): Io },
  pid: number,
  rules: { before?: BeforeRule; fail?: FailRule },
): { io: Io; calls: FsCall[] } {
  const recorded = recordingFs(nodeFileSystem, rules);
  return { io: world.withPid(pid, recorded.fs), calls: recorded.calls };
}
