// A FileSystem decorator for tests: records every call, and lets a test fail or shorten chosen calls.
import type { FileHandle, FileSystem } from '../../src/ports/fileSystem.ts';

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

export function recordingFs(inner: FileSystem, options: { fail?: FailRule; maxWriteBytes?: number } = {}): { fs: FileSystem; calls: FsCall[] } {
  const calls: FsCall[] = [];
  const note = (call: FsCall) => {
    calls.push(call);
    const error = options.fail?.(call);
    if (error !== undefined) throw error;
  };
  const fs: FileSystem = {
    async open(path, flags, mode) {
      note({ op: `open:${flags}`, path });
      const handle = await inner.open(path, flags, mode);
      const wrapped: FileHandle = {
        async write(data, position) {
          const slice = options.maxWriteBytes === undefined ? data : data.subarray(0, options.maxWriteBytes);
          note({ op: 'write', path, sizeBytes: slice.length });
          return handle.write(slice, position);
        },
        async sync() {
          note({ op: 'fsync', path });
          return handle.sync();
        },
        async close() {
          note({ op: 'close', path });
          return handle.close();
        },
      };
      return wrapped;
    },
    async readFile(path) { note({ op: 'readFile', path }); return inner.readFile(path); },
    async rename(from, to) { note({ op: 'rename', path: from, to }); return inner.rename(from, to); },
    async link(from, to) { note({ op: 'link', path: from, to }); return inner.link(from, to); },
    async unlink(path) { note({ op: 'unlink', path }); return inner.unlink(path); },
    async mkdir(path, o) { note({ op: 'mkdir', path }); return inner.mkdir(path, o); },
    async rmdir(path) { note({ op: 'rmdir', path }); return inner.rmdir(path); },
    async readdir(path) { note({ op: 'readdir', path }); return inner.readdir(path); },
    async stat(path) { note({ op: 'stat', path }); return inner.stat(path); },
    async lstat(path) { note({ op: 'lstat', path }); return inner.lstat(path); },
    async syncDir(path) { note({ op: 'fsyncDir', path }); return inner.syncDir(path); },
  };
  return { fs, calls };
}
