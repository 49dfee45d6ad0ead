// Disk full. A quota of bytes shared by every process of the world: a write that crosses it writes
// what still fits (a short write) and the next write fails with ENOSPC, as a real filesystem does.
// Freeing space (the quota raised) lets later writes succeed: the transient fault clears.
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import { injectedError } from './faultRule.ts';
import { decorateFileSystem } from './decorateFileSystem.ts';

export class DiskQuota {
  constructor(public remainingBytes: number) {}

  free(bytes = Number.MAX_SAFE_INTEGER): void {
    this.remainingBytes = bytes;
  }
}

export function diskFull(quota: DiskQuota): (fs: FileSystem) => FileSystem {
  return (fs) =>
    decorateFileSystem(fs, {
      handle: (handle, path) => ({
        write: async (data, position) => {
          if (quota.remainingBytes <= 0) throw injectedError('ENOSPC', { fault: 'disk-full', op: 'write', path });
          const fits = Math.min(data.length, quota.remainingBytes);
          const written = await handle.write(data.subarray(0, fits), position);
          quota.remainingBytes -= written;
          return written;
        },
      }),
    });
}
