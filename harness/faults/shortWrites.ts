// Short writes: write(2) may write fewer bytes than asked (signals, pipes, NFS, quotas). Every write
// of the process is cut to `maxBytes`; a correct writer loops until every byte is written.
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import { decorateFileSystem } from './decorateFileSystem.ts';

export function shortWrites(maxBytes: number): (fs: FileSystem) => FileSystem {
  return (fs) =>
    decorateFileSystem(fs, {
      handle: (handle) => ({ write: (data, position) => handle.write(data.subarray(0, maxBytes), position) }),
    });
}

/** Only the nth write of the process (1-based) is cut short, to half its bytes (at least one). */
export function shortWriteAt(nth: number): (fs: FileSystem) => FileSystem {
  return (fs) => {
    let writes = 0;
    return decorateFileSystem(fs, {
      handle: (handle) => ({
        write: (data, position) => {
          writes += 1;
          return handle.write(
            writes === nth && data.length > 1 ? data.subarray(0, Math.ceil(data.length / 2)) : data,
            position,
          );
        },
      }),
    });
  };
}
