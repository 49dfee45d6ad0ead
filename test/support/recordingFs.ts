// A FileSystem decorator for tests: records every call, and lets a test fail or shorten chosen calls,
// or act just before a chosen call reaches the disk (`before`: another process winning a race in the
// window between two of our calls).
import type { FileHandle, FileSystem } from '../../src/ports/fileSystem.ts';
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

export function recordingFs(inner: FileSystem, options: { fail?: FailRule; before?: BeforeRule; maxWriteBytes?: number } = {}): { fs: FileSystem; calls: FsCall[] } {
  const calls: FsCall[] = [];
  const note = async (call: FsCall) => {
    calls.push(call);
    const error = options.fail?.(call);
    if (error !== undefined) throw error;
    await options.before?.(call);
  };
  const fs: FileSystem = {
    async open(path, flags, mode) {
      await note({ op: `open:${flags}`, path });
      const handle = await inner.open(path, flags, mode);
      const wrapped: FileHandle = {
        async write(data, position) {
          const slice = options.maxWriteBytes === undefined ? data : data.subarray(0, options.maxWriteBytes);
          await note({ op: 'write', path, sizeBytes: slice.length });
          return handle.write(slice, position);
        },
        async sync() {
          await note({ op: 'fsync', path });
          return handle.sync();
        },
        async close() {
          await note({ op: 'close', path });
          return handle.close();
        },
      };
      return wrapped;
    },
    async readFile(path) { await note({ op: 'readFile', path }); return inner.readFile(path); },
    async rename(from, to) { await note({ op: 'rename', path: from, to }); return inner.rename(from, to); },
    async link(from, to) { await note({ op: 'link', path: from, to }); return inner.link(from, to); },
    async unlink(path) { await note({ op: 'unlink', path }); return inner.unlink(path); },
    async mkdir(path, o) { await note({ op: 'mkdir', path }); return inner.mkdir(path, o); },
    async rmdir(path) { await note({ op: 'rmdir', path }); return inner.rmdir(path); },
    async readdir(path) { await note({ op: 'readdir', path }); return inner.readdir(path); },
    async stat(path) { await note({ op: 'stat', path }); return inner.stat(path); },
    async lstat(path) { await note({ op: 'lstat', path }); return inner.lstat(path); },
    async syncDir(path) { await note({ op: 'fsyncDir', path }); return inner.syncDir(path); },
  };
  return { fs, calls };
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
export function racingIo(world: { withPid(pid: number, fs?: FileSystem): Io }, pid: number, rules: { before?: BeforeRule; fail?: FailRule }): { io: Io; calls: FsCall[] } {
  const recorded = recordingFs(nodeFileSystem, rules);
  return { io: world.withPid(pid, recorded.fs), calls: recorded.calls };
}
