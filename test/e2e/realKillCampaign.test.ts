// The real SIGKILL campaign, bounded for CI: real runner processes on a real data root, killed with
// SIGKILL at seeded moments (two at a time, so kills land during concurrent work), then clean passes;
// the harness's invariant checkers judge the real tree. `npm run soak -- --kills 200` is the full one.
import { describe, expect, it } from 'vitest';
import { runKillCampaign } from '../../harness/soak/killCampaign.ts';

describe('real SIGKILL campaign', () => {
  it('6 real kills, then recovery: every job done, golden artifacts, no tmp, no lock, no double owner', async () => {
    const report = await runKillCampaign({ kills: 6, seed: 5, runnersPerRound: 2 });
    expect(report.kills).toBeGreaterThanOrEqual(6);
    expect(report.violations).toEqual([]);
    expect(Object.values(report.killsByStage).reduce((a, b) => a + b, 0)).toBe(report.kills);
  }, 180_000);
});
