// Building the starting state of a workload: the jobs enqueued by a fault-free process, then made
// durable, as if the enqueue happened long before the pass under test.
import { enqueue } from '../../src/enqueue.ts';
import type { RuntimeConfig } from '../../src/config.ts';
import { World } from '../world/world.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { crashState } from '../simFs/crashStates.ts';
import { inputBytes } from './inputs.ts';
import type { JobSpec } from './jobSpec.ts';

export interface Setup {
  readonly core: SimFsCore;
  /** Simulated monotonic time at which the setup finished. */
  readonly atMs: number;
}

export async function buildSetup(jobs: readonly JobSpec[], config: RuntimeConfig, seed: number): Promise<Setup> {
  const world = new World({ seed });
  const enqueuer = world.spawn('enqueue', async (io) => {
    for (const job of jobs) {
      await enqueue(io, config, {
        jobId: job.jobId,
        sessionId: job.sessionId,
        inputName: job.input,
        inputBytes: inputBytes(job.input),
      });
    }
  });
  await world.run();
  if (enqueuer.error !== undefined) throw enqueuer.error;
  return { core: crashState(world.core, { kind: 'process-kill' }), atMs: world.fake.now };
}

/** A fresh, independent copy of the setup's filesystem for one run. */
export function cloneCore(core: SimFsCore): SimFsCore {
  return crashState(core, { kind: 'process-kill' });
}
