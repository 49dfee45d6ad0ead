// One runner pass, as cron starts it every 15 minutes: take runner.lock (a second pass at the same
// time finds it busy and exits cleanly), purge, then run due jobs one by one, each under its session
// lock, until the deadline. A purge on its own (purgePass) takes runner.lock the same way. A job that cannot be read, or whose session is busy, is reported and
// skipped; it never stops the pass. Every exit path that can run releases runner.lock.
import type { Io } from './ports/io.ts';
import type { RuntimeConfig } from './config.ts';
import { Layout } from './layout.ts';
import { ensureDir, ensureRoot } from './ensureDir.ts';
import { acquireLock, type LockOptions } from './ownerLock.ts';
import { listJobs } from './listJobs.ts';
import { readJobState, type JobState } from './jobState.ts';
import { withSessionLock } from './sessionLock.ts';
import { runJob, type JobOutcome } from './pipeline.ts';
import { finishDeletion } from './deleteJob.ts';
import { hasTombstone } from './tombstone.ts';
import { purge, type PurgeReport } from './purge.ts';
import { errorMessage } from './errors.ts';

export interface PassSummary {
  busy: boolean;
  jobsSeen: number;
  ran: number;
  outcomes: Record<JobOutcome | 'deferred' | 'error', number>;
  unreadable: { jobId: string; error: string }[];
  deadlineReached: boolean;
  purge: PurgeReport | null;
}

export function emptySummary(busy: boolean): PassSummary {
  return {
    busy,
    jobsSeen: 0,
    ran: 0,
    outcomes: {
      complete: 0,
      unchanged: 0,
      failed: 0,
      retry_scheduled: 0,
      aborted: 0,
      deleted: 0,
      deferred: 0,
      error: 0,
    },
    unreadable: [],
    deadlineReached: false,
    purge: null,
  };
}

/** runner.lock's options: one home for how a pass or a purge takes it. */
function runnerLockOptions(layout: Layout, config: RuntimeConfig): LockOptions {
  return {
    name: 'runner',
    path: layout.runnerLock,
    staleAfterMs: config.staleAfterMs,
    heartbeatEveryMs: config.heartbeatEveryMs,
  };
}

export async function runPass(io: Io, config: RuntimeConfig): Promise<PassSummary> {
  const layout = new Layout(config.root);
  const startedMs = io.clock.monotonicMs();
  await ensureRoot(io.fs, layout.root);
  await ensureDir(io.fs, layout.jobsDir, layout.root);
  await ensureDir(io.fs, layout.sessionsDir, layout.root);
  const acquired = await acquireLock(io, runnerLockOptions(layout, config));
  if (!acquired.acquired) return emptySummary(true);
  const runnerLock = acquired.lock;
  const summary = emptySummary(false);
  io.log.emit('pass.start', {});
  try {
    summary.purge = await purge(io, config, runnerLock.token);
    await runDueJobs(io, config, summary, { startedMs, beforeEachJob: () => runnerLock.assertHeld() });
  } finally {
    await runnerLock.release();
    io.log.emit('pass.done', {
      ran: summary.ran,
      outcomes: summary.outcomes,
      deadlineReached: summary.deadlineReached,
    });
  }
  return summary;
}

/**
 * A purge on its own (`jobs purge`), as a pass runs it: under runner.lock, so it never races a pass.
 * Undefined when another pass or purge holds the lock (it purges on its own schedule).
 */
export async function purgePass(io: Io, config: RuntimeConfig): Promise<PurgeReport | undefined> {
  const layout = new Layout(config.root);
  await ensureRoot(io.fs, layout.root);
  const locked = await acquireLock(io, runnerLockOptions(layout, config));
  if (!locked.acquired) return undefined;
  try {
    return await purge(io, config, locked.lock.token);
  } finally {
    await locked.lock.release();
  }
}

/**
 * Runs every due job once, oldest first, each under its session lock, until the pass deadline. The
 * session lock alone keeps two runners off one session; runPass adds runner.lock on top.
 */
