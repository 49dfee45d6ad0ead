// A node:fs shim over SimFs: unmodified code (a library, your module) runs in the simulated world,
// so the explorer can crash it at every call. Installing patches the real `fs` module object (and,
// through `syncBuiltinESMExports`, the ESM bindings of `node:fs` and `node:fs/promises`), routing only
// paths under MOUNT, and file descriptors the shim handed out, to the simulated process; everything
// else (vitest, tsx, your other files) still reaches the real filesystem.
//
// Supported: promises open (FileHandle write/writeFile/sync/datasync/close/stat), writeFile, readFile,
// rename, unlink, mkdir, rmdir, readdir, stat, lstat, realpath, access; callbacks open, write, fsync,
// fdatasync, close, rename, unlink, stat, lstat, realpath, chown, chmod (checks only), mkdir, readFile.
// Anything else on a MOUNT path — append flags, sync (*Sync) calls, streams, watchers — is refused
// with an error that names the call: never silently wrong.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { promisify } from 'node:util';
import type { FileHandle, FileStats, FileSystem, OpenFlags } from '../../src/ports/fileSystem.ts';

export const MOUNT = '/__simfs__';
const FD_BASE = 1_000_000;

type Cb = (error: NodeJS.ErrnoException | null, ...values: unknown[]) => void;

const refused = (what: string) => new Error(`durable-jobs fs shim: ${what} is not supported on simulated paths`);
const simPath = (path: unknown): string | undefined => {
  const p = path instanceof URL ? path.pathname : typeof path === 'string' ? path : Buffer.isBuffer(path) ? path.toString() : undefined;
  return p !== undefined && (p === MOUNT || p.startsWith(`${MOUNT}/`)) ? p.slice(MOUNT.length) || '/' : undefined;
};

function toOpenFlags(flags: unknown): OpenFlags {
  const c = fs.constants;
  if (flags === undefined || flags === 'r' || flags === c.O_RDONLY || flags === (c.O_RDONLY | c.O_DIRECTORY)) return 'r';
  if (flags === 'wx' || flags === 'xw' || flags === (c.O_WRONLY | c.O_CREAT | c.O_EXCL)) return 'wx';
  if (flags === 'w' || flags === (c.O_WRONLY | c.O_CREAT | c.O_TRUNC)) return 'w';
  if (flags === 'r+' || flags === c.O_RDWR) return 'r+';
  throw refused(`open flags ${String(flags)}`);
}

function toStats(s: FileStats): fs.Stats {
  return {
    isFile: () => s.isFile, isDirectory: () => s.isDirectory, isSymbolicLink: () => s.isSymbolicLink,
    size: s.sizeBytes, mtimeMs: s.mtimeMs, mtime: new Date(s.mtimeMs), mode: s.isDirectory ? 0o40755 : 0o100644, uid: 0, gid: 0,
  } as unknown as fs.Stats;
}

const toBytes = (data: unknown, encoding?: unknown): Uint8Array => {
  if (typeof data === 'string') return Buffer.from(data, (typeof encoding === 'string' ? encoding : 'utf8') as BufferEncoding);
  if (data instanceof Uint8Array) return data;
  throw refused(`writing ${typeof data}`);
};

async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let offset = 0; offset < bytes.length;) offset += await handle.write(bytes.subarray(offset), position + offset);
}

export interface InstalledShim {
  uninstall(): void;
}

