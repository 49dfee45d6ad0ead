// Broken runtimes, made by decorating the FileSystem a runtime process sees. Each one reproduces a
// durability bug that real libraries ship, so the invariant checkers can be shown to catch it.
// (Environment faults live in harness/faults; these are bugs of the program, not of the world.)
import type { FileHandle, FileSystem } from '../../src/ports/fileSystem.ts';

type Decorator = (fs: FileSystem) => FileSystem;

function override(fs: FileSystem, parts: Partial<FileSystem>): FileSystem {
  return {
    open: parts.open ?? ((p, f, m) => fs.open(p, f, m)),
    readFile: parts.readFile ?? ((p) => fs.readFile(p)),
    rename: parts.rename ?? ((a, b) => fs.rename(a, b)),
    link: parts.link ?? ((a, b) => fs.link(a, b)),
    unlink: parts.unlink ?? ((p) => fs.unlink(p)),
    mkdir: parts.mkdir ?? ((p, o) => fs.mkdir(p, o)),
    rmdir: parts.rmdir ?? ((p) => fs.rmdir(p)),
    readdir: parts.readdir ?? ((p) => fs.readdir(p)),
    stat: parts.stat ?? ((p) => fs.stat(p)),
    lstat: parts.lstat ?? ((p) => fs.lstat(p)),
    syncDir: parts.syncDir ?? ((p) => fs.syncDir(p)),
  };
}

/** steno / many hand-rolled writers: never fsync the file before renaming it into place. */
export const noFileFsync: Decorator = (fs) => override(fs, {
  open: async (path, flags, mode) => {
    const handle = await fs.open(path, flags, mode);
    const skipped: FileHandle = { write: (d, p) => handle.write(d, p), sync: async () => undefined, close: () => handle.close() };
    return skipped;
  },
});

/** write-file-atomic, steno, atomically: never fsync the directory after the rename. */
export const noDirFsync: Decorator = (fs) => override(fs, { syncDir: async () => undefined });

/** proper-lockfile's race, made certain: a lock acquire that replaces whatever lock is there. */
export const clobberingLockAcquire: Decorator = (fs) => override(fs, {
  link: async (existing, newPath) => {
    if (newPath.endsWith('.lock')) await fs.unlink(newPath).catch(() => undefined);
    return fs.link(existing, newPath);
  },
});

/** A purge that never sees tmp files (a readdir filter gone wrong): recovery leaves them behind. */
export const tmpInvisibleToReaddir: Decorator = (fs) => override(fs, {
  readdir: async (path) => (await fs.readdir(path)).filter((name) => !name.startsWith('.tmp-')),
});
