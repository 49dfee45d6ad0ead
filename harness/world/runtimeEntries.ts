// The runtime's entry points, as a process of the world runs them: a runner pass, the pipeline under
// a session lock, and each user operation. A process gets the real ones unless its spawn options
// carry a patched copy of the runtime (a bug of the zoo, harness/bugs/patchedRuntime.ts), so a broken
// runtime is a different program, never a switch inside src/.
import { runDueJobs, runPass } from '../../src/runnerPass.ts';
import { runJob } from '../../src/pipeline.ts';
import { withSessionLock } from '../../src/sessionLock.ts';
import { acquireLock } from '../../src/ownerLock.ts';
import { enqueue } from '../../src/enqueue.ts';
import { retryJob } from '../../src/retryJob.ts';
import { deleteJob } from '../../src/deleteJob.ts';
import { purge } from '../../src/purge.ts';
import { jobsHandler } from '../../src/http/jobsHandler.ts';
import { Layout } from '../../src/layout.ts';
import type { Io } from '../../src/ports/io.ts';
import type { RuntimeConfig } from '../../src/config.ts';
import type { PurgeReport } from '../../src/purge.ts';

export interface RuntimeEntries {
  readonly runPass: typeof runPass;
  readonly runDueJobs: typeof runDueJobs;
  readonly runJob: typeof runJob;
  readonly withSessionLock: typeof withSessionLock;
  readonly acquireLock: typeof acquireLock;
  readonly enqueue: typeof enqueue;
  readonly retryJob: typeof retryJob;
  readonly deleteJob: typeof deleteJob;
  readonly purge: typeof purge;
  readonly jobsHandler: typeof jobsHandler;
}

/** The modules of src/ that hold the entry points, by file (a patched copy replaces them by file). */
export const ENTRY_MODULES: Readonly<Record<keyof RuntimeEntries, string>> = {
  runPass: 'runnerPass.ts',
  runDueJobs: 'runnerPass.ts',
  runJob: 'pipeline.ts',
  withSessionLock: 'sessionLock.ts',
  acquireLock: 'ownerLock.ts',
  enqueue: 'enqueue.ts',
  retryJob: 'retryJob.ts',
  deleteJob: 'deleteJob.ts',
  purge: 'purge.ts',
  jobsHandler: 'http/jobsHandler.ts',
};

export const realRuntime: RuntimeEntries = {
  runPass,
  runDueJobs,
  runJob,
  withSessionLock,
  acquireLock,
  enqueue,
  retryJob,
  deleteJob,
  purge,
  jobsHandler,
};

/** Purge as the runner runs it: under runner.lock; undefined when the lock is busy. */
export async function purgeUnderRunnerLock(
  runtime: RuntimeEntries,
  io: Io,
  config: RuntimeConfig,
): Promise<PurgeReport | undefined> {
  const lockOptions = {
    name: 'runner' as const,
    path: new Layout(config.root).runnerLock,
    staleAfterMs: config.staleAfterMs,
    heartbeatEveryMs: config.heartbeatEveryMs,
  };
  const locked = await runtime.acquireLock(io, lockOptions);
  if (!locked.acquired) return undefined;
  try {
    return await runtime.purge(io, config, locked.lock.token);
  } finally {
    await locked.lock.release();
  }
}
