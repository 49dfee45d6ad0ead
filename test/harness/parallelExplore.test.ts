// An exploration split over worker threads reports exactly what one thread reports: crash states,
// distinct states, invariant checks and violations, in the same order; so does fault-then-crash.
import { describe, expect, it } from 'vitest';
import { explore, type ExploreResult } from '../../harness/explorer/explore.ts';
import { exploreInWorkers } from '../../harness/parallel/exploreInWorkers.ts';
import { exploreFaultsThenCrash } from '../../harness/explorer/exploreFaults.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { SMALL_JOBS, STANDARD_JOBS } from '../../harness/workload/jobSpec.ts';

const config = simConfig();
const comparable = (r: ExploreResult) => ({
  crashPoints: r.crashPoints,
  crashStates: r.crashStates,
  distinctStates: r.distinctStates,
  invariantChecks: r.invariantChecks,
  violations: r.violations,
});

describe('the explorer on worker threads', () => {
  it('explores the standard workload under every model exactly as one thread does', async () => {
    const options = {
      jobs: STANDARD_JOBS,
      config,
      seed: 4,
      models: ['process-kill', 'lazyfs', 'pessimistic', 'subset'] as const,
      subsetsPerPoint: 1,
      recoveryCrashShare: 0.1,
    };
    const one = await explore(options);
    const two = await exploreInWorkers(options, 2);
    expect(comparable(two)).toEqual(comparable(one));
    expect(one.crashStates).toBeGreaterThan(1_000);
  });

  it('gives the same shares whatever the worker count (each state is explored once)', async () => {
    const options = { jobs: SMALL_JOBS, config, seed: 2, models: ['process-kill', 'pessimistic'] as const };
    const [one, three] = [await explore(options), await exploreInWorkers(options, 3)];
    expect(comparable(three)).toEqual(comparable(one));
  });

  it('runs fault, then crash on workers with the same result', async () => {
    const options = { jobs: SMALL_JOBS, config, seed: 1, models: ['process-kill', 'lazyfs'] as const, perKind: 1 };
    const one = await exploreFaultsThenCrash(options);
    const two = await exploreFaultsThenCrash({ ...options, workers: 2 });
    expect(two).toEqual(one);
    expect(one.faultPoints.length).toBe(4);
  });
});
