// The synchronous node:fs surface over the simulated kernel: every *Sync function that persistence code
// calls, each made of the kernel's primitives (kernelProtocol.ts) the way libc makes them of syscalls
// (realpath walks with lstat and readlink; writeFile is open, write until done, close). The callback
// and promise forms (asyncForms.ts) are built on these. Paths arrive already mapped into the
// simulation (installSimulatedFs.ts routes them); a descriptor is a kernel descriptor (at least FD_BASE).
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
  if (
    typeof options === 'object' &&
    options !== null &&
    typeof (options as { encoding?: unknown }).encoding === 'string'
  )
    return (options as { encoding: BufferEncoding }).encoding;
  return undefined;
}

export function flagOf(options: unknown, fallback: string): string {
  const flag = typeof options === 'object' && options !== null ? (options as { flag?: unknown }).flag : undefined;
  return typeof flag === 'string' ? flag : fallback;
}

export function toBytes(data: unknown, encoding: Encoding): Bytes {
  if (typeof data === 'string') return Buffer.from(data, encoding ?? 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError(
    `The "data" argument must be of type string or an instance of Buffer, TypedArray, ` +
      `or DataView. Received ${typeof data}`,
  );
}

const decode = (bytes: Bytes, encoding: Encoding): Buffer | string => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return encoding === undefined || encoding === ('buffer' as BufferEncoding) ? buffer : buffer.toString(encoding);
};

type FsOp = Parameters<SyncKernel['call']>[0] extends infer R
  ? R extends { kind: 'fs'; op: infer O }
    ? O
    : never
  : never;

/** What every group of calls is made of: the kernel's fs primitives and the mount the paths live under. */
interface Surface {
  readonly fs: (op: FsOp, ...args: unknown[]) => unknown;
  readonly mount: string;
}

type ErrnoLike = { code?: string };

/** The kernel-backed synchronous primitives; `sim` paths are simulated paths (mount stripped). */
export function syncSurface(kernel: SyncKernel, mount: string) {
  const s: Surface = { fs: (op, ...args) => kernel.call({ kind: 'fs', op, args }), mount };
  return { ...descriptorCalls(s), ...fileCalls(s), ...directoryCalls(s), ...statCalls(s), ...metadataCalls(s) };
}

/** Calls on an open descriptor. */
function descriptorCalls({ fs }: Surface) {
  return {
    openSync: (path: string, flags: unknown = 'r') => fs('open', path, flags) as number,
    closeSync: (fd: number) => void fs('close', fd),
    fsyncSync: (fd: number) => void fs('fsync', fd),
    fdatasyncSync: (fd: number) => void fs('fsync', fd),
    ftruncateSync: (fd: number, length = 0) => void fs('ftruncate', fd, length),
    fstatSync: (fd: number) => toStats(fs('fstat', fd) as StatsData),
    readSync: (fd: number, buffer: Uint8Array, a?: unknown, b?: unknown, c?: unknown) => {
      const options =
        typeof a === 'object' && a !== null
          ? (a as { offset?: number; length?: number; position?: number | null })
          : undefined;
      const offset = options?.offset ?? (typeof a === 'number' ? a : 0);
      const length = options?.length ?? (typeof b === 'number' ? b : buffer.byteLength - offset);
      const position =
        options !== undefined
          ? (options.position ?? null)
          : typeof c === 'number' || typeof c === 'bigint'
            ? Number(c)
            : null;
      const bytes = fs('read', fd, length, position) as Bytes;
      buffer.set(bytes, offset);
      return bytes.length;
    },
    writeSync: (fd: number, data: unknown, a?: unknown, b?: unknown, c?: unknown) => {
      if (typeof data === 'string') {
        const position = typeof a === 'number' ? a : null;
        return fs(
          'write',
          fd,
          toBytes(data, typeof b === 'string' ? (b as BufferEncoding) : undefined),
          position,
        ) as number;
      }
      const bytes = toBytes(data, undefined);
      const offset = typeof a === 'number' ? a : 0;
      const length = typeof b === 'number' ? b : bytes.length - offset;
      return fs('write', fd, bytes.subarray(offset, offset + length), typeof c === 'number' ? c : null) as number;
    },
  };
}

