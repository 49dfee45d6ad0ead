// Owner locks: runner.lock and session.lock share this protocol.
//
// Files, all in the lock's directory D (tmp names start with `.tmp-` so recovery may remove them):
//   D/<name>.lock                      the owner record {pid, host, token, acquiredAt}; immutable
//   D/.tmp-work-<token>/               the owner's work directory: exists exactly while it is in charge
//   D/.tmp-work-<token>/owner.json     the record, hard-linked to D/<name>.lock at acquire time
//   D/.tmp-work-<token>/heartbeat.json {heartbeatAt}, replaced by the owner every heartbeat
//   D/.tmp-reap-<token>-by-<reaper>/   a retired work directory, removed once the lock file is gone
//
// Acquire: create the work directory and its fully written owner.json, then link(owner.json, lock).
// link is atomic and fails with EEXIST, so at most one process holds the lock file, and nobody ever
// sees a half-written record.
//
// Retire (release by the owner, or takeover of a stale owner by anyone): rename the owner's work
// directory to a reap name. That rename succeeds for exactly one process, which becomes the only one
// allowed to remove the lock file of that token. Two takers of one stale lock therefore never both
// win (the proper-lockfile stat → rmdir → mkdir race cannot happen). The lock file is removed by
// renaming it into the retirer's reap directory, never by unlink: a retirer whose retirement was taken
// over meanwhile finds that directory gone and removes nothing, so nobody ever takes away a lock file
// that a newer owner created. A retirer killed between its rename and its removal leaves its reap
// directory behind; a later taker that finds the retirer stale renames that reap directory to its own
// name (again exactly one wins) and finishes the job.
//
// Fencing: the owner writes every commit's tmp file into its work directory and renames it from there.
// Once a taker has renamed the work directory away, the owner's next commit fails with ENOENT, atomically,
// in the kernel: a paused owner that resumes after its lock was taken over cannot commit anything. The
// explicit check (`assertHeld`, between stages) is the early, friendly version of the same fence.
//
// Staleness: an owner is stale when it runs on this host and its pid is dead, or when its last
// heartbeat (wall clock) is more than `staleAfterMs` old. A heartbeat in the future (the wall clock
// stepped backwards) counts as fresh, so a backward step never makes a live lock look stale.
//
// Durability: lock files are never fsynced. After a power loss every owner is dead, and a lock that
// survived is stale by the rules above; one that vanished is simply free.
import { z } from 'zod';
import type { Io } from './ports/io.ts';
import { errorCode, isNotFound } from './ports/fileSystem.ts';
import { LockLostError, assert, errorMessage } from './errors.ts';
import { parseJsonBytes, readJsonFile } from './jsonFile.ts';
import { TMP_PREFIX, baseName, dirName, joinPath } from './layout.ts';
import { ignoreNotFound, removeTree, type RemovedCounts } from './removeTree.ts';
import { writeNewFile } from './writeFileAtomic.ts';

export type LockName = 'runner' | 'session';
type LockIo = Pick<Io, 'fs' | 'clock' | 'random' | 'processes' | 'log' | 'policy'>;

export const ownerRecordSchema = z.object({
  lock: z.enum(['runner', 'session']),
  pid: z.number().int(),
  host: z.string(),
  token: z.string().regex(/^[a-f0-9]{8,64}$/),
  acquiredAt: z.number().int(),
});
export type OwnerRecord = z.infer<typeof ownerRecordSchema>;
const heartbeatSchema = z.object({ heartbeatAt: z.number().int() });

export interface LockOptions {
  readonly name: LockName;
  readonly path: string;
  readonly staleAfterMs: number;
  readonly heartbeatEveryMs: number;
  /** Fields added to this lock's log events (jobId, sessionId). */
  readonly logFields?: Record<string, string>;
}

export type AcquireResult =
  | { readonly acquired: true; readonly lock: HeldLock }
  | { readonly acquired: false; readonly holder: OwnerRecord | undefined };

/** Acquire attempts in one call: each failed round means another process changed the lock under us. */
const MAX_ACQUIRE_ROUNDS = 8;
export const WORK_PREFIX = `${TMP_PREFIX}work-`;
export const REAP_PREFIX = `${TMP_PREFIX}reap-`;
/** The name a retired lock file takes inside its retirer's reap directory, followed by the retirer's token. */
const CAPTURED_LOCK = 'lock-by-';

export function workDirOf(lockPath: string, token: string): string {
  return joinPath(dirName(lockPath), `${WORK_PREFIX}${token}`);
}

/** Fresh starts of an acquire whose own work directory was retired under it (see acquireLock). */
const MAX_ACQUIRE_STARTS = 3;

