// An explorer worker thread: runs the explorations it is sent, each for its share of the crash states
// (ExploreOptions.partition), and posts their results back, in order. A fault point crosses as data and is turned
// into its decorator here (a decorator is a function, which a message cannot carry).
import { parentPort, workerData } from 'node:worker_threads';
import { explore, type ExploreOptions, type ExploreResult } from '../explorer/explore.ts';
import { pointFault, type FaultPoint } from '../faults/pointFault.ts';

export type PortableExploreOptions = Pick<
  ExploreOptions,
  | 'jobs'
  | 'config'
  | 'seed'
  | 'models'
  | 'subsetsPerPoint'
  | 'recoveryCrashShare'
  | 'shareAfterRecovery'
  | 'crashFromCall'
  | 'victimMayFail'
>;

export interface ExploreJob {
  readonly options: PortableExploreOptions;
  readonly faultPoint?: FaultPoint;
  readonly partition: { readonly index: number; readonly count: number };
}

const port = parentPort!;
const { jobs } = workerData as { jobs: ExploreJob[]; entry: string };
const results: ExploreResult[] = [];
for (const job of jobs) {
  const faultPoint = job.faultPoint;
  results.push(
    await explore({
      ...job.options,
      partition: job.partition,
      ...(faultPoint === undefined ? {} : { victimFaults: (world) => [pointFault(faultPoint, world)] }),
    }),
  );
}
port.postMessage(results);
