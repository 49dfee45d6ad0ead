// The simulated filesystem's state: an inode model with POSIX semantics and a durability model.
//
// Every inode keeps two versions of itself: what processes see now, and what the last fsync made
// durable. A file's `synced` bytes are its data and size as of its last fsync (empty if never
// synced); a directory's `syncedEntries` are its name → inode bindings as of its last fsync. fsync of
// a file never makes its name durable; only fsync of the directory does. Power-loss crash states are
// assembled from these two layers (crashStates.ts). State present when the core is built counts as
// durable, like a disk after a clean boot.
//
// Semantics follow Linux where memfs does not (test/harness/memfsGaps.test.ts tests each gap): rename
// of a directory over a non-empty one fails ENOTEMPTY, into its own subtree EINVAL, a file over a
// directory EISDIR, a directory over a file ENOTDIR; unlink of a directory is EISDIR; link of a
// directory is EPERM; O_EXCL never follows a symlink; mtimes come from the simulated clock. This
// module does no scheduling or fault injection: simFs.ts wraps it for that.
import { simError } from './simErrors.ts';
import type { FileStats, OpenFlags } from '../../src/ports/fileSystem.ts';

export type Ino = number;

interface Common {
  readonly ino: Ino;
  mtimeMs: number;
}
export interface FileNode extends Common {
  readonly kind: 'file';
  data: Uint8Array;
  synced: Uint8Array;
}
export interface DirNode extends Common {
  readonly kind: 'dir';
  entries: Map<string, Ino>;
  syncedEntries: Map<string, Ino>;
}
export interface SymlinkNode extends Common {
  readonly kind: 'symlink';
  readonly target: string;
}
export type SimNode = FileNode | DirNode | SymlinkNode;

const ROOT: Ino = 1;
const MAX_SYMLINK_HOPS = 8;

export interface OpenFile {
  readonly ino: Ino;
  readonly path: string;
  readonly writable: boolean;
  closed: boolean;
}

/**
 * A plain path: absolute, no empty, `.` or `..` component, no trailing slash (every path the runtime
 * builds). Plain paths take the fast walk; any other path is split first, with the same results.
 */
function isPlain(path: string): boolean {
  if (path.charCodeAt(0) !== 47 /* / */) return false;
  if (path.length === 1) return true;
  if (path.charCodeAt(path.length - 1) === 47) return false;
  return !path.includes('//') && !path.includes('/./') && !path.endsWith('/.') && !path.includes('/..');
}

export class SimFsCore {
  readonly nodes = new Map<Ino, SimNode>();
  private nextIno = ROOT + 1;

  constructor(public clockMs: () => number) {
    this.nodes.set(ROOT, { kind: 'dir', ino: ROOT, mtimeMs: clockMs(), entries: new Map(), syncedEntries: new Map() });
  }

  peekNextIno(): Ino {
    return this.nextIno;
  }

  setNextIno(ino: Ino): void {
    this.nextIno = ino;
  }

  get root(): DirNode {
    return this.nodes.get(ROOT) as DirNode;
  }

  allocate<K extends SimNode['kind']>(
    kind: K,
    init: Omit<Extract<SimNode, { kind: K }>, 'ino' | 'kind' | 'mtimeMs'>,
  ): Extract<SimNode, { kind: K }> {
    const node = { kind, ino: this.nextIno++, mtimeMs: this.clockMs(), ...init } as unknown as Extract<
      SimNode,
      { kind: K }
    >;
    this.nodes.set(node.ino, node);
    return node;
  }

  node(ino: Ino): SimNode {
    const node = this.nodes.get(ino);
    if (node === undefined) throw new Error(`simFs: dangling inode ${ino}`);
    return node;
  }

  // ---- path resolution -------------------------------------------------------------------------

  private split(path: string, syscall: string): readonly string[] {
    if (!path.startsWith('/')) throw simError('EINVAL', syscall, path);
    return path.split('/').filter((part) => part !== '' && part !== '.');
  }

  /** Resolves a path to its inode, following symlinks in every component (and the last if `follow`). */
  resolve(path: string, syscall: string, follow = true, hops = 0): SimNode | undefined {
    if (isPlain(path)) return this.resolvePlain(path, path.length, path, syscall, follow, hops);
    const parts = this.split(path, syscall);
    return this.resolveParts(parts, parts.length, path, syscall, follow, hops);
  }

