// A campaign on worker threads reports exactly what one thread reports: the same runs, crashes, checks
// and operations, the same trace hashes in the same order, and the same shrunk counterexample.
import { describe, expect, it } from 'vitest';
import { runCampaign, type CampaignOptions } from '../../harness/chaos/campaign.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { ZOO } from '../../harness/bugs/zoo.ts';

async function observed(options: Omit<CampaignOptions, 'onRun'>) {
  const hashes: string[] = [];
  const result = await runCampaign({ ...options, onRun: (_i, run) => hashes.push(run.traceHash) });
  const { failure, ...counts } = result;
  return {
    counts,
    hashes,
    failure:
      failure === undefined
        ? undefined
        : {
            seed: failure.seed,
            path: failure.path,
            violations: failure.result.violations,
            traceHash: failure.result.traceHash,
          },
  };
}

describe('chaos on worker threads', () => {
  it('reports the same as one thread on the correct runtime', async () => {
    const one = await observed({ runs: 60, seed: 21, config: simConfig() });
    const two = await observed({ runs: 60, seed: 21, config: simConfig(), workers: 2 });
    expect(two).toEqual(one);
    expect(one.counts.runs).toBe(60);
    expect(one.failure).toBeUndefined();
  });

  it('finds, shrinks and counts a zoo bug the same as one thread', async () => {
    const bug = ZOO.find((b) => b.id === 'purge-ttl-in-seconds')!;
    const one = await observed({ runs: 80, seed: 3, config: simConfig(), variant: bug.variant });
    const two = await observed({
      runs: 80,
      seed: 3,
      config: simConfig(),
      variant: bug.variant,
      zooBugId: bug.id,
      workers: 2,
    });
    expect(one.failure).toBeDefined();
    expect(two).toEqual(one);
  });

  it('refuses a broken runtime it cannot name', async () => {
    await expect(
      runCampaign({ runs: 5, seed: 1, config: simConfig(), variant: { policy: {} }, workers: 2 }),
    ).rejects.toThrow(/zoo bug named by zooBugId/);
  });
});
