// Broken runtimes, made by decorating the FileSystem a runtime process sees. Each one reproduces a
// durability bug that real libraries ship, so the invariant checkers can be shown to catch it.
// (Environment faults live in harness/faults; these are bugs of the program, not of the world.)
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import { decorateFileSystem } from '../faults/decorateFileSystem.ts';

type Decorator = (fs: FileSystem) => FileSystem;

const override = (fs: FileSystem, calls: Partial<FileSystem>): FileSystem => decorateFileSystem(fs, { calls });

/** steno / many hand-rolled writers: never fsync the file before renaming it into place. */
export const noFileFsync: Decorator = (fs) =>
  decorateFileSystem(fs, { handle: () => ({ sync: async () => undefined }) });

/** write-file-atomic, steno, atomically: never fsync the directory after the rename. */
export const noDirFsync: Decorator = (fs) => override(fs, { syncDir: async () => undefined });

/** proper-lockfile's race, made certain: a lock acquire that replaces whatever lock is there. */
export const clobberingLockAcquire: Decorator = (fs) =>
  override(fs, {
    link: async (existing, newPath) => {
      if (newPath.endsWith('.lock')) await fs.unlink(newPath).catch(() => undefined);
      return fs.link(existing, newPath);
    },
  });

/** A purge that never sees tmp files (a readdir filter gone wrong): recovery leaves them behind. */
export const tmpInvisibleToReaddir: Decorator = (fs) =>
  override(fs, {
    readdir: async (path) => (await fs.readdir(path)).filter((name) => !name.startsWith('.tmp-')),
  });

/**
 * proper-lockfile's stale takeover: the taker decides from an earlier look at the lock (a stat, here a
 * cached read of the lock file) and its takeover step is not exclusive (a second taker whose rename of
 * the stale owner's work directory fails carries on as if it had won). Two takers then both believe
 * they own the lock, and the later one removes the earlier one's lock file (by path, as
 * proper-lockfile's rmdir does: the move into a reap directory it never won becomes an unlink).
 */
export const staleViewTakeover: Decorator = (fs) => {
  const seen = new Map<string, Uint8Array>();
  return override(fs, {
    readFile: async (path) => {
      if (!path.endsWith('.lock')) return fs.readFile(path);
      const cached = seen.get(path);
      if (cached !== undefined) return cached;
      const bytes = await fs.readFile(path);
      seen.set(path, bytes);
      return bytes;
    },
    rename: async (from, to) => {
      try {
        await fs.rename(from, to);
      } catch (error) {
        if (from.endsWith('.lock') && to.includes('/.tmp-reap-')) return fs.unlink(from);
        if (!(from.includes('/.tmp-work-') && to.includes('/.tmp-reap-'))) throw error;
      }
    },
    link: async (existing, newPath) => {
      await fs.link(existing, newPath);
      if (newPath.endsWith('.lock')) seen.delete(newPath);
    },
  });
};

/**
 * No fencing: commits are staged next to the work directory instead of inside it, and the "still
 * mine?" check always answers yes. An owner whose lock was taken over keeps committing.
 */
export const unfencedCommits: Decorator = (fs) => {
  const shadow = (path: string) => path.replace(/\/\.tmp-work-([0-9a-f]+)\/(\.tmp-[0-9a-f]+)$/, '/.tmp-unfenced-$1-$2');
  return override(fs, {
    open: (path, flags, mode) => fs.open(shadow(path), flags, mode),
    rename: (from, to) => fs.rename(shadow(from), to),
    unlink: (path) => fs.unlink(shadow(path)),
    stat: async (path) => {
      if (/\/\.tmp-work-[0-9a-f]+$/.test(path))
        return { isFile: false, isDirectory: true, isSymbolicLink: false, sizeBytes: 4096, mtimeMs: 0 };
      return fs.stat(path);
    },
  });
};
