// The synchronous node:fs surface over the simulated kernel: every *Sync function that persistence code
// calls, each made of the kernel's primitives (kernelProtocol.ts) the way libc makes them of syscalls
// (realpath walks with lstat and readlink; writeFile is open, write until done, close). The callback
// and promise forms (asyncForms.ts) are built on these. Paths arrive already mapped into the
// simulation (paths.ts); a descriptor is a kernel descriptor (at least FD_BASE).
import { writeAllSync } from '../../../src/writeAll.ts';
import type { StatsData } from '../kernelProtocol.ts';
import type { SyncKernel } from './syncKernel.ts';
import { toDirent, toStats } from './statsShape.ts';

export const FD_BASE = 1_000_000;
const MAX_SYMLINK_HOPS = 32;

export type Bytes = Uint8Array;
type Encoding = BufferEncoding | undefined;

export function encodingOf(options: unknown): Encoding {
  if (typeof options === 'string') return options as BufferEncoding;
  if (typeof options === 'object' && options !== null && typeof (options as { encoding?: unknown }).encoding === 'string') return (options as { encoding: BufferEncoding }).encoding;
  return undefined;
}

export function flagOf(options: unknown, fallback: string): string {
  const flag = typeof options === 'object' && options !== null ? (options as { flag?: unknown }).flag : undefined;
  return typeof flag === 'string' ? flag : fallback;
}

export function toBytes(data: unknown, encoding: Encoding): Bytes {
  if (typeof data === 'string') return Buffer.from(data, encoding ?? 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError(`The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${typeof data}`);
}

const decode = (bytes: Bytes, encoding: Encoding): Buffer | string => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return encoding === undefined || encoding === ('buffer' as BufferEncoding) ? buffer : buffer.toString(encoding);
};

