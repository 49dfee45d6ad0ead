// Runs chaos plans on `workers` worker threads (`--workers`, default 1) and returns their results in plan
// order, so that what a campaign reports (verdicts, counts, the trace hash fed in run order) is the
// same for 1 and N workers. Plans are dealt round-robin; a worker that dies fails the whole call
// loudly. The runtime is the correct one, or a zoo bug named by id (a variant holds functions, which
// cannot cross to a worker).
import { Worker } from 'node:worker_threads';
import type { RuntimeConfig } from '../../src/config.ts';
import type { ChaosPlan } from '../chaos/chaosPlan.ts';
import type { ChaosJob, ChaosJobResult } from './chaosWorker.ts';
import type { Entry } from '../chaos/productionEntry.ts';

const BOOT = new URL('./workerBoot.mjs', import.meta.url);
const ENTRY = new URL('./chaosWorker.ts', import.meta.url).href;

function runShare(
  jobs: readonly ChaosJob[],
  config: RuntimeConfig,
  zooBugId: string | undefined,
  into: ChaosJobResult['result'][],
): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOT, {
      workerData: { entry: ENTRY, config, ...(zooBugId === undefined ? {} : { zooBugId }) },
    });
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (error === undefined) resolve();
      else reject(error);
    };
    worker.on('message', (message: ChaosJobResult | 'done') => {
      if (message === 'done') finish();
      else into[message.index] = message.result;
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) =>
      finish(code === 0 ? undefined : new Error(`chaos worker exited with code ${code} before finishing its plans`)),
    );
    worker.postMessage(jobs);
  });
}

export async function runPlansInWorkers(
  plans: readonly ChaosPlan[],
  config: RuntimeConfig,
  workers: number,
  zooBugId?: string,
  entry: Entry = 'in-process',
): Promise<ChaosJobResult['result'][]> {
  const results: ChaosJobResult['result'][] = new Array(plans.length);
  const shares = Array.from({ length: workers }, (_, w) =>
    plans.flatMap((plan, index) => (index % workers === w ? [{ index, plan, entry }] : [])),
  );
  await Promise.all(
    shares.filter((share) => share.length > 0).map((share) => runShare(share, config, zooBugId, results)),
  );
  const missing = results.findIndex((r, i) => r === undefined && i < plans.length);
  if (results.length !== plans.length || missing >= 0)
    throw new Error(`chaos workers returned no result for plan ${missing}`);
  return results;
}
