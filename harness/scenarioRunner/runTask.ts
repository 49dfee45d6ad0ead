// What a scenario process does: one of the runtime's entry points, exactly as the CLI calls them.
import type { Io } from '../../src/ports/io.ts';
import type { RuntimeConfig } from '../../src/config.ts';
import { Layout } from '../../src/layout.ts';
import { readJobState } from '../../src/jobState.ts';
import { UsageError } from '../../src/errors.ts';
import type { RuntimeEntries } from '../world/runtimeEntries.ts';
import type { Task } from './scenarioTypes.ts';

export async function runTask(io: Io, runtime: RuntimeEntries, config: RuntimeConfig, task: Task): Promise<unknown> {
  if (task === 'pass') return runtime.runPass(io, config);
  if (task === 'dueJobs') return runtime.runDueJobs(io, config);
  if (task === 'purge') return (await runtime.purgePass(io, config)) ?? { busy: true };
  if ('delete' in task) return runtime.deleteJob(io, config, task.delete);
  if ('retry' in task) return runtime.retryJob(io, config, task.retry);
  const state = await readJobState(io.fs, new Layout(config.root).jobDir(task.rerun));
  if (state === undefined) throw new UsageError(`unknown job ${task.rerun}`);
  return runtime.withSessionLock(io, config, state.sessionId, { jobId: task.rerun }, (lock) =>
    runtime.runJob(io, config, lock, state),
  );
}