export async function acquireLock(io: LockIo, options: LockOptions): Promise<AcquireResult> {
  assert(
    options.heartbeatEveryMs > 0 && options.heartbeatEveryMs * 2 <= options.staleAfterMs,
    'the heartbeat interval must be at most half the stale bound',
  );
  // A sweeper may judge our half-made work directory stale and retire it before our link (the wall
  // clock jumped forward, or we were paused past the stale bound mid-acquire): start again afresh.
  for (let start = 1; ; start++) {
    const outcome = await acquireOnce(io, options, start === MAX_ACQUIRE_STARTS);
    if (outcome !== 'retired') return outcome;
  }
}

/** This process's owner record for `token`, as written into its work directory's owner.json. */
function ownRecord(io: LockIo, options: LockOptions, token: string): OwnerRecord {
  return { lock: options.name, pid: io.processes.pid, host: io.processes.host, token, acquiredAt: io.clock.nowMs() };
}

async function writeRecord(io: LockIo, recordPath: string, record: OwnerRecord): Promise<void> {
  await writeNewFile(io.fs, recordPath, new TextEncoder().encode(`${JSON.stringify(record)}\n`));
}

async function acquireOnce(io: LockIo, options: LockOptions, last: boolean): Promise<AcquireResult | 'retired'> {
  const token = io.random.hex(8);
  const workDir = workDirOf(options.path, token);
  const record = ownRecord(io, options, token);
  await io.fs.mkdir(workDir);
  const recordPath = joinPath(workDir, 'owner.json');
  try {
    await writeRecord(io, recordPath, record);
  } catch (error) {
    if (!last && (await workDirRetired(io, workDir, error))) return 'retired';
    throw error;
  }
  let holder: OwnerRecord | undefined;
  for (let round = 0; round < MAX_ACQUIRE_ROUNDS; round++) {
    try {
      await io.fs.link(recordPath, options.path);
      const lock = new HeldLock(io, options, record, workDir);
      io.log.emit('lock.acquired', { lock: options.name, ...options.logFields, token });
      lock.startHeartbeat();
      return { acquired: true, lock };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') {
        const retired = await workDirRetired(io, workDir, error);
        await removeTree(io.fs, workDir).catch(() => undefined);
        if (retired && !last) return 'retired';
        throw error;
      }
    }
    const judged = await judgeHolder(io, options);
    holder = judged.holder;
    if (judged.verdict === 'gone') continue;
    if (judged.verdict === 'fresh') break;
    const outcome = await retire(io, options, judged.token, token);
    if (outcome === 'retired')
      io.log.emit('lock.reaped', {
        lock: options.name,
        ...options.logFields,
        token: judged.token,
        by: token,
        reason: judged.reason,
      });
    if (outcome === 'busy') break;
  }
  await removeTree(io.fs, workDir);
  io.log.emit('lock.busy', {
    lock: options.name,
    ...options.logFields,
    holderPid: holder?.pid,
    holderHost: holder?.host,
  });
  return { acquired: false, holder };
}

/** The call failed because our own work directory is gone: a sweeper retired it. */
async function workDirRetired(io: LockIo, workDir: string, error: unknown): Promise<boolean> {
  return isNotFound(error) && (await ignoreNotFound(io.fs.lstat(workDir)).catch(() => 'unknown')) === undefined;
}

type Judgement =
  | { verdict: 'gone'; holder: undefined }
  | { verdict: 'fresh'; holder: OwnerRecord | undefined }
  | {
      verdict: 'stale';
      holder: OwnerRecord | undefined;
      token: string;
      reason: 'owner process is dead' | 'heartbeat older than the stale bound';
    };

/** Reads the current lock file and decides whether its owner is still in charge. */
export async function judgeHolder(io: LockIo, options: LockOptions): Promise<Judgement> {
  let bytes: Uint8Array;
  try {
    bytes = await io.fs.readFile(options.path);
  } catch (error) {
    if (isNotFound(error)) return { verdict: 'gone', holder: undefined };
    throw error;
  }
  let holder: OwnerRecord;
  try {
    holder = parseJsonBytes(options.path, bytes, ownerRecordSchema);
  } catch (error) {
    // A live owner's lock file always holds its full record: the record is written before the link
    // that makes it the lock. Only a power loss (unsynced data dropped) leaves one without, and after
    // a power loss every owner is dead; so it is stale at once, whatever the clock says. It has no
    // token to retire, so it is captured by rename and removed (see captureAndRemove).
    io.log.emit('lock.reaped', {
      lock: options.name,
      ...options.logFields,
      reason: `corrupt lock file: ${errorMessage(error)}`,
    });
    await captureAndRemove(io, options.path, undefined);
    return { verdict: 'gone', holder: undefined };
  }
  const freshness = await ownerFreshness(io, options, holder);
  if (freshness === 'fresh') return { verdict: 'fresh', holder };
  return {
    verdict: 'stale',
    holder,
    token: holder.token,
    reason: freshness === 'dead' ? 'owner process is dead' : 'heartbeat older than the stale bound',
  };
}

