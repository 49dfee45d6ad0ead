// A chaos worker thread: runs the plans it is sent (index and plan) on the correct runtime (or on a zoo
// bug's variant, named in workerData) and posts
// each result back with its index, so the parent can put them in the order a single thread would.
import { parentPort, workerData } from 'node:worker_threads';
import { runChaosPlan, type ChaosRunResult } from '../chaos/runChaosPlan.ts';
import type { ChaosPlan } from '../chaos/chaosPlan.ts';
import type { RuntimeConfig } from '../../src/config.ts';
import { ZOO } from '../bugs/zoo.ts';
import type { Entry } from '../chaos/productionEntry.ts';

export interface ChaosJob {
  readonly index: number;
  readonly plan: ChaosPlan;
  readonly entry: Entry;
}

export interface ChaosJobResult {
  readonly index: number;
  readonly result: Omit<ChaosRunResult, 'trace'>;
}

const { config, zooBugId } = workerData as { config: RuntimeConfig; zooBugId?: string };
// A zoo bug crosses by name: its variant holds functions, which a message cannot carry.
const variant = zooBugId === undefined ? {} : ZOO.find((bug) => bug.id === zooBugId)?.variant;
if (variant === undefined) throw new Error(`chaos worker: no zoo bug ${zooBugId}`);
const port = parentPort!;
port.on('message', (jobs: ChaosJob[]) => {
  void (async () => {
    for (const job of jobs) {
      const { trace: _trace, ...result } = await runChaosPlan(job.plan, config, 1, variant, job.entry);
      port.postMessage({ index: job.index, result } satisfies ChaosJobResult);
    }
    port.postMessage('done');
  })();
});
