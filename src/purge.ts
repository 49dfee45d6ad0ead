// TTL purge, run by the runner pass under runner.lock. It removes finished jobs (complete, failed,
// deleted) whose last update is older than `ttlMs` (session by session, one session lock each),
// enqueues that died before writing state, stale `.tmp-` files, stale locks and their work
// directories, and session directories no job refers to. Every removal is counted, so the report
// matches what was done. Jobs whose state cannot be read are never purged, nor their tmp files swept:
// that would lose the evidence. Symlinks in jobs/ and sessions/ are never followed. Ages use the
// wall clock; an age below zero (the clock stepped backwards) is never old, so a backward step
// cannot purge fresh work.
import type { Io } from './ports/io.ts';
import type { RuntimeConfig } from './config.ts';
import { isNotFound } from './ports/fileSystem.ts';
import { FILE, Layout, TMP_PREFIX, isTmpName, joinPath } from './layout.ts';
import { isValidId } from './ids.ts';
import { listJobs } from './listJobs.ts';
import { readJobState } from './jobState.ts';
import { ignoreNotFound, removeTree, type RemovedCounts } from './removeTree.ts';
import { moveIntoWorkDir, removeAsHolder } from './fencedRemoval.ts';
import { UNBORN_PREFIX, purgeIncomplete, putBackIfCommitted } from './purgeIncomplete.ts';
import { olderThan, sweepLockDirectory } from './lockSweep.ts';
import { withSessionLock } from './sessionLock.ts';
import { LockLostError } from './errors.ts';
import { REAP_PREFIX, WORK_PREFIX } from './ownerLock.ts';

export interface PurgeReport {
  jobs: number;
  incompleteJobs: number;
  sessions: number;
  files: number;
  bytes: number;
  tmp: number;
  locks: number;
}

/** Past its TTL by the wall clock; an age below zero (the clock stepped back) is never expired. */
export function isExpired(nowMs: number, updatedAtMs: number, ttlMs: number): boolean {
  return nowMs - updatedAtMs > ttlMs;
}

export function emptyPurgeReport(): PurgeReport {
  return { jobs: 0, incompleteJobs: 0, sessions: 0, files: 0, bytes: 0, tmp: 0, locks: 0 };
}

const FINISHED = new Set(['complete', 'failed', 'deleted']);

/** One purge's running totals and what it decided to keep. */
interface PurgeRun {
  readonly io: Io;
  readonly config: RuntimeConfig;
  readonly layout: Layout;
  readonly report: PurgeReport;
  /** Sessions with a job that stays: their directories stay too. */
  readonly liveSessions: Set<string>;
  /** Job directories that stay: their stray tmp files are swept. */
  readonly keptDirs: string[];
}

function addRemoved(run: PurgeRun, counts: { files: number; bytes: number }): void {
  run.report.files += counts.files;
  run.report.bytes += counts.bytes;
}

export async function purge(io: Io, config: RuntimeConfig, runnerToken: string | undefined): Promise<PurgeReport> {
  const layout = new Layout(config.root);
  const run: PurgeRun = { io, config, layout, report: emptyPurgeReport(), liveSessions: new Set(), keptDirs: [] };
  const expiredBySession = await sortJobs(run);
  await purgeExpired(run, expiredBySession);
  for (const dir of [layout.jobsDir, ...run.keptDirs]) await sweepTmpFiles(io, config, layout, dir, run.report);
  if (run.report.jobs > 0) await io.fs.syncDir(layout.jobsDir);
  await sweepSessions(run);
  const rootSweep = await sweepLockDirectory(
    io,
    {
      name: 'runner',
      path: layout.runnerLock,
      staleAfterMs: config.staleAfterMs,
      heartbeatEveryMs: config.heartbeatEveryMs,
    },
    runnerToken,
  );
  run.report.locks += rootSweep.locks;
  run.report.tmp += rootSweep.tmp;
  addRemoved(run, rootSweep);
  io.log.emit('purge.done', { ...run.report });
  return run.report;
}

/**
 * Goes through the jobs: finished ones past their TTL are returned by session; incomplete ones older
 * than the stale bound (an enqueue that died before its state.json) are removed now; the rest stay.
 */