export async function ownerFreshness(
  io: Pick<LockIo, 'fs' | 'clock' | 'processes' | 'policy'>,
  options: LockOptions,
  owner: OwnerRecord,
): Promise<'fresh' | 'dead' | 'expired'> {
  if (owner.host === io.processes.host && !io.processes.isAlive(owner.pid)) return 'dead';
  const heartbeat = await readJsonFile(
    io.fs,
    joinPath(workDirOf(options.path, owner.token), 'heartbeat.json'),
    heartbeatSchema,
  ).catch(() => undefined);
  const lastSeenAt = Math.max(owner.acquiredAt, heartbeat?.heartbeatAt ?? owner.acquiredAt);
  return io.policy.isStale(io.clock.nowMs(), lastSeenAt, options.staleAfterMs) ? 'expired' : 'fresh';
}

/** Stale: last seen more than the bound ago. A time in the future (the clock stepped back) is fresh. */
export function isStale(nowMs: number, lastSeenAtMs: number, staleAfterMs: number): boolean {
  return nowMs - lastSeenAtMs > staleAfterMs;
}

/**
 * Retires the owner `staleToken` on behalf of `myToken` (see the header). Returns 'retired' when the
 * lock file of that token is gone, 'retry' when another process changed things first, 'busy' when
 * another live retirer is at work.
 */
export async function retire(
  io: LockIo,
  options: LockOptions,
  staleToken: string,
  myToken: string,
  removed?: RemovedCounts,
): Promise<'retired' | 'retry' | 'busy'> {
  const dir = dirName(options.path);
  const myReap = joinPath(dir, `${REAP_PREFIX}${staleToken}-by-${myToken}`);
  try {
    await io.fs.rename(workDirOf(options.path, staleToken), myReap);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    const taken = await takeOverRetirement(io, options, staleToken, myReap);
    if (taken !== 'retired') return taken;
  }
  await captureLockInto(io, options.path, staleToken, joinPath(myReap, `${CAPTURED_LOCK}${myToken}`));
  const inner = await removeTree(io.fs, myReap);
  if (removed !== undefined) {
    removed.files += inner.files;
    removed.bytes += inner.bytes;
  }
  return 'retired';
}

/**
 * Takes the lock file of `staleToken` away by renaming it into the retirer's own reap directory (as
 * `lock-by-<its token>`), never by unlink. The rename is the fence: the file at the lock path can
 * change from this token's to a newer owner's only once this token's lock was removed, which only the
 * holder of its reap directory does; if a taker has since taken this retirement over (renamed the reap directory to
 * its own name), the target directory is gone and the rename fails with ENOENT in the kernel, so a
 * retirer paused between its look and its removal never takes away a newer owner's lock file. The
 * name is the retirer's own: after a power loss the reap directory may already hold an earlier
 * retirer's link to the same file, and a rename onto another link of the same file does nothing.
 */
async function captureLockInto(io: LockIo, lockPath: string, staleToken: string, target: string): Promise<void> {
  const current = await readJsonFile(io.fs, lockPath, ownerRecordSchema).catch(() => undefined);
  if (current?.token !== staleToken) return;
  await ignoreNotFound(io.fs.rename(lockPath, target));
}

/**
 * Runs `work` as a retirer with a record: a process that retires on behalf of no lock of its own (the
 * purge sweep) first writes its record into its own work directory, so that a taker finding its reap
 * directory judges it like any owner (alive and recent: busy) instead of robbing a live retirement.
 */
export async function asRecordedRetirer<T>(
  io: LockIo,
  options: LockOptions,
  token: string,
  work: () => Promise<T>,
): Promise<T> {
  const workDir = workDirOf(options.path, token);
  const record = ownRecord(io, options, token);
  await io.fs.mkdir(workDir);
  try {
    await writeRecord(io, joinPath(workDir, 'owner.json'), record);
    return await work();
  } finally {
    await removeTree(io.fs, workDir);
  }
}

