// The simulated kernel's answer to one foreign process's fs calls: a descriptor table over the
// process's FileSystem (so fault decorators apply to open, write, fsync, rename...) plus the calls the
// port lacks (positional read, truncate, utimes, symlinks, full stats), gated through its own SimFs.
// Node open flags become the port's: append is a write at the file's current end.
import type { FileHandle, OpenFlags } from '../../src/ports/fileSystem.ts';
import type { SimProcess, World } from '../world/world.ts';
import {
  inoOf,
  makeSymlink,
  readAt,
  readLink,
  setMtime,
  statsOfIno,
  statsOfPath,
  truncateIno,
  truncatePath,
} from '../simFs/coreExtras.ts';
import type { KernelOp } from './kernelProtocol.ts';

const FD_BASE = 1_000_000;

interface Descriptor {
  readonly path: string;
  readonly ino: number;
  readonly handle: FileHandle;
  readonly append: boolean;
  position: number;
}

function ebadf(fd: unknown): Error {
  return Object.assign(new Error(`EBADF: bad file descriptor, ${String(fd)}`), { code: 'EBADF', syscall: 'fd' });
}

type PortOpen = { flags: OpenFlags; append: boolean; createIfMissing: boolean };

const READ: PortOpen = { flags: 'r', append: false, createIfMissing: false };
const READ_WRITE: PortOpen = { flags: 'r+', append: false, createIfMissing: false };
const EXCLUSIVE: PortOpen = { flags: 'wx', append: false, createIfMissing: true };
const TRUNCATE: PortOpen = { flags: 'w', append: false, createIfMissing: true };

/** Node's string flags (the `s` of synchronous modes dropped) as the port's. */
const TEXT_FLAGS: Readonly<Record<string, PortOpen>> = {
  r: READ,
  'r+': READ_WRITE,
  wx: EXCLUSIVE,
  xw: EXCLUSIVE,
  'wx+': EXCLUSIVE,
  'xw+': EXCLUSIVE,
  w: TRUNCATE,
  'w+': TRUNCATE,
  ax: { ...EXCLUSIVE, append: true },
  xa: { ...EXCLUSIVE, append: true },
  'ax+': { ...EXCLUSIVE, append: true },
  'xa+': { ...EXCLUSIVE, append: true },
  a: { flags: 'r+', append: true, createIfMissing: true },
  'a+': { flags: 'r+', append: true, createIfMissing: true },
};

/** Node's numeric flags (O_* bits) as the port's. */
function bitFlags(bits: number): PortOpen | undefined {
  const c = { RDWR: 2, CREAT: 0o100, EXCL: 0o200, TRUNC: 0o1000, APPEND: 0o2000 };
  const has = (bit: number) => (bits & bit) === bit;
  if ((bits & 3) === 0 && !has(c.CREAT)) return READ;
  if (has(c.RDWR) && !has(c.CREAT)) return READ_WRITE;
  if (has(c.CREAT) && has(c.EXCL) && !has(c.APPEND)) return EXCLUSIVE;
  if (has(c.CREAT) && has(c.TRUNC)) return TRUNCATE;
  if (has(c.APPEND) || has(c.CREAT)) return { flags: 'r+', append: has(c.APPEND), createIfMissing: true };
  return undefined;
}

/** Node's flags (string or number) as the port's open flags, and whether writes append. */
export function portFlags(flags: unknown): PortOpen {
  const open = typeof flags === 'number' ? bitFlags(flags) : TEXT_FLAGS[String(flags ?? 'r').replace('s', '')];
  if (open === undefined)
    throw Object.assign(new Error(`durable-jobs fs shim: open flags ${String(flags)} are not supported`), {
      code: 'ERR_DURABLE_JOBS_REFUSED',
    });
  return open;
}

export class ForeignKernel {
  private readonly fds = new Map<number, Descriptor>();
  private nextFd = FD_BASE;

  constructor(
    private readonly world: World,
    private readonly process: SimProcess,
  ) {}

  private get io() {
    return this.process.io;
  }

  private fd(value: unknown): Descriptor {
    const entry = typeof value === 'number' ? this.fds.get(value) : undefined;
    if (entry === undefined) throw ebadf(value);
    return entry;
  }

  private extra<T>(
    op: Parameters<typeof this.process.simFs.call>[0],
    apply: Parameters<typeof this.process.simFs.call<T>>[1],
  ): Promise<T> {
    return this.process.simFs.call(op, apply);
  }

  /** Sleeps `forMs` of simulated time on the process's clock (a paused process wakes when resumed). */
  sleep(forMs: number): Promise<void> {
    return this.io.clock.sleep(forMs);
  }

  async handle(op: KernelOp, args: readonly unknown[]): Promise<unknown> {
    const [a, b, c] = args;
    return this.calls[op](a, b, c);
  }

