// The runtime's entry points, as a process of the world runs them: a runner pass, a purge under
// runner.lock, the pipeline under a session lock, and each user operation. A process gets the real ones unless its spawn options
// carry a patched copy of the runtime (a bug of the zoo, harness/bugs/patchedRuntime.ts), so a broken
// runtime is a different program, never a switch inside src/.
import { purgePass, runDueJobs, runPass } from '../../src/runnerPass.ts';
import { runJob } from '../../src/pipeline.ts';
import { withSessionLock } from '../../src/sessionLock.ts';
import { enqueue } from '../../src/enqueue.ts';
import { retryJob } from '../../src/retryJob.ts';
import { deleteJob } from '../../src/deleteJob.ts';
import { jobsHandler } from '../../src/http/jobsHandler.ts';
import { main } from '../../src/cli.ts';

export interface RuntimeEntries {
  readonly runPass: typeof runPass;
  readonly runDueJobs: typeof runDueJobs;
  readonly runJob: typeof runJob;
  readonly withSessionLock: typeof withSessionLock;
  readonly purgePass: typeof purgePass;
  readonly enqueue: typeof enqueue;
  readonly retryJob: typeof retryJob;
  readonly deleteJob: typeof deleteJob;
  readonly jobsHandler: typeof jobsHandler;
  /** The jobs CLI, as a user runs it (the production composition root). */
  readonly main: typeof main;
}

/** The modules of src/ that hold the entry points, by file (a patched copy replaces them by file). */
export const ENTRY_MODULES: Readonly<Record<keyof RuntimeEntries, string>> = {
  runPass: 'runnerPass.ts',
  runDueJobs: 'runnerPass.ts',
  runJob: 'pipeline.ts',
  withSessionLock: 'sessionLock.ts',
  purgePass: 'runnerPass.ts',
  enqueue: 'enqueue.ts',
  retryJob: 'retryJob.ts',
  deleteJob: 'deleteJob.ts',
  jobsHandler: 'http/jobsHandler.ts',
  main: 'cli.ts',
};

export const realRuntime: RuntimeEntries = {
  runPass,
  runDueJobs,
  runJob,
  withSessionLock,
  purgePass,
  enqueue,
  retryJob,
  deleteJob,
  jobsHandler,
  main,
};