/** Routes MOUNT paths to `current()` (the running simulated process's FileSystem) until uninstalled. */
export function installFsShim(current: () => FileSystem): InstalledShim {
  const fds = new Map<number, { handle: FileHandle; position: number }>();
  let nextFd = FD_BASE;
  const handleOf = (fd: number) => {
    const entry = fds.get(fd);
    if (entry === undefined) throw Object.assign(new Error('EBADF: bad file descriptor'), { code: 'EBADF' });
    return entry;
  };
  const openFd = async (path: string, flags: unknown) => {
    const handle = await current().open(path, toOpenFlags(flags), 0o644);
    const fd = nextFd++;
    fds.set(fd, { handle, position: 0 });
    return fd;
  };
  const closeFd = async (fd: number) => {
    await handleOf(fd).handle.close();
    fds.delete(fd);
  };
  const p = {
    async open(path: string, flags?: unknown) {
      const fd = await openFd(path, flags);
      const entry = handleOf(fd);
      return {
        fd,
        async write(data: unknown, a?: unknown, b?: unknown, c?: unknown) {
          const bytes = typeof data === 'string' ? toBytes(data, b) : toBytes(data).subarray(Number(a ?? 0), Number(a ?? 0) + Number(b ?? (data as Uint8Array).length - Number(a ?? 0)));
          const position = typeof data === 'string' ? (typeof a === 'number' ? a : entry.position) : typeof c === 'number' ? c : entry.position;
          const written = await entry.handle.write(bytes, position);
          entry.position = position + written;
          return { bytesWritten: written, buffer: data };
        },
        async writeFile(data: unknown, options?: unknown) {
          await writeAll(entry.handle, toBytes(data, typeof options === 'string' ? options : (options as { encoding?: string })?.encoding), 0);
        },
        sync: () => entry.handle.sync(),
        datasync: () => entry.handle.sync(),
        close: () => closeFd(fd),
        stat: async () => toStats(await current().stat(path)),
      };
    },
    async writeFile(path: string, data: unknown, options?: unknown) {
      const handle = await current().open(path, 'w', 0o644);
      try {
        await writeAll(handle, toBytes(data, typeof options === 'string' ? options : (options as { encoding?: string })?.encoding), 0);
      } finally {
        await handle.close();
      }
    },
    async readFile(path: string, options?: unknown) {
      const bytes = Buffer.from(await current().readFile(path));
      const encoding = typeof options === 'string' ? options : (options as { encoding?: string })?.encoding;
      return encoding ? bytes.toString(encoding as BufferEncoding) : bytes;
    },
    rename: (a: string, b: string) => current().rename(a, b),
    unlink: (path: string) => current().unlink(path),
    mkdir: (path: string, options?: { recursive?: boolean }) => current().mkdir(path, { recursive: options?.recursive ?? false }),
    rmdir: (path: string) => current().rmdir(path),
    readdir: (path: string) => current().readdir(path),
    stat: async (path: string) => toStats(await current().stat(path)),
    lstat: async (path: string) => toStats(await current().lstat(path)),
    realpath: async (path: string) => {
      await current().stat(path);
      return path;
    },
    access: async (path: string) => {
      await current().stat(path);
    },
  };
  const sim = (path: string) => `${MOUNT}${path}`;
  const originals = new Map<string, unknown>();
  const originalPromises = new Map<string, unknown>();
  const patch = (name: string, replacement: (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown) => {
    const original = (fs as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!;
    originals.set(name, original);
    // Keep properties such as realpath.native; drop util.promisify.custom so promisify() goes through us.
    const replaced = Object.assign(replacement(original), original);
    delete (replaced as unknown as Record<symbol, unknown>)[promisify.custom];
    (fs as unknown as Record<string, unknown>)[name] = replaced;
  };
  const patchPromise = (name: keyof typeof p) => {
    const original = (fs.promises as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!;
    originalPromises.set(name, original);
    (fs.promises as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const paths = args.slice(0, name === 'rename' ? 2 : 1).map(simPath);
      if (paths.every((x) => x === undefined)) return original.apply(fs.promises, args);
      if (paths.some((x) => x === undefined)) return Promise.reject(refused(`${name} between a simulated and a real path`));
      return (p[name] as (...a: unknown[]) => unknown)(...paths, ...args.slice(paths.length));
    };
  };
  for (const name of Object.keys(p) as (keyof typeof p)[]) patchPromise(name);
  const callbackStyle = (run: (...args: unknown[]) => Promise<unknown>, args: unknown[]) => {
    const cb = args[args.length - 1] as Cb;
    run(...args.slice(0, -1)).then((value) => cb(null, value), (error: NodeJS.ErrnoException) => cb(error));
  };
  const byPath = (name: string, run: (path: string, ...rest: unknown[]) => Promise<unknown>) =>
    patch(name, (original) => (...args: unknown[]) => {
      const path = simPath(args[0]);
      if (path === undefined) return original(...args);
      callbackStyle((...rest) => run(path, ...rest.slice(1)), args);
      return undefined;
    });
  const byFd = (name: string, run: (fd: number, ...rest: unknown[]) => Promise<unknown>) =>
    patch(name, (original) => (...args: unknown[]) => {
      if (typeof args[0] !== 'number' || args[0] < FD_BASE) return original(...args);
      callbackStyle((...rest) => run(args[0] as number, ...rest.slice(1)), args);
      return undefined;
    });
  byPath('open', (path, flags) => openFd(path, flags));
  byPath('rename', async (path, to) => {
    const target = simPath(to);
    if (target === undefined) throw refused('rename to a real path');
    await current().rename(path, target);
  });
  byPath('unlink', (path) => current().unlink(path));
  byPath('stat', async (path) => toStats(await current().stat(path)));
  byPath('lstat', async (path) => toStats(await current().lstat(path)));
  byPath('realpath', async (path) => {
    await current().stat(path);
    return sim(path);
  });
  byPath('chown', async (path) => void (await current().stat(path)));
  byPath('chmod', async (path) => void (await current().stat(path)));
  byPath('mkdir', (path, options) => current().mkdir(path, { recursive: (options as { recursive?: boolean })?.recursive ?? false }));
  byPath('readFile', (path, options) => p.readFile(path, typeof options === 'function' ? undefined : options));
  byFd('write', async (fd, data, a, b, c) => {
    const entry = handleOf(fd);
    const isString = typeof data === 'string';
    const bytes = isString ? toBytes(data, b) : toBytes(data).subarray(Number(a ?? 0), Number(a ?? 0) + Number(b ?? (data as Uint8Array).length));
    const position = isString ? (typeof a === 'number' ? a : entry.position) : typeof c === 'number' ? c : entry.position;
    const written = await entry.handle.write(bytes, position);
    entry.position = position + written;
    return written;
  });
  byFd('fsync', async (fd) => handleOf(fd).handle.sync());
  byFd('fdatasync', async (fd) => handleOf(fd).handle.sync());
  byFd('close', async (fd) => closeFd(fd));
  for (const name of ['openSync', 'writeSync', 'fsyncSync', 'closeSync', 'renameSync', 'writeFileSync', 'unlinkSync', 'realpathSync', 'statSync', 'mkdirSync', 'readFileSync', 'createWriteStream', 'appendFile']) {
    patch(name, (original) => (...args: unknown[]) => {
      if (simPath(args[0]) !== undefined || (typeof args[0] === 'number' && args[0] >= FD_BASE)) throw refused(name);
      return original(...args);
    });
  }
  syncBuiltinESMExports();
  return {
    uninstall() {
      for (const [name, original] of originals) (fs as unknown as Record<string, unknown>)[name] = original;
      for (const [name, original] of originalPromises) (fs.promises as unknown as Record<string, unknown>)[name] = original;
      syncBuiltinESMExports();
    },
  };
}