/** Whole-file calls, each made of open, read or write until done, close. */
function fileCalls(s: Surface) {
  const { fs, mount } = s;
  return {
    readFileSync: (path: string | number, options?: unknown) => {
      const bytes = typeof path === 'number' ? readAllFd(s, path) : (fs('readFile', path) as Bytes);
      return decode(bytes, encodingOf(options));
    },
    writeFileSync: (path: string | number, data: unknown, options?: unknown) => writeWhole(s, path, data, options, 'w'),
    appendFileSync: (path: string | number, data: unknown, options?: unknown) =>
      writeWhole(s, path, data, options, 'a'),
    copyFileSync: (from: string, to: string, mode = 0) =>
      writeWhole(s, to, fs('readFile', from) as Bytes, undefined, (mode & 1) === 1 ? 'wx' : 'w'),
    truncateSync: (path: string, length = 0) => void fs('truncate', path, length),
    renameSync: (from: string, to: string) => void fs('rename', from, to),
    linkSync: (existing: string, path: string) => void fs('link', existing, path),
    unlinkSync: (path: string) => void fs('unlink', path),
    symlinkSync: (target: string, path: string) => void fs('symlink', target, path),
    readlinkSync: (path: string, options?: unknown) => {
      const stored = fs('readlink', path) as string;
      const target = stored.startsWith('/') ? `${mount}${stored}` : stored;
      return encodingOf(options) === ('buffer' as BufferEncoding) ? Buffer.from(target) : target;
    },
  };
}

/** Directory calls: mkdir (recursive as libuv does it), rm, rmdir, readdir, mkdtemp. */
function directoryCalls(s: Surface) {
  const { fs, mount } = s;
  return {
    mkdirSync: (path: string, options?: unknown) => {
      const recursive =
        typeof options === 'object' && options !== null && (options as { recursive?: boolean }).recursive === true;
      return recursive ? mkdirRecursive(s, path, 0) : void fs('mkdir', path, false);
    },
    rmdirSync: (path: string, options?: unknown) => {
      if ((options as { recursive?: boolean } | undefined)?.recursive === true)
        return remove(s, path, { recursive: true, force: true });
      fs('rmdir', path);
    },
    rmSync: (path: string, options?: unknown) =>
      remove(s, path, options as { recursive?: boolean; force?: boolean } | undefined),
    readdirSync: (path: string, options?: unknown) => readdir(s, path, options),
    mkdtempSync: (prefix: string) => {
      for (;;) {
        // Math.random is the worker's seeded one (simulatedEntropy.ts): the names repeat with the seed.
        const path = `${prefix}${Math.random().toString(36).slice(2, 8)}`;
        try {
          fs('mkdir', path, false);
          return `${mount}${path}`;
        } catch (error) {
          if ((error as ErrnoLike).code !== 'EEXIST') throw error;
        }
      }
    },
  };
}

/** stat and what is made of it: exists, access, realpath. */
function statCalls(s: Surface) {
  const { fs, mount } = s;
  return {
    statSync: (path: string, options?: unknown) => optionalStat(s, 'stat', path, options),
    lstatSync: (path: string, options?: unknown) => optionalStat(s, 'lstat', path, options),
    existsSync: (path: string) => {
      try {
        fs('stat', path);
        return true;
      } catch {
        return false;
      }
    },
    accessSync: (path: string) => void fs('stat', path),
    realpathSync: (path: string) => `${mount === '/' ? '' : mount}${realpath(s, path)}`,
  };
}

/** Times are kept (mtime); modes and owners are not modelled: those calls only check the path exists. */
function metadataCalls({ fs }: Surface) {
  return {
    utimesSync: (path: string, _atime: unknown, mtime: unknown) => void fs('utimes', path, timeMs(mtime), true),
    lutimesSync: (path: string, _atime: unknown, mtime: unknown) => void fs('utimes', path, timeMs(mtime), false),
    futimesSync: (fd: number, _atime: unknown, mtime: unknown) => void fs('utimes', fd, timeMs(mtime), true),
    chmodSync: (path: string) => void fs('stat', path),
    lchmodSync: (path: string) => void fs('lstat', path),
    chownSync: (path: string) => void fs('stat', path),
    lchownSync: (path: string) => void fs('lstat', path),
    fchmodSync: (fd: number) => void fs('fstat', fd),
    fchownSync: (fd: number) => void fs('fstat', fd),
  };
}

/** Every byte of `bytes`, at `position` or (null) at the descriptor's own position: the runtime's writeAll loop. */
function writeAll({ fs }: Surface, fd: number, bytes: Bytes, position: number | null): void {
  writeAllSync((data, offset) => fs('write', fd, data, position === null ? null : position + offset) as number, bytes);
}

