// The simulated machine's node:fs/promises: the calls the production FileSystem adapter makes
// (src/adapters/nodeFileSystem.ts), answered by a simulated process's FileSystem, so the adapter's
// flag bits, stats mapping, short-write handling and directory fsync run for real over SimFs. Open
// flags are decoded as Linux reads them, strictly: a combination the simulated kernel does not model
// fails loudly rather than being guessed. Opening a directory (O_DIRECTORY) changes nothing on disk:
// the fsync of its descriptor is the one call, the directory fsync of the port.
import type { FileStats, FileSystem, OpenFlags } from '../../src/ports/fileSystem.ts';
import {
  OPEN_BITS,
  type PlatformFileHandle,
  type PlatformFs,
  type PlatformStats,
} from '../../src/adapters/platform.ts';
import { simError } from './simErrors.ts';

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY } = OPEN_BITS;

/** The O_* combinations the kernel models, as the port's flags. */
const OPEN_FLAGS: ReadonlyMap<number, OpenFlags> = new Map([
  [O_RDONLY, 'r'],
  [O_RDWR, 'r+'],
  [O_WRONLY | O_CREAT | O_TRUNC, 'w'],
  [O_WRONLY | O_CREAT | O_EXCL, 'wx'],
]);

function toPlatformStats(stats: FileStats): PlatformStats {
  return {
    isFile: () => stats.isFile,
    isDirectory: () => stats.isDirectory,
    isSymbolicLink: () => stats.isSymbolicLink,
    size: stats.sizeBytes,
    mtimeMs: stats.mtimeMs,
  };
}

function refused(flags: number): Error {
  return Object.assign(new Error(`simulated kernel: open flags 0o${flags.toString(8)} are not modelled`), {
    code: 'ERR_DURABLE_JOBS_REFUSED',
  });
}

/**
 * node:fs/promises over `fs`. `kindOf` peeks at what a path names (no call, no time): the check an
 * open of a directory makes.
 */
export function platformFsOver(fs: FileSystem, kindOf: (path: string) => string | undefined): PlatformFs {
  const openDirectory = (path: string): PlatformFileHandle => {
    const kind = kindOf(path);
    if (kind === undefined) throw simError('ENOENT', 'open', path);
    if (kind !== 'dir') throw simError('ENOTDIR', 'open', path);
    return {
      write: () => Promise.reject(simError('EISDIR', 'write', path)),
      sync: () => fs.syncDir(path),
      close: () => Promise.resolve(),
    };
  };
  return {
    async open(path, flags, mode) {
      if ((flags & O_DIRECTORY) !== 0) {
        if (flags !== (O_RDONLY | O_DIRECTORY)) throw refused(flags);
        return openDirectory(path);
      }
      const portFlags = OPEN_FLAGS.get(flags);
      if (portFlags === undefined) throw refused(flags);
      const handle = await fs.open(path, portFlags, mode);
      return {
        write: async (buffer, offset, length, position) => ({
          bytesWritten: await handle.write(buffer.subarray(offset, offset + length), position),
        }),
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
    readFile: (path) => fs.readFile(path),
    rename: (fromPath, toPath) => fs.rename(fromPath, toPath),
    link: (existingPath, newPath) => fs.link(existingPath, newPath),
    unlink: (path) => fs.unlink(path),
    mkdir: (path, options) => fs.mkdir(path, options),
    rmdir: (path) => fs.rmdir(path),
    readdir: (path) => fs.readdir(path),
    stat: async (path) => toPlatformStats(await fs.stat(path)),
    lstat: async (path) => toPlatformStats(await fs.lstat(path)),
  };
}
