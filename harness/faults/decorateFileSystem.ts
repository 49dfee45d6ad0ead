// The one way to build a FileSystem over another: a decorator states only the calls it changes, and
// everything else is forwarded here. These are the only places that list the port's methods, each in
// an object typed FileSystem or FileHandle, so a method added to the port fails to compile here until
// it is forwarded (decorateFileSystem) and described (aroundEveryCall); no decorator can silently
// leave it out. Forwarding returns the inner call's own promise: a decorator adds no microtask turn
// that the calls it does not change would see (the simulated scheduler's interleavings depend on them).
import type { FileHandle, FileSystem, OpenFlags } from '../../src/ports/fileSystem.ts';
import type { OpDesc } from '../simFs/processKernel.ts';

export interface FileSystemDecoration {
  /** The calls replaced; a replacement may call the inner FileSystem itself. Every other call goes to it. */
  readonly calls?: Partial<FileSystem>;
  /**
   * The calls replaced on each handle `open` returns (the replaced `open`'s included); every other
   * handle call goes to the inner handle. `path` and `flags` are those the file was opened with.
   */
  readonly handle?: (inner: FileHandle, path: string, flags: OpenFlags) => Partial<FileHandle>;
}

/** `inner` with the calls `decoration` replaces, and every other call forwarded to it. */
export function decorateFileSystem(inner: FileSystem, decoration: FileSystemDecoration): FileSystem {
  const calls = decoration.calls ?? {};
  const open = calls.open ?? ((path, flags, mode) => inner.open(path, flags, mode));
  const handle = decoration.handle;
  return {
    open:
      handle === undefined
        ? open
        : async (path, flags, mode) => {
            const opened = await open(path, flags, mode);
            return decorateHandle(opened, handle(opened, path, flags));
          },
    readFile: calls.readFile ?? ((path) => inner.readFile(path)),
    rename: calls.rename ?? ((fromPath, toPath) => inner.rename(fromPath, toPath)),
    link: calls.link ?? ((existingPath, newPath) => inner.link(existingPath, newPath)),
    unlink: calls.unlink ?? ((path) => inner.unlink(path)),
    mkdir: calls.mkdir ?? ((path, options) => inner.mkdir(path, options)),
    rmdir: calls.rmdir ?? ((path) => inner.rmdir(path)),
    readdir: calls.readdir ?? ((path) => inner.readdir(path)),
    stat: calls.stat ?? ((path) => inner.stat(path)),
    lstat: calls.lstat ?? ((path) => inner.lstat(path)),
    syncDir: calls.syncDir ?? ((path) => inner.syncDir(path)),
  };
}

/** `inner` with the calls in `replaced`, and every other call forwarded to it. */
export function decorateHandle(inner: FileHandle, replaced: Partial<FileHandle>): FileHandle {
  return {
    write: replaced.write ?? ((data, positionBytes) => inner.write(data, positionBytes)),
    sync: replaced.sync ?? (() => inner.sync()),
    close: replaced.close ?? (() => inner.close()),
  };
}

/** A hook around one call: it may throw, delay, or run the call (`next`) and return its result. */
export type AroundCall = <T>(call: OpDesc, next: () => Promise<T>) => Promise<T>;

/**
 * `inner` with every call, the calls of the handles it opens included, passed through `around` and
 * described as the simulated kernel describes it (a rename or link by source `path` and target `to`,
 * a handle call by the path the file was opened with).
 */
export function aroundEveryCall(inner: FileSystem, around: AroundCall): FileSystem {
  const calls: FileSystem = {
    open: (path, flags, mode) => around({ op: 'open', path, flags }, () => inner.open(path, flags, mode)),
    readFile: (path) => around({ op: 'readFile', path }, () => inner.readFile(path)),
    rename: (fromPath, toPath) =>
      around({ op: 'rename', path: fromPath, to: toPath }, () => inner.rename(fromPath, toPath)),
    link: (existingPath, newPath) =>
      around({ op: 'link', path: existingPath, to: newPath }, () => inner.link(existingPath, newPath)),
    unlink: (path) => around({ op: 'unlink', path }, () => inner.unlink(path)),
    mkdir: (path, options) => around({ op: 'mkdir', path }, () => inner.mkdir(path, options)),
    rmdir: (path) => around({ op: 'rmdir', path }, () => inner.rmdir(path)),
    readdir: (path) => around({ op: 'readdir', path }, () => inner.readdir(path)),
    stat: (path) => around({ op: 'stat', path }, () => inner.stat(path)),
    lstat: (path) => around({ op: 'lstat', path }, () => inner.lstat(path)),
    syncDir: (path) => around({ op: 'fsyncDir', path }, () => inner.syncDir(path)),
  };
  const handle = (opened: FileHandle, path: string): FileHandle => ({
    write: (data, positionBytes) =>
      around({ op: 'write', path, sizeBytes: data.length, positionBytes }, () => opened.write(data, positionBytes)),
    sync: () => around({ op: 'fsync', path }, () => opened.sync()),
    close: () => around({ op: 'close', path }, () => opened.close()),
  });
  return decorateFileSystem(inner, { calls, handle });
}