  /** Each kernel call, by name: the type makes the table name every KernelOp. */
  private readonly calls: { readonly [K in KernelOp]: (a: unknown, b: unknown, c: unknown) => Promise<unknown> } = {
    open: (a, b) => this.open(String(a), b),
    close: (a) => {
      const entry = this.fd(a);
      this.fds.delete(a as number);
      return entry.handle.close();
    },
    read: (a, b, c) => this.read(this.fd(a), Number(b), c === null ? null : Number(c)),
    write: (a, b, c) => this.write(this.fd(a), b as Uint8Array, c === null ? null : Number(c)),
    fsync: (a) => this.fd(a).handle.sync(),
    ftruncate: (a, b) => {
      const entry = this.fd(a);
      return this.extra({ op: 'truncate', path: entry.path, sizeBytes: Number(b) }, (core) =>
        truncateIno(core, entry.ino, Number(b), entry.path),
      );
    },
    fstat: (a) => {
      const entry = this.fd(a);
      return this.extra({ op: 'fstat', path: entry.path }, (core) => statsOfIno(core, entry.ino));
    },
    readFile: (a) => this.io.fs.readFile(String(a)),
    rename: (a, b) => this.io.fs.rename(String(a), String(b)),
    link: (a, b) => this.io.fs.link(String(a), String(b)),
    unlink: (a) => this.io.fs.unlink(String(a)),
    mkdir: (a, b) => this.io.fs.mkdir(String(a), { recursive: b === true }),
    rmdir: (a) => this.io.fs.rmdir(String(a)),
    readdir: (a, b) => this.readdir(String(a), b === true),
    stat: (a) => this.extra({ op: 'stat', path: String(a) }, (core) => statsOfPath(core, String(a), true)),
    lstat: (a) => this.extra({ op: 'lstat', path: String(a) }, (core) => statsOfPath(core, String(a), false)),
    symlink: (a, b) =>
      this.extra({ op: 'symlink', path: String(b), to: String(a) }, (core) => makeSymlink(core, String(a), String(b))),
    readlink: (a) => this.extra({ op: 'readlink', path: String(a) }, (core) => readLink(core, String(a))),
    truncate: (a, b) =>
      this.extra({ op: 'truncate', path: String(a), sizeBytes: Number(b) }, (core) =>
        truncatePath(core, String(a), Number(b)),
      ),
    utimes: (a, b, c) => {
      const path = typeof a === 'number' ? this.fd(a).path : String(a);
      return this.extra({ op: 'utimes', path }, (core) => setMtime(core, path, Number(b), c !== false));
    },
    syncDir: (a) => this.io.fs.syncDir(String(a)),
  };

  private async open(path: string, rawFlags: unknown): Promise<number> {
    const { flags, append, createIfMissing } = portFlags(rawFlags);
    let handle: FileHandle;
    try {
      handle = await this.io.fs.open(path, flags, 0o644);
    } catch (error) {
      // O_CREAT without O_TRUNC or O_EXCL (append, 'a'): open the file, or create it if it is missing.
      if (!(createIfMissing && flags === 'r+' && (error as { code?: string }).code === 'ENOENT')) throw error;
      handle = await this.io.fs.open(path, 'wx', 0o644);
    }
    const ino = inoOf(this.world.core, path);
    if (ino === undefined) throw new Error(`foreign kernel: ${path} vanished right after its open`);
    const fd = this.nextFd++;
    this.fds.set(fd, { path, ino, handle, append, position: 0 });
    return fd;
  }

  private async read(entry: Descriptor, lengthBytes: number, position: number | null): Promise<Uint8Array> {
    const at = position ?? entry.position;
    const bytes = await this.extra(
      { op: 'read', path: entry.path, sizeBytes: lengthBytes, positionBytes: at },
      (core) => readAt(core, entry.ino, at, lengthBytes),
    );
    if (position === null) entry.position += bytes.length;
    return bytes;
  }

  private async write(entry: Descriptor, data: Uint8Array, position: number | null): Promise<number> {
    // O_APPEND: every write lands at the file's end as of that write.
    const at = entry.append ? statsOfIno(this.world.core, entry.ino).sizeBytes : (position ?? entry.position);
    const written = await entry.handle.write(data, at);
    if (position === null || entry.append) entry.position = at + written;
    return written;
  }

  private async readdir(path: string, withTypes: boolean): Promise<unknown> {
    const names = await this.io.fs.readdir(path);
    if (!withTypes) return names;
    const dir = path === '/' ? '' : path;
    // The types are read at the instant of the readdir (one directory read returns them in Linux too).
    return names.map((name) => ({ name, kind: statsOfPath(this.world.core, `${dir}/${name}`, false).kind }));
  }
}