/** The stale owner's work directory is gone: finish a retirement that a now-stale process started. */
async function takeOverRetirement(
  io: LockIo,
  options: LockOptions,
  staleToken: string,
  myReap: string,
): Promise<'retired' | 'retry' | 'busy'> {
  const dir = dirName(options.path);
  const prefix = `${REAP_PREFIX}${staleToken}-by-`;
  const names = (await io.fs.readdir(dir)).filter((name) => name.startsWith(prefix)).sort();
  if (names.length === 0) {
    // No work directory and no retirer: only a power loss leaves this. Capture the lock file itself.
    const current = await readJsonFile(io.fs, options.path, ownerRecordSchema).catch(() => undefined);
    if (current?.token !== staleToken) return 'retry';
    await captureAndRemove(io, options.path, staleToken);
    return 'retry';
  }
  for (const name of names) {
    const retirerToken = name.slice(prefix.length);
    const retirerRecord = await readJsonFile(
      io.fs,
      joinPath(workDirOf(options.path, retirerToken), 'owner.json'),
      ownerRecordSchema,
    ).catch(() => undefined);
    if (retirerRecord !== undefined && (await ownerFreshness(io, options, retirerRecord)) === 'fresh') return 'busy';
    try {
      await io.fs.rename(joinPath(dir, name), myReap);
      return 'retired';
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return 'retry';
}

/**
 * Removes a lock file that has no work directory (only possible after a power loss) by renaming it to
 * a unique name first and checking what was captured; a newer owner's lock captured by mistake is put
 * back with link, which never replaces an existing file.
 */
async function captureAndRemove(io: LockIo, lockPath: string, expectedToken: string | undefined): Promise<void> {
  const capture = joinPath(dirName(lockPath), `${TMP_PREFIX}capture-${io.random.hex(8)}`);
  try {
    await io.fs.rename(lockPath, capture);
  } catch (error) {
    if (isNotFound(error)) return;
    throw error;
  }
  const captured = await readJsonFile(io.fs, capture, ownerRecordSchema).catch(() => undefined);
  if (captured !== undefined && captured.token !== expectedToken) {
    await io.fs.link(capture, lockPath).catch((error: unknown) => {
      if (errorCode(error) !== 'EEXIST') throw error;
    });
  }
  await ignoreNotFound(io.fs.unlink(capture));
}

export class HeldLock {
  private timer: { cancel(): void } | undefined;
  private inflight: Promise<void> = Promise.resolve();
  private lost = false;
  private released = false;

  constructor(
    private readonly io: LockIo,
    readonly options: LockOptions,
    readonly record: OwnerRecord,
    /** Commit tmp files go here: renaming it away is the fence. */
    readonly workDir: string,
  ) {}

  get token(): string {
    return this.record.token;
  }

  startHeartbeat(): void {
    this.timer = this.io.clock.every(this.options.heartbeatEveryMs, () => {
      this.inflight = this.inflight.then(() => this.heartbeat()).catch(() => undefined);
    });
  }

  /** Refreshes the heartbeat; marks the lock lost if the work directory was retired by a taker. */
  async heartbeat(): Promise<void> {
    if (this.released || this.lost) return;
    const tmp = joinPath(this.workDir, `${TMP_PREFIX}hb-${this.io.random.hex(4)}`);
    try {
      await writeNewFile(
        this.io.fs,
        tmp,
        new TextEncoder().encode(JSON.stringify({ heartbeatAt: this.io.clock.nowMs() })),
      );
      await this.io.fs.rename(tmp, joinPath(this.workDir, 'heartbeat.json'));
    } catch (error) {
      await ignoreNotFound(this.io.fs.unlink(tmp)).catch(() => undefined);
      if (isNotFound(error)) this.markLost();
      else throw error;
    }
  }

  /** The fence check before a commit: the work directory exists exactly while this owner is in charge. */
  async assertHeld(): Promise<void> {
    if (this.lost) throw this.lostError();
    try {
      const stats = await this.io.fs.stat(this.workDir);
      assert(stats.isDirectory, `${this.workDir} is not a directory`);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      this.markLost();
      throw this.lostError();
    }
  }

  get isLost(): boolean {
    return this.lost;
  }

  markLost(): void {
    if (this.lost) return;
    this.lost = true;
    this.io.log.emit('lock.lost', { lock: this.options.name, ...this.options.logFields, token: this.token });
  }

  lostError(): LockLostError {
    return new LockLostError(
      `${this.options.name} lock ${baseName(this.options.path)} was taken over (token ${this.token}); ` +
        `this owner commits nothing more`,
    );
  }

  /** Releases the lock; after a takeover there is nothing left to release, and that is not an error. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.timer?.cancel();
    await this.inflight;
    const outcome = await retire(this.io, this.options, this.token, this.token).catch((error: unknown) => error);
    if (outcome === 'retired') {
      this.io.log.emit('lock.released', { lock: this.options.name, ...this.options.logFields, token: this.token });
      return;
    }
    if (outcome instanceof Error) throw outcome;
    this.markLost();
  }
}
