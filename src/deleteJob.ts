// Deleting a job, queued, running, failed or complete. The deleter writes the tombstone and, if it
// can take the job's session lock, finishes the deletion itself; if the job is running, the runner
// that holds the lock sees the tombstone between stages (or before its next commit), aborts, and
// finishes the deletion: the job's artifacts, input and tmp files go, state.json says deleted.
import type { Io } from './ports/io.ts';
import type { RuntimeConfig } from './config.ts';
import type { HeldLock } from './ownerLock.ts';
import { FILE, Layout, joinPath } from './layout.ts';
import { readJobState, writeJobState, type JobState } from './jobState.ts';
import { hasTombstone, writeTombstone } from './tombstone.ts';
import { ignoreNotFound } from './removeTree.ts';
import { removeAsHolder } from './fencedRemoval.ts';
import { crc32 } from './checksum.ts';
import { LockLostError } from './errors.ts';
import { withSessionLock } from './sessionLock.ts';
import { listJobs, readJobForCommand } from './listJobs.ts';

/** What deletion keeps of a job: its state (which comes to say deleted) and its tombstone. */
function isKept(name: string): boolean {
  return name === FILE.state || name === FILE.tombstone;
}

/** Runs under the job's session lock: removes everything of the job but its state and tombstone. */
export async function finishDeletion(io: Io, config: RuntimeConfig, lock: HeldLock, state: JobState): Promise<void> {
  const layout = new Layout(config.root);
  const jobDir = layout.jobDir(state.jobId);
  const removed = { files: 0, bytes: 0 };
  for (const name of await io.fs.readdir(jobDir)) {
    if (isKept(name)) continue;
    const counts = await removeAsHolder(io, lock, joinPath(jobDir, name));
    removed.files += counts.files;
    removed.bytes += counts.bytes;
  }
  const transcript = state.artifacts.transcribe;
  // The session transcript is the session's, shared by its jobs: it goes with the deleted job only
  // when no other live job of the session remains (otherwise their transcript skips would break).
  if (transcript !== undefined && !(await sessionHasOtherJobs(io, layout, state))) {
    const sessionTranscript = layout.sessionTranscript(state.sessionId);
    const bytes = await ignoreNotFound(io.fs.readFile(sessionTranscript));
    if (bytes !== undefined && bytes.length === transcript.sizeBytes && crc32(bytes) === transcript.crc32) {
      // What is moved is what was checked: the transcript changes only under the lock we hold.
      const counts = await removeAsHolder(io, lock, sessionTranscript);
      removed.files += counts.files;
      removed.bytes += counts.bytes;
    }
  }
  await io.fs.syncDir(jobDir);
  const deleted: JobState = { ...state, status: 'deleted', nextAttemptAt: null, updatedAt: io.clock.nowMs() };
  await writeJobState(io, jobDir, deleted, { tmpDir: lock.workDir, beforeCommit: () => lock.assertHeld() });
  io.log.emit('job.deleted', {
    jobId: state.jobId,
    sessionId: state.sessionId,
    removedFiles: removed.files,
    removedBytes: removed.bytes,
  });
}

export type DeleteOutcome = 'deleted' | 'already-deleted' | 'pending';

/** The `delete` command: tombstone first, then finish now if the job is not running. */
export async function deleteJob(io: Io, config: RuntimeConfig, jobId: string): Promise<DeleteOutcome> {
  const layout = new Layout(config.root);
  const jobDir = layout.jobDir(jobId);
  const state = await readJobForCommand(io.fs, layout, jobId);
  if (state.status === 'deleted') return 'already-deleted';
  if (!(await hasTombstone(io, jobDir))) {
    // Two deleters at once: the runner may remove the other's tmp file; the tombstone is what counts.
    await writeTombstone(io, jobDir).catch(async (error: unknown) => {
      if (!(await hasTombstone(io, jobDir))) throw error;
    });
  }
  const outcome = await withSessionLock(io, config, state.sessionId, { jobId }, async (lock) => {
    const current = await readJobState(io.fs, jobDir);
    if (current === undefined || current.status === 'deleted') return 'already-deleted' as const;
    try {
      await finishDeletion(io, config, lock, current);
    } catch (error) {
      // Taken over mid-deletion (we were paused past the stale bound): the tombstone is durable, and
      // the new holder finishes the deletion.
      if (error instanceof LockLostError) return 'pending' as const;
      throw error;
    }
    return 'deleted' as const;
  });
  return outcome.acquired ? outcome.value : 'pending';
}

async function sessionHasOtherJobs(io: Io, layout: Layout, state: JobState): Promise<boolean> {
  for (const entry of await listJobs(io.fs, layout)) {
    if (entry.jobId === state.jobId) continue;
    if (entry.state === undefined) return true; // unreadable or still enqueuing: keep, to be safe
    if (entry.state.sessionId === state.sessionId && entry.state.status !== 'deleted') return true;
  }
  return false;
}
