// The production FileSystem: node:fs/promises (or the Platform's stand-in for it), one call per port
// method, nothing added. The contract suite (test/runtime/fileSystemContract.test.ts) runs against
// this and against the simulated twin.
import type { FileHandle, FileStats, FileSystem, OpenFlags } from '../ports/fileSystem.ts';
import { nodePlatform, OPEN_BITS as constants, type PlatformFs, type PlatformStats } from './platform.ts';

const FLAGS: Record<OpenFlags, number> = {
  r: constants.O_RDONLY,
  'r+': constants.O_RDWR,
  w: constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC,
  wx: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
};

function toStats(stats: PlatformStats): FileStats {
  return {
    isFile: stats.isFile(),
    isDirectory: stats.isDirectory(),
    isSymbolicLink: stats.isSymbolicLink(),
    sizeBytes: stats.size,
    mtimeMs: stats.mtimeMs,
  };
}

/** The FileSystem port over node:fs/promises' calls (`fsp`). */
export function fileSystemOver(fsp: PlatformFs): FileSystem {
  return {
    async open(path, flags, mode = 0o666): Promise<FileHandle> {
      const handle = await fsp.open(path, FLAGS[flags], mode);
      return {
        write: async (data, positionBytes) => (await handle.write(data, 0, data.length, positionBytes)).bytesWritten,
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
    readFile: async (path) => new Uint8Array(await fsp.readFile(path)),
    rename: (fromPath, toPath) => fsp.rename(fromPath, toPath),
    link: (existingPath, newPath) => fsp.link(existingPath, newPath),
    unlink: (path) => fsp.unlink(path),
    mkdir: async (path, options) => {
      await fsp.mkdir(path, { recursive: options?.recursive ?? false });
    },
    rmdir: (path) => fsp.rmdir(path),
    readdir: (path) => fsp.readdir(path),
    stat: async (path) => toStats(await fsp.stat(path)),
    lstat: async (path) => toStats(await fsp.lstat(path)),
    async syncDir(path) {
      const handle = await fsp.open(path, constants.O_RDONLY | constants.O_DIRECTORY);
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}

export const nodeFileSystem: FileSystem = fileSystemOver(nodePlatform.fs);
