// A sample of the soundness suite (`npm run soundness` runs the full one: seeds 1..100 × 200 runs and
// seeds 1..3 × 5000): the correct runtime raises no alarm in any of these campaigns.
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../harness/chaos/campaign.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { main } from '../../harness/soundnessCli.ts';

describe('soundness sample', () => {
  for (const seed of [101, 102, 103, 104, 105, 106]) {
    for (const entry of ['in-process', 'production'] as const) {
      it(`chaos seed ${seed} × 60 runs (${entry}): no violation on the correct runtime`, async () => {
        const result = await runCampaign({ runs: 60, seed, config: simConfig(), entry });
        expect(result.failure?.result.violations).toBeUndefined();
        expect(result.runs).toBe(60);
      });
    }
  }

  it('refuses a bad seed range with exit 2', async () => {
    expect(await main(['--seeds', '9-1'])).toBe(2);
    expect(await main(['--runs', '0'])).toBe(2);
  });
});