async function sortJobs(run: PurgeRun): Promise<Map<string, string[]>> {
  const { io, config, layout } = run;
  const entries = await listJobs(io.fs, layout);
  // Now is read after the listing: a time read before it, compared with an mtime or updatedAt written
  // after a backward clock step, would make fresh work look older by the step.
  const nowMs = io.clock.nowMs();
  const expiredBySession = new Map<string, string[]>();
  for (const entry of entries) {
    if (entry.state !== undefined) {
      if (FINISHED.has(entry.state.status) && io.policy.isExpired(nowMs, entry.state.updatedAt, config.ttlMs)) {
        const expired = expiredBySession.get(entry.state.sessionId);
        if (expired === undefined) expiredBySession.set(entry.state.sessionId, [entry.jobId]);
        else expired.push(entry.jobId);
        continue;
      }
      run.liveSessions.add(entry.state.sessionId);
    } else if (entry.error !== undefined) {
      // Unreadable, a symlink or not a directory: left untouched, tmp files too (they may be the only
      // copy of the newest write; through a symlink they are not ours at all).
      continue;
    } else if (nowMs - entry.mtimeMs > config.staleAfterMs) {
      const removed = await purgeIncomplete(io, layout, entry.jobId);
      if (removed === undefined) continue; // committed after all (or gone): not ours to remove
      addRemoved(run, removed);
      run.report.incompleteJobs += 1;
      continue;
    }
    run.keptDirs.push(layout.jobDir(entry.jobId));
  }
  return expiredBySession;
}

/** Expired jobs go session by session, each session's lock taken once for all of its expired jobs. */
async function purgeExpired(run: PurgeRun, expiredBySession: ReadonlyMap<string, readonly string[]>): Promise<void> {
  for (const [sessionId, jobIds] of expiredBySession) {
    const removed = await purgeSessionJobs(run.io, run.config, run.layout, sessionId, jobIds);
    for (const jobId of jobIds) {
      const counts = removed.get(jobId);
      if (counts !== undefined) {
        run.report.jobs += 1;
        addRemoved(run, counts);
        continue;
      }
      run.liveSessions.add(sessionId);
      run.keptDirs.push(run.layout.jobDir(jobId));
    }
  }
}

/** Each session: its stale locks swept, and the session removed when none of its jobs stays. */
async function sweepSessions(run: PurgeRun): Promise<void> {
  const { io, config, layout, report } = run;
  for (const sessionId of await listSessionIds(io, layout)) {
    // Only a real directory is a session: a symlink would lead the sweep out of the data root, and a
    // plain file holds no lock to sweep (and must not stop the purge of everything else).
    if (!(await isRealDirectory(io, layout.sessionDir(sessionId)))) continue;
    const sweep = await sweepLockDirectory(
      io,
      {
        name: 'session',
        path: layout.sessionLock(sessionId),
        staleAfterMs: config.staleAfterMs,
        heartbeatEveryMs: config.heartbeatEveryMs,
        logFields: { sessionId },
      },
      undefined,
    );
    report.locks += sweep.locks;
    report.tmp += sweep.tmp;
    addRemoved(run, sweep);
    if (!run.liveSessions.has(sessionId) && (await purgeSession(io, config, layout, sessionId, report)))
      report.sessions += 1;
  }
}

/**
 * Removes a session's expired jobs under its session lock (taken once for all of them), so a
 * concurrent manual retry cannot lose its update: each job's state is read again under the lock and
 * removed only if it is still finished and expired. A job disappears whole: its directory is first
 * moved into the lock's work directory (one atomic step, fenced: it fails once a taker retired the
 * lock, see fencedRemoval.ts), and that is made durable before anything inside it goes, so a crash
 * mid-purge never leaves a job whose state.json names files that are gone. Returns what was removed,
 * by job; a busy session removes nothing this pass.
 */
async function purgeSessionJobs(
  io: Io,
  config: RuntimeConfig,
  layout: Layout,
  sessionId: string,
  jobIds: readonly string[],
): Promise<Map<string, RemovedCounts>> {
  const locked = await withSessionLock(io, config, sessionId, { jobId: jobIds[0]! }, async (lock) => {
    const doomed = new Map<string, string>();
    for (const jobId of jobIds) {
      const jobDir = layout.jobDir(jobId);
      const current = await readJobState(io.fs, jobDir).catch(() => undefined);
      if (current === undefined || current.sessionId !== sessionId || !FINISHED.has(current.status)) continue;
      if (!io.policy.isExpired(io.clock.nowMs(), current.updatedAt, config.ttlMs)) continue;
      // Taken over while we worked (we were paused past the stale bound): stop; what was moved goes.
      const target = await fenced(moveIntoWorkDir(io, lock, jobDir));
      if (target === 'lost') break;
      if (target !== undefined) doomed.set(jobId, target);
    }
    if (doomed.size > 0) await io.fs.syncDir(layout.jobsDir);
    const removed = new Map<string, RemovedCounts>();
    for (const [jobId, target] of doomed) removed.set(jobId, await removeTree(io.fs, target));
    return removed;
  });
  return locked.acquired ? locked.value : new Map();
}

