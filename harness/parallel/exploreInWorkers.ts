// One exploration split over worker threads: each explores the crash states whose recovery key falls
// to it (so a state and its repeats stay together and are recovered once, as on one thread), and the
// shares are merged in exploration order. Verdicts, crash-state counts and distinct counts equal a
// single run's; only the rerun-and-purge memo is per share (its sharing is proven equal to none).
import { Worker } from 'node:worker_threads';
import type { ExploreResult, ExploreViolation } from '../explorer/explore.ts';
import type { ExploreJob, PortableExploreOptions } from './exploreWorker.ts';
import type { FaultPoint } from '../faults/pointFault.ts';

const BOOT = new URL('./workerBoot.mjs', import.meta.url);
const ENTRY = new URL('./exploreWorker.ts', import.meta.url).href;

/** Runs explorations on one worker thread; their results, in order. */
export function runOnWorker(jobs: readonly ExploreJob[]): Promise<ExploreResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOT, { workerData: { jobs, entry: ENTRY } });
    let results: ExploreResult[] | undefined;
    worker.on('message', (message: ExploreResult[]) => {
      results = message;
    });
    worker.on('error', reject);
    worker.on('exit', (code) =>
      results !== undefined && code === 0
        ? resolve(results)
        : reject(new Error(`explorer worker exited with code ${code} without its results`)),
    );
  });
}

function byPlace(a: ExploreViolation, b: ExploreViolation): number {
  if (a.taskIndex === b.taskIndex) return 0;
  if (a.taskIndex < 0) return 1;
  if (b.taskIndex < 0) return -1;
  return a.taskIndex - b.taskIndex;
}

export async function exploreInWorkers(
  options: PortableExploreOptions,
  workers: number,
  faultPoint?: FaultPoint,
): Promise<ExploreResult> {
  const started = performance.now();
  const shares = (
    await Promise.all(
      Array.from({ length: workers }, (_, index) =>
        runOnWorker([
          { options, partition: { index, count: workers }, ...(faultPoint === undefined ? {} : { faultPoint }) },
        ]),
      ),
    )
  ).flat();
  const sum = (pick: (r: ExploreResult) => number) => shares.reduce((total, r) => total + pick(r), 0);
  const perTask = shares.flatMap((r) => r.violations.filter((v) => v.taskIndex >= 0)).sort(byPlace);
  const watched = new Map<string, ExploreViolation>();
  for (const v of shares.flatMap((r) => r.violations.filter((x) => x.taskIndex < 0)))
    if (!watched.has(v.message)) watched.set(v.message, v);
  const first = shares[0]!;
  return {
    crashPoints: first.crashPoints,
    victimOps: first.victimOps,
    victimCalls: first.victimCalls,
    crashStates: sum((r) => r.crashStates),
    invariantChecks: sum((r) => r.invariantChecks),
    distinctStates: sum((r) => r.distinctStates),
    afterRecoveryRuns: sum((r) => r.afterRecoveryRuns),
    violations: [...perTask, ...[...watched.values()].sort((a, b) => a.message.localeCompare(b.message))],
    elapsedMs: performance.now() - started,
  };
}