  /** Resolves the first `count` components of `parts` (the components of `path`). */
  private resolveParts(
    parts: readonly string[],
    count: number,
    path: string,
    syscall: string,
    follow: boolean,
    hops: number,
  ): SimNode | undefined {
    let current: SimNode = this.root;
    const walked: string[] = [];
    for (let index = 0; index < count; index++) {
      const part = parts[index]!;
      if (current.kind !== 'dir') throw simError('ENOTDIR', syscall, path);
      if (part === '..') {
        walked.pop();
        current = this.resolve(`/${walked.join('/')}`, syscall, true, hops) ?? this.root;
        continue;
      }
      const ino = current.entries.get(part);
      if (ino === undefined) return undefined;
      let next = this.node(ino);
      const isLast = index === count - 1;
      if (next.kind === 'symlink' && (!isLast || follow)) {
        if (hops >= MAX_SYMLINK_HOPS) throw simError('ELOOP', syscall, path);
        const target = next.target.startsWith('/') ? next.target : `/${[...walked, next.target].join('/')}`;
        const resolved = this.resolve(target, syscall, true, hops + 1);
        if (resolved === undefined) return undefined;
        next = resolved;
      }
      walked.push(part);
      current = next;
    }
    return current;
  }

  /**
   * The fast walk for a plain path (see isPlain), without splitting it: the components of
   * `path.slice(0, end)`, with the same results as resolveParts on its split.
   */
  private resolvePlain(
    path: string,
    end: number,
    fullPath: string,
    syscall: string,
    follow: boolean,
    hops: number,
  ): SimNode | undefined {
    let current: SimNode = this.root;
    for (let start = 1; start < end;) {
      let slash = path.indexOf('/', start);
      if (slash < 0 || slash > end) slash = end;
      if (current.kind !== 'dir') throw simError('ENOTDIR', syscall, fullPath);
      const ino = current.entries.get(path.slice(start, slash));
      if (ino === undefined) return undefined;
      let next = this.node(ino);
      if (next.kind === 'symlink' && (slash < end || follow)) {
        if (hops >= MAX_SYMLINK_HOPS) throw simError('ELOOP', syscall, fullPath);
        const target = next.target.startsWith('/') ? next.target : `${path.slice(0, start)}${next.target}`;
        const resolved = this.resolve(target, syscall, true, hops + 1);
        if (resolved === undefined) return undefined;
        next = resolved;
      }
      current = next;
      start = slash + 1;
    }
    return current;
  }

  /** The directory that holds the last component of `path`, and that component's name. */
  parentOf(path: string, syscall: string): { dir: DirNode; name: string } {
    if (isPlain(path) && path.length > 1) {
      const slash = path.lastIndexOf('/');
      const parent = this.resolvePlain(path, slash, path, syscall, true, 0);
      if (parent === undefined) throw simError('ENOENT', syscall, path);
      if (parent.kind !== 'dir') throw simError('ENOTDIR', syscall, path);
      return { dir: parent, name: path.slice(slash + 1) };
    }
    const parts = this.split(path, syscall);
    const name = parts[parts.length - 1];
    if (name === undefined || name === '..') throw simError(name === undefined ? 'EBUSY' : 'EINVAL', syscall, path);
    const parent = this.resolveParts(parts, parts.length - 1, path, syscall, true, 0);
    if (parent === undefined) throw simError('ENOENT', syscall, path);
    if (parent.kind !== 'dir') throw simError('ENOTDIR', syscall, path);
    return { dir: parent, name };
  }

  private touch(dir: DirNode): void {
    dir.mtimeMs = this.clockMs();
  }

  /** True when `inner` is `outer` or lies inside it. */
  private contains(outer: DirNode, inner: DirNode): boolean {
    if (outer === inner) return true;
    for (const ino of outer.entries.values()) {
      const child = this.node(ino);
      if (child.kind === 'dir' && this.contains(child, inner)) return true;
    }
    return false;
  }

  // ---- operations ------------------------------------------------------------------------------