/** The kernel-backed synchronous primitives; `sim` paths are simulated paths (mount stripped). */
export function syncSurface(kernel: SyncKernel, mount: string) {
  const fs = (op: Parameters<SyncKernel['call']>[0] extends infer R ? (R extends { kind: 'fs'; op: infer O } ? O : never) : never, ...args: unknown[]) =>
    kernel.call({ kind: 'fs', op, args });
  const statOf = (op: 'stat' | 'lstat', path: string) => toStats(fs(op, path) as StatsData);
  /** Every byte of `bytes`, at `position` or (null) at the descriptor's own position: the runtime's writeAll loop. */
  const writeAll = (fd: number, bytes: Bytes, position: number | null) =>
    writeAllSync((data, offset) => fs('write', fd, data, position === null ? null : position + offset) as number, bytes);
  const readAllFd = (fd: number): Bytes => {
    const chunks: Bytes[] = [];
    for (;;) {
      const chunk = fs('read', fd, 64 * 1024, null) as Bytes;
      if (chunk.length === 0) return Buffer.concat(chunks);
      chunks.push(chunk);
    }
  };
  const surface = {
    openSync: (path: string, flags: unknown = 'r') => fs('open', path, flags) as number,
    closeSync: (fd: number) => void fs('close', fd),
    fsyncSync: (fd: number) => void fs('fsync', fd),
    fdatasyncSync: (fd: number) => void fs('fsync', fd),
    ftruncateSync: (fd: number, length = 0) => void fs('ftruncate', fd, length),
    fstatSync: (fd: number) => toStats(fs('fstat', fd) as StatsData),
    readSync: (fd: number, buffer: Uint8Array, a?: unknown, b?: unknown, c?: unknown) => {
      const options = typeof a === 'object' && a !== null ? (a as { offset?: number; length?: number; position?: number | null }) : undefined;
      const offset = options?.offset ?? (typeof a === 'number' ? a : 0);
      const length = options?.length ?? (typeof b === 'number' ? b : buffer.byteLength - offset);
      const position = options !== undefined ? options.position ?? null : typeof c === 'number' || typeof c === 'bigint' ? Number(c) : null;
      const bytes = fs('read', fd, length, position) as Bytes;
      buffer.set(bytes, offset);
      return bytes.length;
    },
    writeSync: (fd: number, data: unknown, a?: unknown, b?: unknown, c?: unknown) => {
      if (typeof data === 'string') {
        const position = typeof a === 'number' ? a : null;
        return fs('write', fd, toBytes(data, typeof b === 'string' ? (b as BufferEncoding) : undefined), position) as number;
      }
      const bytes = toBytes(data, undefined);
      const offset = typeof a === 'number' ? a : 0;
      const length = typeof b === 'number' ? b : bytes.length - offset;
      return fs('write', fd, bytes.subarray(offset, offset + length), typeof c === 'number' ? c : null) as number;
    },
    readFileSync: (path: string | number, options?: unknown) => {
      const bytes = typeof path === 'number' ? readAllFd(path) : (fs('readFile', path) as Bytes);
      return decode(bytes, encodingOf(options));
    },
    writeFileSync: (path: string | number, data: unknown, options?: unknown) => writeWhole(path, data, options, 'w'),
    appendFileSync: (path: string | number, data: unknown, options?: unknown) => writeWhole(path, data, options, 'a'),
    renameSync: (from: string, to: string) => void fs('rename', from, to),
    linkSync: (existing: string, path: string) => void fs('link', existing, path),
    symlinkSync: (target: string, path: string) => void fs('symlink', target, path),
    readlinkSync: (path: string, options?: unknown) => {
      const stored = fs('readlink', path) as string;
      const target = stored.startsWith('/') ? `${mount}${stored}` : stored;
      return encodingOf(options) === ('buffer' as BufferEncoding) ? Buffer.from(target) : target;
    },
    unlinkSync: (path: string) => void fs('unlink', path),
    mkdirSync: (path: string, options?: unknown) => mkdir(path, options),
    rmdirSync: (path: string, options?: unknown) => {
      if ((options as { recursive?: boolean } | undefined)?.recursive === true) return surface.rmSync(path, { recursive: true, force: true });
      fs('rmdir', path);
    },
    rmSync: (path: string, options?: unknown) => remove(path, options as { recursive?: boolean; force?: boolean } | undefined),
    readdirSync: (path: string, options?: unknown) => readdir(path, options),
    statSync: (path: string, options?: unknown) => optionalStat('stat', path, options),
    lstatSync: (path: string, options?: unknown) => optionalStat('lstat', path, options),
    existsSync: (path: string) => {
      try {
        fs('stat', path);
        return true;
      } catch {
        return false;
      }
    },
    accessSync: (path: string) => void fs('stat', path),
    realpathSync: (path: string) => `${mount === '/' ? '' : mount}${realpath(path)}`,
    truncateSync: (path: string, length = 0) => void fs('truncate', path, length),
    utimesSync: (path: string, _atime: unknown, mtime: unknown) => void fs('utimes', path, timeMs(mtime), true),
    lutimesSync: (path: string, _atime: unknown, mtime: unknown) => void fs('utimes', path, timeMs(mtime), false),
    futimesSync: (fd: number, _atime: unknown, mtime: unknown) => void fs('utimes', fd, timeMs(mtime), true),
    copyFileSync: (from: string, to: string, mode = 0) => {
      const bytes = fs('readFile', from) as Bytes;
      writeWhole(to, bytes, undefined, (mode & 1) === 1 ? 'wx' : 'w');
    },
    chmodSync: (path: string) => void fs('stat', path),
    lchmodSync: (path: string) => void fs('lstat', path),
    chownSync: (path: string) => void fs('stat', path),
    lchownSync: (path: string) => void fs('lstat', path),
    fchmodSync: (fd: number) => void fs('fstat', fd),
    fchownSync: (fd: number) => void fs('fstat', fd),
    mkdtempSync: (prefix: string) => {
      for (;;) {
        const path = `${prefix}${Math.random().toString(36).slice(2, 8)}`;
        try {
          fs('mkdir', path, false);
          return `${mount}${path}`;
        } catch (error) {
          if ((error as { code?: string }).code !== 'EEXIST') throw error;
        }
      }
    },
  };

  function writeWhole(path: string | number, data: unknown, options: unknown, flag: string): void {
    const bytes = toBytes(data, encodingOf(options));
    if (typeof path === 'number') return writeAll(path, bytes, null);
    const fd = surface.openSync(path, flagOf(options, flag));
    try {
      writeAll(fd, bytes, null);
    } finally {
      surface.closeSync(fd);
    }
  }

  function mkdir(path: string, options: unknown): string | undefined {
    const recursive = typeof options === 'object' && options !== null && (options as { recursive?: boolean }).recursive === true;
    if (!recursive) return void fs('mkdir', path, false);
    return mkdirRecursive(path, 0);
  }

  /** As libuv does it: mkdir the path; on ENOENT make the parent first; EEXIST of a directory is fine. */
  function mkdirRecursive(path: string, depth: number): string | undefined {
    if (depth > 64) throw Object.assign(new Error(`ELOOP: mkdir '${mount}${path}' nested too deep`), { code: 'ELOOP' });
    try {
      fs('mkdir', path, false);
      return `${mount}${path}`;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EEXIST' && surface.statSync(path)?.isDirectory() === true) return undefined;
      if (code !== 'ENOENT' || path === '/') throw error;
    }
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    const first = mkdirRecursive(parent, depth + 1);
    fs('mkdir', path, false);
    return first ?? `${mount}${path}`;
  }

  function remove(path: string, options: { recursive?: boolean; force?: boolean } | undefined): void {
    let stats;
    try {
      stats = surface.lstatSync(path);
    } catch (error) {
      if (options?.force === true && (error as { code?: string }).code === 'ENOENT') return;
      throw error;
    }
    if (stats === undefined) return;
    if (!stats.isDirectory()) return void fs('unlink', path);
    if (options?.recursive !== true) throw Object.assign(new Error(`ERR_FS_EISDIR: Path is a directory: rm returned EISDIR (is a directory) ${mount}${path}`), { code: 'ERR_FS_EISDIR' });
    for (const name of fs('readdir', path, false) as string[]) remove(`${path === '/' ? '' : path}/${name}`, options);
    fs('rmdir', path);
  }

  function readdir(path: string, options: unknown) {
    const withFileTypes = typeof options === 'object' && options !== null && (options as { withFileTypes?: boolean }).withFileTypes === true;
    if (!withFileTypes) {
      const names = fs('readdir', path, false) as string[];
      return encodingOf(options) === ('buffer' as BufferEncoding) ? names.map((n) => Buffer.from(n)) : names;
    }
    const entries = fs('readdir', path, true) as { name: string; kind: StatsData['kind'] }[];
    return entries.map((entry) => toDirent(entry.name, entry.kind, `${mount}${path}`));
  }

  function optionalStat(op: 'stat' | 'lstat', path: string, options: unknown) {
    try {
      return statOf(op, path);
    } catch (error) {
      if ((options as { throwIfNoEntry?: boolean } | undefined)?.throwIfNoEntry === false && (error as { code?: string }).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** realpath(3): walks the path component by component, following symlinks with lstat and readlink. */
  function realpath(path: string): string {
    let pending = path.split('/').filter(Boolean);
    let resolved = '';
    for (let hops = 0; pending.length > 0;) {
      const [part, ...rest] = pending as [string, ...string[]];
      pending = rest;
      if (part === '.') continue;
      if (part === '..') {
        resolved = resolved.slice(0, resolved.lastIndexOf('/'));
        continue;
      }
      const candidate = `${resolved}/${part}`;
      if (!surface.lstatSync(candidate)!.isSymbolicLink()) {
        resolved = candidate;
        continue;
      }
      if (++hops > MAX_SYMLINK_HOPS) throw Object.assign(new Error(`ELOOP: too many symbolic links encountered, realpath '${mount}${path}'`), { code: 'ELOOP' });
      const target = fs('readlink', candidate) as string;
      if (target.startsWith('/')) resolved = '';
      pending = [...target.split('/').filter(Boolean), ...pending];
    }
    return resolved === '' ? '/' : resolved;
  }

  return surface;
}

function timeMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value * 1000; // seconds, as utimes takes them
  if (typeof value === 'string') return Number(value) * 1000;
  throw new TypeError(`bad time ${String(value)}`);
}

export type SyncSurface = ReturnType<typeof syncSurface>;
