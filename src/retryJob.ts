// Manual retry: a failed job goes back to queued with its error and attempts cleared; the next pass
// resumes it, skipping every stage whose output is valid. It runs under the session lock because it
// read-modify-writes state.json. Retrying a job that is not failed is refused, never a silent change.
import type { Io } from './ports/io.ts';
import type { RuntimeConfig } from './config.ts';
import { Layout } from './layout.ts';
import { readJobState, writeJobState } from './jobState.ts';
import { JobsError, UsageError } from './errors.ts';
import { withSessionLock } from './sessionLock.ts';
import { readJobForCommand } from './listJobs.ts';

export class JobBusyError extends JobsError {
  override readonly name = 'JobBusyError';
}

/** Only a failed job can be retried: the user asked for something the job's state refuses (HTTP 409). */
export class JobNotFailedError extends UsageError {
  override readonly name = 'JobNotFailedError';
}

export async function retryJob(io: Io, config: RuntimeConfig, jobId: string): Promise<void> {
  const layout = new Layout(config.root);
  const jobDir = layout.jobDir(jobId);
  const listed = await readJobForCommand(io.fs, layout, jobId);
  const locked = await withSessionLock(io, config, listed.sessionId, { jobId }, async (lock) => {
    const state = await readJobState(io.fs, jobDir);
    if (state === undefined) throw new UsageError(`unknown job ${jobId}`);
    if (state.status !== 'failed')
      throw new JobNotFailedError(`job ${jobId} is ${state.status}, not failed; only a failed job can be retried`);
    await writeJobState(
      io,
      jobDir,
      { ...state, status: 'queued', error: null, attempts: 0, nextAttemptAt: null, updatedAt: io.clock.nowMs() },
      { tmpDir: lock.workDir, beforeCommit: () => lock.assertHeld() },
    );
    io.log.emit('job.requeued', { jobId, sessionId: state.sessionId, stage: state.stage });
  });
  if (!locked.acquired)
    throw new JobBusyError(
      `job ${jobId}: session ${listed.sessionId} is locked by pid ${locked.holder?.pid ?? '?'}; try again`,
    );
}
