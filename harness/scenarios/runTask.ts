// What a scenario process does: one of the runtime's entry points, exactly as the CLI calls them.
import type { Io } from '../../src/ports/io.ts';
import type { RuntimeConfig } from '../../src/config.ts';
import { runDueJobs, runPass } from '../../src/runnerPass.ts';
import { purge } from '../../src/purge.ts';
import { acquireLock } from '../../src/ownerLock.ts';
import { Layout } from '../../src/layout.ts';
import { deleteJob } from '../../src/deleteJob.ts';
import { retryJob } from '../../src/retryJob.ts';
import { readJobState } from '../../src/jobState.ts';
import { withSessionLock } from '../../src/sessionLock.ts';
import { runJob } from '../../src/pipeline.ts';
import { UsageError } from '../../src/errors.ts';
import type { Task } from './scenarioTypes.ts';

export async function runTask(io: Io, config: RuntimeConfig, task: Task): Promise<unknown> {
  if (task === 'pass') return runPass(io, config);
  if (task === 'dueJobs') return runDueJobs(io, config);
  if (task === 'purge') {
    const locked = await acquireLock(io, { name: 'runner', path: new Layout(config.root).runnerLock, staleAfterMs: config.staleAfterMs, heartbeatEveryMs: config.heartbeatEveryMs });
    if (!locked.acquired) return { busy: true };
    try {
      return await purge(io, config, locked.lock.token);
    } finally {
      await locked.lock.release();
    }
  }
  if ('delete' in task) return deleteJob(io, config, task.delete);
  if ('retry' in task) return retryJob(io, config, task.retry);
  const state = await readJobState(io.fs, new Layout(config.root).jobDir(task.rerun));
  if (state === undefined) throw new UsageError(`unknown job ${task.rerun}`);
  return withSessionLock(io, config, state.sessionId, { jobId: task.rerun }, (lock) => runJob(io, config, lock, state));
}