export async function runDueJobs(
  io: Io,
  config: RuntimeConfig,
  summary: PassSummary = emptySummary(false),
  options: { startedMs?: number; beforeEachJob?: () => Promise<void> } = {},
): Promise<PassSummary> {
  const layout = new Layout(config.root);
  const startedMs = options.startedMs ?? io.clock.monotonicMs();
  const entries = await listJobs(io.fs, layout);
  summary.jobsSeen = entries.length;
  const nowMs = io.clock.nowMs();
  const due: JobState[] = [];
  for (const entry of entries) {
    if (entry.error !== undefined) {
      summary.unreadable.push({ jobId: entry.jobId, error: entry.error.message });
      io.log.emit('job.unreadable', { jobId: entry.jobId, error: entry.error.message });
      continue;
    }
    const state = entry.state;
    if (state === undefined) continue;
    const runnable =
      (state.status === 'queued' || state.status === 'running') &&
      io.policy.isDue(state.nextAttemptAt, nowMs, config.backoffCapMs);
    const pendingDelete = state.status !== 'deleted' && (await hasTombstone(io, layout.jobDir(state.jobId)));
    if (runnable || pendingDelete) due.push(state);
  }
  due.sort((a, b) => a.createdAt - b.createdAt || (a.jobId < b.jobId ? -1 : 1));
  // Jobs are grouped by session, oldest first; each of `concurrency` workers takes a whole session at
  // a time, so this pass never works on one session twice at once (the session lock covers the
  // other processes). A worker stops taking work at the deadline.
  const groups = groupBySession(due.slice(0, config.maxJobsPerPass));
  await runGroups(io, config, { layout, groups, summary, startedMs, beforeEachJob: options.beforeEachJob });
  return summary;
}

interface PassWork {
  readonly layout: Layout;
  readonly groups: readonly JobState[][];
  readonly summary: PassSummary;
  readonly startedMs: number;
  readonly beforeEachJob: (() => Promise<void>) | undefined;
}

/**
 * `concurrency` workers take the session groups in order. When one fails (the runner lock lost, an
 * I/O error), the others take no new job, and the pass returns only after every worker has finished
 * the job it holds: a pass that returned while a sibling still held a session lock would leave that
 * job running, and its lock heartbeating, outside any pass.
 */
async function runGroups(io: Io, config: RuntimeConfig, work: PassWork): Promise<void> {
  const { groups, summary } = work;
  let nextGroup = 0; // workers take groups in order (an index, not shift(): that is O(groups) each)
  let failed = false;
  const worker = async () => {
    for (let group = groups[nextGroup++]; group !== undefined && !failed; group = groups[nextGroup++]) {
      for (const state of group) {
        if (failed) return;
        if (io.clock.monotonicMs() - work.startedMs >= config.passDeadlineMs) {
          summary.deadlineReached = true;
          return;
        }
        await work.beforeEachJob?.();
        const outcome = await processJob(io, config, work.layout, state);
        summary.outcomes[outcome] += 1;
        if (outcome !== 'deferred') summary.ran += 1;
        if (outcome === 'deferred') break; // the session is busy elsewhere: its later jobs would be too
      }
    }
  };
  const workerCount = Math.min(config.concurrency, Math.max(groups.length, 1));
  const settled = await Promise.allSettled(
    Array.from({ length: workerCount }, () =>
      worker().catch((error: unknown) => {
        failed = true;
        throw error;
      }),
    ),
  );
  const rejected = settled.find((result) => result.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
}

function groupBySession(jobs: readonly JobState[]): JobState[][] {
  const bySession = new Map<string, JobState[]>();
  for (const job of jobs) {
    const group = bySession.get(job.sessionId);
    if (group === undefined) bySession.set(job.sessionId, [job]);
    else group.push(job);
  }
  return [...bySession.values()];
}

async function processJob(
  io: Io,
  config: RuntimeConfig,
  layout: Layout,
  listed: JobState,
): Promise<JobOutcome | 'deferred' | 'error'> {
  const jobDir = layout.jobDir(listed.jobId);
  try {
    const locked = await withSessionLock(io, config, listed.sessionId, { jobId: listed.jobId }, async (lock) => {
      // Re-read under the lock: another runner may have finished or changed the job since we listed it.
      const state = await readJobState(io.fs, jobDir);
      if (state === undefined || state.status === 'deleted') return 'unchanged' as const;
      if (await hasTombstone(io, jobDir)) {
        io.log.emit('job.aborted', {
          jobId: state.jobId,
          sessionId: state.sessionId,
          stage: state.stage,
          reason: 'deleted',
        });
        await finishDeletion(io, config, lock, state);
        return 'deleted' as const;
      }
      if (state.status !== 'queued' && state.status !== 'running') return 'unchanged' as const;
      if (!io.policy.isDue(state.nextAttemptAt, io.clock.nowMs(), config.backoffCapMs)) return 'unchanged' as const;
      return await runJob(io, config, lock, state);
    });
    return locked.acquired ? locked.value : 'deferred';
  } catch (error) {
    io.log.emit('job.unreadable', { jobId: listed.jobId, sessionId: listed.sessionId, error: errorMessage(error) });
    return 'error';
  }
}
