// Calls foreign code makes that the runtime's FileSystem port does not have: positional reads, truncate,
// utimes, symlinks, readlink and full stats (inode, link count). Each runs atomically on a SimFsCore,
// with the same crash semantics as the rest: data changes are unsynced until an fsync, entries until a
// directory fsync.
import { simError } from './simErrors.ts';
import type { Ino, SimFsCore, SimNode } from './simFsCore.ts';

export interface NodeStats {
  readonly kind: 'file' | 'dir' | 'symlink';
  readonly ino: number;
  readonly nlink: number;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

function sizeOf(node: SimNode): number {
  return node.kind === 'file' ? node.data.length : node.kind === 'symlink' ? node.target.length : 4096;
}

/** Names that refer to `ino` (hard links); a directory counts its own entry and `.`. */
function linkCount(core: SimFsCore, ino: Ino): number {
  let count = 0;
  for (const node of core.nodes.values()) {
    if (node.kind !== 'dir') continue;
    for (const child of node.entries.values()) if (child === ino) count += 1;
  }
  return core.node(ino).kind === 'dir' ? count + 1 : count;
}

export function statsOfIno(core: SimFsCore, ino: Ino): NodeStats {
  const node = core.node(ino);
  return {
    kind: node.kind,
    ino,
    nlink: linkCount(core, ino),
    sizeBytes: sizeOf(node),
    mtimeMs: node.mtimeMs,
    ctimeMs: node.mtimeMs,
  };
}

export function statsOfPath(core: SimFsCore, path: string, follow: boolean): NodeStats {
  const node = core.resolve(path, follow ? 'stat' : 'lstat', follow);
  if (node === undefined) throw simError('ENOENT', follow ? 'stat' : 'lstat', path);
  return statsOfIno(core, node.ino);
}

/** The inode a path names now (for a descriptor opened by path). */
export function inoOf(core: SimFsCore, path: string): Ino | undefined {
  return core.resolve(path, 'open')?.ino;
}

export function readAt(core: SimFsCore, ino: Ino, positionBytes: number, lengthBytes: number): Uint8Array {
  const node = core.node(ino);
  if (node.kind === 'dir') throw simError('EISDIR', 'read', '');
  if (node.kind !== 'file') throw simError('EINVAL', 'read', '');
  return node.data.slice(positionBytes, positionBytes + lengthBytes);
}

export function truncateIno(core: SimFsCore, ino: Ino, lengthBytes: number, path: string): void {
  const node = core.node(ino);
  if (node.kind !== 'file') throw simError(node.kind === 'dir' ? 'EISDIR' : 'EINVAL', 'ftruncate', path);
  const data = new Uint8Array(lengthBytes);
  data.set(node.data.subarray(0, lengthBytes));
  node.data = data;
  node.mtimeMs = core.clockMs();
}

export function truncatePath(core: SimFsCore, path: string, lengthBytes: number): void {
  const node = core.resolve(path, 'truncate');
  if (node === undefined) throw simError('ENOENT', 'truncate', path);
  truncateIno(core, node.ino, lengthBytes, path);
}

export function setMtime(core: SimFsCore, path: string, mtimeMs: number, follow = true): void {
  const node = core.resolve(path, 'utime', follow);
  if (node === undefined) throw simError('ENOENT', 'utime', path);
  node.mtimeMs = mtimeMs;
}

export function readLink(core: SimFsCore, path: string): string {
  const node = core.resolve(path, 'readlink', false);
  if (node === undefined) throw simError('ENOENT', 'readlink', path);
  if (node.kind !== 'symlink') throw simError('EINVAL', 'readlink', path);
  return node.target;
}

/** symlink(2) by a process: a new, unsynced entry (unlike SimFsCore.symlink, which plants a durable one). */
export function makeSymlink(core: SimFsCore, target: string, path: string): void {
  const { dir, name } = core.parentOf(path, 'symlink');
  if (dir.entries.has(name)) throw simError('EEXIST', 'symlink', path);
  const link = core.allocate('symlink', { target });
  dir.entries.set(name, link.ino);
  dir.mtimeMs = core.clockMs();
}