function readAllFd({ fs }: Surface, fd: number): Bytes {
  const chunks: Bytes[] = [];
  for (;;) {
    const chunk = fs('read', fd, 64 * 1024, null) as Bytes;
    if (chunk.length === 0) return Buffer.concat(chunks);
    chunks.push(chunk);
  }
}

function writeWhole(s: Surface, path: string | number, data: unknown, options: unknown, flag: string): void {
  const bytes = toBytes(data, encodingOf(options));
  if (typeof path === 'number') return writeAll(s, path, bytes, null);
  const fd = s.fs('open', path, flagOf(options, flag)) as number;
  try {
    writeAll(s, fd, bytes, null);
  } finally {
    s.fs('close', fd);
  }
}

/** As libuv does it: mkdir the path; on ENOENT make the parent first; EEXIST of a directory is fine. */
function mkdirRecursive(s: Surface, path: string, depth: number): string | undefined {
  if (depth > 64) throw Object.assign(new Error(`ELOOP: mkdir '${s.mount}${path}' nested too deep`), { code: 'ELOOP' });
  try {
    s.fs('mkdir', path, false);
    return `${s.mount}${path}`;
  } catch (error) {
    const code = (error as ErrnoLike).code;
    if (code === 'EEXIST' && optionalStat(s, 'stat', path, undefined)?.isDirectory() === true) return undefined;
    if (code !== 'ENOENT' || path === '/') throw error;
  }
  const parent = path.slice(0, path.lastIndexOf('/')) || '/';
  const first = mkdirRecursive(s, parent, depth + 1);
  s.fs('mkdir', path, false);
  return first ?? `${s.mount}${path}`;
}

function remove(s: Surface, path: string, options: { recursive?: boolean; force?: boolean } | undefined): void {
  let stats;
  try {
    stats = optionalStat(s, 'lstat', path, undefined);
  } catch (error) {
    if (options?.force === true && (error as ErrnoLike).code === 'ENOENT') return;
    throw error;
  }
  if (stats === undefined) return;
  if (!stats.isDirectory()) return void s.fs('unlink', path);
  if (options?.recursive !== true)
    throw Object.assign(
      new Error(`ERR_FS_EISDIR: Path is a directory: rm returned EISDIR (is a directory) ${s.mount}${path}`),
      { code: 'ERR_FS_EISDIR' },
    );
  for (const name of s.fs('readdir', path, false) as string[])
    remove(s, `${path === '/' ? '' : path}/${name}`, options);
  s.fs('rmdir', path);
}

function readdir(s: Surface, path: string, options: unknown) {
  const withFileTypes =
    typeof options === 'object' && options !== null && (options as { withFileTypes?: boolean }).withFileTypes === true;
  if (!withFileTypes) {
    const names = s.fs('readdir', path, false) as string[];
    return encodingOf(options) === ('buffer' as BufferEncoding) ? names.map((n) => Buffer.from(n)) : names;
  }
  const entries = s.fs('readdir', path, true) as { name: string; kind: StatsData['kind'] }[];
  return entries.map((entry) => toDirent(entry.name, entry.kind, `${s.mount}${path}`));
}

function optionalStat(s: Surface, op: 'stat' | 'lstat', path: string, options: unknown) {
  try {
    return toStats(s.fs(op, path) as StatsData);
  } catch (error) {
    if (
      (options as { throwIfNoEntry?: boolean } | undefined)?.throwIfNoEntry === false &&
      (error as ErrnoLike).code === 'ENOENT'
    )
      return undefined;
    throw error;
  }
}

/** realpath(3): walks the path component by component, following symlinks with lstat and readlink. */
function realpath(s: Surface, path: string): string {
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
    if (!optionalStat(s, 'lstat', candidate, undefined)!.isSymbolicLink()) {
      resolved = candidate;
      continue;
    }
    if (++hops > MAX_SYMLINK_HOPS)
      throw Object.assign(new Error(`ELOOP: too many symbolic links encountered, realpath '${s.mount}${path}'`), {
        code: 'ELOOP',
      });
    const target = s.fs('readlink', candidate) as string;
    if (target.startsWith('/')) resolved = '';
    pending = [...target.split('/').filter(Boolean), ...pending];
  }
  return resolved === '' ? '/' : resolved;
}

function timeMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value * 1000; // seconds, as utimes takes them
  if (typeof value === 'string') return Number(value) * 1000;
  throw new TypeError(`bad time ${String(value)}`);
}

export type SyncSurface = ReturnType<typeof syncSurface>;
