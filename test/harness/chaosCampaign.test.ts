// The randomized campaign: finds a broken runtime, shrinks the failure, and replays it exactly.
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../harness/chaos/campaign.ts';
import { runChaosPlan } from '../../harness/chaos/runChaosPlan.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { clobberingLockAcquire } from '../../harness/bugs/fsBugs.ts';

const config = simConfig();

describe('chaos campaign', () => {
  it('finds no violation in 150 runs of the correct runtime', async () => {
    const result = await runCampaign({ runs: 150, seed: 11, config });
    expect(result.failure?.result.violations).toBeUndefined();
    expect(result.runs).toBe(150);
    expect(result.crashes).toBeGreaterThan(0);
  });

  it('catches a lock that lets two owners in, shrinks it, and replays it by seed and path', async () => {
    const variant = { decorate: [clobberingLockAcquire] };
    const found = await runCampaign({ runs: 200, seed: 5, config, variant });
    expect(found.failure).toBeDefined();
    const failure = found.failure!;
    expect(failure.result.violations.some((v) => v.invariant === 'I4')).toBe(true);
    // Shrunk: no more processes and faults than a two-runner race needs.
    expect(failure.plan.processes.length).toBeLessThanOrEqual(3);
    const replayed = await runCampaign({ runs: 1, seed: failure.seed, path: failure.path, config, variant });
    expect(replayed.failure?.result.traceHash).toBe(failure.result.traceHash);
    const direct = await runChaosPlan(failure.plan, config, 1, variant);
    expect(direct.traceHash).toBe(failure.result.traceHash);
  });
});
