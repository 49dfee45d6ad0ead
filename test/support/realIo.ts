// An Io on the real filesystem for tests: a fresh temp directory, a clock the test steers, a
// recording log, and the default handlers. Only the clock and pid liveness are test-controlled.
import { lstat, mkdir, mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSystem } from '../../src/adapters/nodeFileSystem.ts';
import { cryptoRandom } from '../../src/adapters/systemPorts.ts';
import type { Io } from '../../src/ports/io.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { LogEventName, LogFields } from '../../src/ports/log.ts';
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import { acquireLock, type HeldLock, type LockOptions } from '../../src/ownerLock.ts';
import { acceptingAudio, defaultHandlers } from '../../src/defaultHandlers.ts';
import { makeConfig, type RuntimeConfig } from '../../src/config.ts';
import { defaultPolicy } from '../../src/defaultPolicy.ts';

export interface LoggedEvent extends LogFields {
  event: LogEventName;
}

export class ManualClock implements Clock {
  constructor(
    public wallMs = 1_800_000_000_000,
    public monoMs = 0,
  ) {}
  nowMs(): number {
    return this.wallMs;
  }
  monotonicMs(): number {
    return this.monoMs;
  }
  async sleep(durationMs: number): Promise<void> {
    this.advance(durationMs);
  }
  every(): { cancel(): void } {
    return { cancel: () => undefined };
  }
  advance(durationMs: number): void {
    this.wallMs += durationMs;
    this.monoMs += durationMs;
  }
}

export interface TestWorld {
  root: string;
  io: Io;
  clock: ManualClock;
  events: LoggedEvent[];
  config: RuntimeConfig;
  dead: Set<number>;
  withPid(pid: number, fs?: FileSystem): Io;
  cleanup(): Promise<void>;
}

export async function makeRealWorld(overrides: Partial<RuntimeConfig> = {}): Promise<TestWorld> {
  const root = await mkdtemp(join(tmpdir(), 'durable-jobs-'));
  const clock = new ManualClock();
  const events: LoggedEvent[] = [];
  const dead = new Set<number>();
  const build = (pid: number, fs: FileSystem = nodeFileSystem): Io => ({
    fs,
    clock,
    random: cryptoRandom,
    processes: { pid, host: 'test-host', isAlive: (p) => !dead.has(p) },
    log: { emit: (event, fields = {}) => void events.push({ event, ...fields, pid }) },
    // A deployment whose transcriber takes audio, so a test can enqueue a job that fails in transcribe.
    handlers: acceptingAudio(defaultHandlers),
    policy: defaultPolicy,
  });
  return {
    root,
    io: build(1000),
    clock,
    events,
    config: makeConfig({
      root: join(root, 'data'),
      staleAfterMs: 60_000,
      heartbeatEveryMs: 10_000,
      backoffBaseMs: 1_000,
      backoffCapMs: 60_000,
      ...overrides,
    }),
    dead,
    withPid: build,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/**
 * Sets the mtime of `path` and of everything under it (symbolic links are not followed) to `atMs`.
 * The kernel stamps real files with its own clock, but the runtime judges their age by the test's:
 * stamping them with the test clock makes ages deterministic, whatever the date the tests run on.
 */
export async function stampTree(path: string, atMs: number): Promise<void> {
  const stats = await lstat(path);
  if (stats.isSymbolicLink()) return;
  if (stats.isDirectory()) for (const name of await readdir(path)) await stampTree(join(path, name), atMs);
  await utimes(path, new Date(atMs), new Date(atMs));
}

export const SRT =
  '1\n00:00:01,000 --> 00:00:02,000\nHello there.\n\n2\n00:00:03,000 --> 00:00:04,000\nGeneral <i>Kenobi</i>.\n';
export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A session lock directory `s` under a fresh real world, with the lock options the lock tests use. */
export async function sessionLockDir(world: TestWorld): Promise<{ dir: string; options: LockOptions }> {
  const dir = join(world.root, 's');
  await mkdir(dir);
  return {
    dir,
    options: {
      name: 'session',
      path: join(dir, 'session.lock'),
      staleAfterMs: 60_000,
      heartbeatEveryMs: 10_000,
      logFields: { sessionId: 's' },
    },
  };
}

/** A live runner (process `pid`) holding session `sessionId`'s lock; release it when the test is done. */
export async function holdSessionLock(world: TestWorld, sessionId: string, pid: number): Promise<HeldLock> {
  const sessionDir = join(world.config.root, 'sessions', sessionId);
  await mkdir(sessionDir, { recursive: true });
  const holder = await acquireLock(world.withPid(pid), {
    name: 'session',
    path: join(sessionDir, 'session.lock'),
    staleAfterMs: 60_000,
    heartbeatEveryMs: 10_000,
  });
  if (!holder.acquired) throw new Error(`holdSessionLock: session ${sessionId} is already held`);
  return holder.lock;
}