  open(path: string, flags: OpenFlags): OpenFile {
    const syscall = 'open';
    const { dir, name } = this.parentOf(path, syscall);
    const existingIno = dir.entries.get(name);
    if (flags === 'wx') {
      if (existingIno !== undefined) throw simError('EEXIST', syscall, path);
      const file = this.allocate('file', { data: new Uint8Array(0), synced: new Uint8Array(0) });
      dir.entries.set(name, file.ino);
      this.touch(dir);
      return { ino: file.ino, path, writable: true, closed: false };
    }
    const existing = this.resolve(path, syscall);
    if (existing === undefined) {
      if (flags !== 'w') throw simError('ENOENT', syscall, path);
      if (existingIno !== undefined) throw simError('ENOENT', syscall, path); // dangling symlink
      const file = this.allocate('file', { data: new Uint8Array(0), synced: new Uint8Array(0) });
      dir.entries.set(name, file.ino);
      this.touch(dir);
      return { ino: file.ino, path, writable: true, closed: false };
    }
    if (existing.kind === 'dir') {
      if (flags !== 'r') throw simError('EISDIR', syscall, path);
      return { ino: existing.ino, path, writable: false, closed: false };
    }
    if (existing.kind !== 'file') throw simError('EINVAL', syscall, path);
    if (flags === 'w') {
      existing.data = new Uint8Array(0);
      existing.mtimeMs = this.clockMs();
    }
    return { ino: existing.ino, path, writable: flags !== 'r', closed: false };
  }

  write(handle: OpenFile, data: Uint8Array, positionBytes: number): number {
    if (handle.closed || !handle.writable) throw simError('EBADF', 'write', handle.path);
    const file = this.node(handle.ino);
    if (file.kind !== 'file') throw simError('EBADF', 'write', handle.path);
    const end = positionBytes + data.length;
    if (end > file.data.length) {
      const grown = new Uint8Array(end);
      grown.set(file.data);
      file.data = grown;
    } else {
      file.data = file.data.slice();
    }
    file.data.set(data, positionBytes);
    file.mtimeMs = this.clockMs();
    return data.length;
  }

  fsync(handle: OpenFile): void {
    if (handle.closed) throw simError('EBADF', 'fsync', handle.path);
    const node = this.node(handle.ino);
    if (node.kind === 'file') node.synced = node.data;
    if (node.kind === 'dir') node.syncedEntries = new Map(node.entries);
  }

  close(handle: OpenFile): void {
    if (handle.closed) throw simError('EBADF', 'close', handle.path);
    handle.closed = true;
  }

  readFile(path: string): Uint8Array {
    return this.peekFile(path).slice();
  }

  /**
   * A file's bytes without a copy, for checkers: the array is the core's own and must not be
   * changed (the core itself never changes an array in place; write() replaces it).
   */
  peekFile(path: string): Uint8Array {
    const node = this.resolve(path, 'open');
    if (node === undefined) throw simError('ENOENT', 'open', path);
    if (node.kind === 'dir') throw simError('EISDIR', 'read', path);
    if (node.kind !== 'file') throw simError('EINVAL', 'read', path);
    return node.data;
  }

  rename(fromPath: string, toPath: string): void {
    const syscall = 'rename';
    const from = this.parentOf(fromPath, syscall);
    const to = this.parentOf(toPath, syscall);
    const movingIno = from.dir.entries.get(from.name);
    if (movingIno === undefined) throw simError('ENOENT', syscall, fromPath, toPath);
    const moving = this.node(movingIno);
    const replacedIno = to.dir.entries.get(to.name);
    if (replacedIno === movingIno) return; // POSIX: both names are links to one file; nothing happens
    if (moving.kind === 'dir' && this.contains(moving, to.dir)) throw simError('EINVAL', syscall, fromPath, toPath);
    if (replacedIno !== undefined) {
      const replaced = this.node(replacedIno);
      if (moving.kind === 'dir' && replaced.kind !== 'dir') throw simError('ENOTDIR', syscall, fromPath, toPath);
      if (moving.kind !== 'dir' && replaced.kind === 'dir') throw simError('EISDIR', syscall, fromPath, toPath);
      if (replaced.kind === 'dir' && replaced.entries.size > 0) throw simError('ENOTEMPTY', syscall, fromPath, toPath);
    }
    from.dir.entries.delete(from.name);
    to.dir.entries.set(to.name, movingIno);
    this.touch(from.dir);
    this.touch(to.dir);
  }

