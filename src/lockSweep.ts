// Lock hygiene for purge: in one lock's directory, retire a stale lock, retire work directories of
// owners that never got the lock (killed mid-acquire) once they are stale, remove reap directories
// whose lock file is gone, and remove other stale `.tmp-` files. Everything goes through the same
// retire step as a takeover, so a sweep can never remove a live owner's work directory; the sweep
// retires with a record of its own (asRecordedRetirer), so nobody robs its retirement while it lives.
import type { Io } from './ports/io.ts';
import { isNotFound } from './ports/fileSystem.ts';
import { TMP_PREFIX, dirName, joinPath } from './layout.ts';
import {
  REAP_PREFIX,
  WORK_PREFIX,
  asRecordedRetirer,
  judgeHolder,
  ownerFreshness,
  ownerRecordSchema,
  retire,
  type LockOptions,
} from './ownerLock.ts';
import { readJsonFile } from './jsonFile.ts';
import { ignoreNotFound, removeTree } from './removeTree.ts';

export interface SweepCounts {
  locks: number;
  tmp: number;
  files: number;
  bytes: number;
}

type SweepIo = Pick<Io, 'fs' | 'clock' | 'random' | 'processes' | 'log' | 'policy'>;

export async function sweepLockDirectory(
  io: SweepIo,
  options: LockOptions,
  keepToken: string | undefined,
): Promise<SweepCounts> {
  const counts: SweepCounts = { locks: 0, tmp: 0, files: 0, bytes: 0 };
  const sweeperToken = io.random.hex(8);
  const judged = await judgeHolder(io, options);
  if (judged.verdict === 'stale' && judged.token !== keepToken) {
    if (
      (await asRecordedRetirer(io, options, sweeperToken, () =>
        retire(io, options, judged.token, sweeperToken, counts),
      )) === 'retired'
    ) {
      counts.locks += 1;
      io.log.emit('lock.reaped', {
        lock: options.name,
        ...options.logFields,
        token: judged.token,
        by: 'purge',
        reason: judged.reason,
      });
    }
  }
  const dir = dirName(options.path);
  const current = await readJsonFile(io.fs, options.path, ownerRecordSchema).catch(() => undefined);
  let names: string[];
  try {
    names = await io.fs.readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return counts;
    throw error;
  }
  for (const name of names.sort()) {
    if (!name.startsWith(TMP_PREFIX)) continue;
    const path = joinPath(dir, name);
    if (name.startsWith(WORK_PREFIX)) {
      const token = name.slice(WORK_PREFIX.length);
      // Our own work directory is never listed: asRecordedRetirer makes it and removes it around each retirement.
      if (token === keepToken || token === current?.token) continue;
      if (await retireIfStale(io, options, path, token, sweeperToken, counts)) counts.tmp += 1;
      continue;
    }
    if (!(await isGarbage(io, options, name, path))) continue;
    const removed = await removeTree(io.fs, path);
    counts.tmp += 1;
    counts.files += removed.files;
    counts.bytes += removed.bytes;
  }
  return counts;
}

/** A work directory whose owner is stale (or, with no record, older than the bound) is retired. */
async function retireIfStale(
  io: SweepIo,
  options: LockOptions,
  path: string,
  token: string,
  sweeperToken: string,
  counts: SweepCounts,
): Promise<boolean> {
  const record = await readJsonFile(io.fs, joinPath(path, 'owner.json'), ownerRecordSchema).catch(() => undefined);
  const stale =
    record === undefined
      ? await olderThan(io, path, options.staleAfterMs)
      : (await ownerFreshness(io, options, record)) !== 'fresh';
  return (
    stale &&
    (await asRecordedRetirer(io, options, sweeperToken, () => retire(io, options, token, sweeperToken, counts))) ===
      'retired'
  );
}

/** A reap directory no lock file names any more, or any other tmp entry older than the stale bound. */
async function isGarbage(io: SweepIo, options: LockOptions, name: string, path: string): Promise<boolean> {
  if (!name.startsWith(REAP_PREFIX)) return olderThan(io, path, options.staleAfterMs);
  // `.tmp-reap-<token>-by-<retirer>`: garbage once no lock file names that token. Its retirer has
  // then already captured that lock file (only the retirer may), so nobody needs it; once the lock
  // names another token it never names this one again. The lock is read now, after the listing:
  // between making the reap directory and capturing the lock a retirer still needs it, and a lock
  // read before the listing may predate the owner that is releasing.
  const token = name.slice(REAP_PREFIX.length).split('-by-')[0] ?? '';
  const current = await readJsonFile(io.fs, options.path, ownerRecordSchema).catch(() => undefined);
  return token !== current?.token;
}

/** Age by mtime; an mtime in the future (the clock stepped back) is never old. */
export async function olderThan(io: Pick<Io, 'fs' | 'clock'>, path: string, ageMs: number): Promise<boolean> {
  const stats = await ignoreNotFound(io.fs.lstat(path));
  return stats !== undefined && io.clock.nowMs() - stats.mtimeMs > ageMs;
}
