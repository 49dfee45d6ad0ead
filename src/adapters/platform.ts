// The lowest layer the production adapters stand on: Node's file calls, clocks, timers, entropy,
// process identity, network (outgoing fetch, a listening server) and signals, as one object. `nodePlatform` binds the real ones; every production
// adapter (nodeFileSystem, systemClock, cryptoRandom, nodeProcesses, the HTTP upstream) is built over
// a Platform, so a simulation that supplies another one runs those adapters, systemIo and the CLI
// unchanged: only what the operating system would do is replaced.
import { constants, promises as fsp, readFileSync } from 'node:fs';
import { randomBytes, randomInt } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { serveFetchHandler } from './httpServer.ts';

/** The open(2) flag bits PlatformFs.open takes: this machine's O_* values. */
export const OPEN_BITS = {
  O_RDONLY: constants.O_RDONLY,
  O_WRONLY: constants.O_WRONLY,
  O_RDWR: constants.O_RDWR,
  O_CREAT: constants.O_CREAT,
  O_EXCL: constants.O_EXCL,
  O_TRUNC: constants.O_TRUNC,
  O_DIRECTORY: constants.O_DIRECTORY,
} as const;

/** What a file-call result says of its file: the part of node's fs.Stats the adapters read. */
export interface PlatformStats {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  readonly size: number;
  readonly mtimeMs: number;
}

/** An open file, as node:fs/promises' FileHandle. */
export interface PlatformFileHandle {
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ readonly bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The calls of node:fs/promises the adapters make, with numeric open flags (OPEN_BITS). */
export interface PlatformFs {
  open(path: string, flags: number, mode?: number): Promise<PlatformFileHandle>;
  readFile(path: string): Promise<Uint8Array>;
  rename(fromPath: string, toPath: string): Promise<void>;
  link(existingPath: string, newPath: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options: { recursive: boolean }): Promise<unknown>;
  rmdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<PlatformStats>;
  lstat(path: string): Promise<PlatformStats>;
}

/** A timer of the platform: it can be cancelled, and an unref'd one never keeps the process alive. */
export interface PlatformTimer {
  unref?(): unknown;
}

export interface Platform {
  readonly fs: PlatformFs;
  /** Reads a small file synchronously (Linux's /proc); throws when there is none. */
  readTextSync(path: string): string;
  /** The wall clock (Date.now()). */
  wallNowMs(): number;
  /** The monotonic clock in ms (performance.now()). */
  monotonicNowMs(): number;
  /** The monotonic clock in ns, comparable between the processes of one host (process.hrtime.bigint()). */
  monotonicNs(): bigint;
  setTimeout(callback: () => void, delayMs: number): PlatformTimer;
  clearTimeout(timer: PlatformTimer): void;
  setInterval(callback: () => void, intervalMs: number): PlatformTimer;
  clearInterval(timer: PlatformTimer): void;
  randomBytes(byteCount: number): Uint8Array;
  /** An integer in [min, maxExclusive), uniformly. */
  randomInt(min: number, maxExclusive: number): number;
  readonly pid: number;
  readonly hostname: string;
  /** process.kill(pid, 0): throws (ESRCH, EPERM) as Node does. */
  signalZero(pid: number): void;
  readonly fetch: typeof fetch;
  /** The working directory relative paths resolve against. */
  cwd(): string;
  /** Serves `handler` on host:port (0: any free port) until `close`; rejects if it cannot bind. */
  listen(handler: FetchHandler, port: number, host: string): Promise<PlatformServer>;
  /** Calls `listener` once, at the first SIGTERM or SIGINT the process receives. */
  onceTerminated(listener: () => void): void;
}

export type FetchHandler = (request: Request) => Promise<Response>;

export interface PlatformServer {
  /** The port it is bound to (the one chosen when 0 was asked for). */
  readonly port: number;
  /** Stops accepting, lets open requests finish, then resolves. */
  close(): Promise<void>;
}

/** node:http around the handler, on a real socket. */
async function listenNode(handler: FetchHandler, port: number, host: string): Promise<PlatformServer> {
  const server = serveFetchHandler(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const nodePlatform: Platform = {
  fs: fsp,
  readTextSync: (path) => readFileSync(path, 'utf8'),
  wallNowMs: () => Date.now(),
  monotonicNowMs: () => performance.now(),
  monotonicNs: () => process.hrtime.bigint(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  setInterval: (callback, intervalMs) => setInterval(callback, intervalMs),
  clearInterval: (timer) => clearInterval(timer as ReturnType<typeof setInterval>),
  randomBytes: (byteCount) => randomBytes(byteCount),
  randomInt: (min, maxExclusive) => randomInt(min, maxExclusive),
  pid: process.pid,
  hostname: hostname(),
  signalZero: (pid) => void process.kill(pid, 0),
  // Looked up at call time: a test or an instrumentation library may replace the global.
  fetch: (input, init) => fetch(input, init),
  cwd: () => process.cwd(),
  listen: listenNode,
  onceTerminated: (listener) => {
    let called = false;
    const once = () => {
      if (called) return;
      called = true;
      listener();
    };
    process.once('SIGTERM', once);
    process.once('SIGINT', once);
  },
};