  link(existingPath: string, newPath: string): void {
    const syscall = 'link';
    const source = this.resolve(existingPath, syscall, false);
    if (source === undefined) throw simError('ENOENT', syscall, existingPath, newPath);
    if (source.kind === 'dir') throw simError('EPERM', syscall, existingPath, newPath);
    const { dir, name } = this.parentOf(newPath, syscall);
    if (dir.entries.has(name)) throw simError('EEXIST', syscall, existingPath, newPath);
    dir.entries.set(name, source.ino);
    this.touch(dir);
  }

  unlink(path: string): void {
    const { dir, name } = this.parentOf(path, 'unlink');
    const ino = dir.entries.get(name);
    if (ino === undefined) throw simError('ENOENT', 'unlink', path);
    if (this.node(ino).kind === 'dir') throw simError('EISDIR', 'unlink', path);
    dir.entries.delete(name);
    this.touch(dir);
  }

  mkdir(path: string, recursive: boolean): void {
    if (recursive) {
      const parts = this.split(path, 'mkdir');
      for (let i = 1; i <= parts.length; i++) {
        const prefix = `/${parts.slice(0, i).join('/')}`;
        const existing = this.resolve(prefix, 'mkdir');
        if (existing === undefined) this.mkdir(prefix, false);
        else if (existing.kind !== 'dir') throw simError(i === parts.length ? 'EEXIST' : 'ENOTDIR', 'mkdir', path);
      }
      return;
    }
    const { dir, name } = this.parentOf(path, 'mkdir');
    if (dir.entries.has(name)) throw simError('EEXIST', 'mkdir', path);
    const created = this.allocate('dir', { entries: new Map(), syncedEntries: new Map() });
    dir.entries.set(name, created.ino);
    this.touch(dir);
  }

  rmdir(path: string): void {
    const { dir, name } = this.parentOf(path, 'rmdir');
    const ino = dir.entries.get(name);
    if (ino === undefined) throw simError('ENOENT', 'rmdir', path);
    const node = this.node(ino);
    if (node.kind !== 'dir') throw simError('ENOTDIR', 'rmdir', path);
    if (node.entries.size > 0) throw simError('ENOTEMPTY', 'rmdir', path);
    dir.entries.delete(name);
    this.touch(dir);
  }

  readdir(path: string): string[] {
    const node = this.resolve(path, 'scandir');
    if (node === undefined) throw simError('ENOENT', 'scandir', path);
    if (node.kind !== 'dir') throw simError('ENOTDIR', 'scandir', path);
    return [...node.entries.keys()].sort();
  }

  stat(path: string, follow: boolean): FileStats {
    const syscall = follow ? 'stat' : 'lstat';
    const node = this.resolve(path, syscall, follow);
    if (node === undefined) throw simError('ENOENT', syscall, path);
    return {
      isFile: node.kind === 'file',
      isDirectory: node.kind === 'dir',
      isSymbolicLink: node.kind === 'symlink',
      sizeBytes: node.kind === 'file' ? node.data.length : node.kind === 'symlink' ? node.target.length : 4096,
      mtimeMs: node.mtimeMs,
    };
  }

  syncDir(path: string): void {
    const node = this.resolve(path, 'fsync');
    if (node === undefined) throw simError('ENOENT', 'open', path);
    if (node.kind !== 'dir') throw simError('ENOTDIR', 'open', path);
    node.syncedEntries = new Map(node.entries);
  }

  /** Test and scenario setup only (the runtime never makes symlinks): plant a symlink. */
  symlink(target: string, path: string): void {
    const { dir, name } = this.parentOf(path, 'symlink');
    if (dir.entries.has(name)) throw simError('EEXIST', 'symlink', path);
    const link = this.allocate('symlink', { target });
    dir.entries.set(name, link.ino);
    dir.syncedEntries.set(name, link.ino);
  }

  /** Marks everything durable, as after a clean shutdown. */
  syncAll(): void {
    for (const node of this.nodes.values()) {
      if (node.kind === 'file') node.synced = node.data;
      if (node.kind === 'dir') node.syncedEntries = new Map(node.entries);
    }
  }
}