/** The outcome of a fenced step, or 'lost' if the lock was taken over first. */
async function fenced<T>(step: Promise<T>): Promise<T | 'lost'> {
  try {
    return await step;
  } catch (error) {
    if (error instanceof LockLostError) return 'lost';
    throw error;
  }
}

async function sweepTmpFiles(
  io: Io,
  config: RuntimeConfig,
  layout: Layout,
  dir: string,
  report: PurgeReport,
): Promise<void> {
  let names: string[];
  try {
    names = await io.fs.readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return;
    throw error;
  }
  for (const name of names) {
    if (!isTmpName(name)) continue;
    const path = joinPath(dir, name);
    // A captured enqueue that turned out committed (a crash came before its put-back) goes back.
    if (name.startsWith(UNBORN_PREFIX) && dir === layout.jobsDir && (await putBackIfCommitted(io, layout, path)))
      continue;
    if (!(await olderThan(io, path, config.staleAfterMs))) continue;
    const removed = await removeStaleTmp(io, dir, path);
    if (removed === undefined) continue;
    report.tmp += 1;
    report.files += removed.files;
    report.bytes += removed.bytes;
  }
}

/**
 * A stale tmp file is unlinked; a stale tmp directory (a staged enqueue, a capture) is first renamed
 * to a fresh `.tmp-discard-` name, one atomic step, so a slow writer still working in it fails with
 * ENOENT on its next call instead of committing a directory that is half removed.
 */
async function removeStaleTmp(io: Io, dir: string, path: string): Promise<RemovedCounts | undefined> {
  const stats = await ignoreNotFound(io.fs.lstat(path));
  if (stats === undefined) return undefined;
  if (!stats.isDirectory || stats.isSymbolicLink) return removeTree(io.fs, path);
  const capture = joinPath(dir, `${DISCARD_PREFIX}${io.random.hex(4)}`);
  try {
    await io.fs.rename(path, capture);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  return removeTree(io.fs, capture);
}

const DISCARD_PREFIX = `${TMP_PREFIX}discard-`;

async function listSessionIds(io: Io, layout: Layout): Promise<string[]> {
  try {
    return (await io.fs.readdir(layout.sessionsDir)).filter(isValidId).sort();
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

async function isRealDirectory(io: Io, path: string): Promise<boolean> {
  const stats = await io.fs.lstat(path).catch(() => undefined);
  return stats !== undefined && stats.isDirectory && !stats.isSymbolicLink;
}

/** A session no job refers to: its transcript goes once it is older than the TTL. */
async function purgeSession(
  io: Io,
  config: RuntimeConfig,
  layout: Layout,
  sessionId: string,
  report: PurgeReport,
): Promise<boolean> {
  const dir = layout.sessionDir(sessionId);
  // Checked again: the directory may have been replaced since the sweep (another process's purge).
  if (!(await isRealDirectory(io, dir)) || !(await transcriptExpired(io, config, dir))) return false;
  const locked = await withSessionLock(io, config, sessionId, {}, async (lock) => {
    // Checked again under the lock: a job of the session may have written a new transcript meanwhile.
    if (!(await transcriptExpired(io, config, dir))) return undefined;
    let counts = { files: 0, bytes: 0 };
    for (const name of await io.fs.readdir(dir)) {
      // Lock files and work directories belong to the lock protocol; the sweep handles them.
      if (name === FILE.sessionLock || name.startsWith(WORK_PREFIX) || name.startsWith(REAP_PREFIX)) continue;
      const removed = await fenced(removeAsHolder(io, lock, joinPath(dir, name)));
      if (removed === 'lost') break;
      counts = { files: counts.files + removed.files, bytes: counts.bytes + removed.bytes };
    }
    return counts;
  });
  if (!locked.acquired || locked.value === undefined) return false;
  report.files += locked.value.files;
  report.bytes += locked.value.bytes;
  // Empty now but for a lock another process may have just taken: then rmdir fails and that is fine.
  await io.fs.rmdir(dir).catch(() => undefined);
  return true;
}

/** The session transcript is absent or older than the TTL. */
async function transcriptExpired(io: Io, config: RuntimeConfig, dir: string): Promise<boolean> {
  const transcript = joinPath(dir, FILE.transcript);
  if (await olderThan(io, transcript, config.ttlMs)) return true;
  return (await io.fs.lstat(transcript).catch(() => undefined)) === undefined;
}
