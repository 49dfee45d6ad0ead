// The long-hold generator and the two checks it feeds: a lock reported lost must have been taken by
// another process (I4), and a run with no crash and no failed call must leave nothing behind (I3).
// Each is shown quiet on the real runtime and failing on a known-bad release.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runCampaign } from '../../harness/chaos/campaign.ts';
import { longHoldPlanArb } from '../../harness/chaos/longHoldArbitrary.ts';
import { runChaosPlan } from '../../harness/chaos/runChaosPlan.ts';
import { LONG_HOLD_BUGS } from '../../harness/bugs/zooLongHolds.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';

const config = simConfig();

/** The violations a 200-run long-hold campaign finds in the runtime with zoo bug `id`, as text. */
async function foundWith(id: string): Promise<string[]> {
  const bug = LONG_HOLD_BUGS.find((b) => b.id === id);
  if (bug === undefined) throw new Error(`no long-hold bug ${id}`);
  const found = await runCampaign({ runs: 200, seed: 1, config, plans: 'long-hold', variant: bug.variant });
  return found.failure?.result.violations.map((v) => `${v.invariant} ${v.message}`) ?? [];
}

describe('long lock holds under contention', () => {
  it('makes real takeovers and losses, and the correct runtime passes every run', async () => {
    let takeovers = 0;
    let losses = 0;
    for (const plan of fc.sample(longHoldPlanArb, { seed: 3, numRuns: 60 })) {
      const result = await runChaosPlan(plan, config);
      expect(result.violations).toEqual([]);
      const live = result.trace.split('--- recovery ---')[0]!;
      if (live.includes('log lock.reaped')) takeovers += 1;
      if (live.includes('log lock.lost')) losses += 1;
    }
    // The generator is only worth its runs if owners really are taken over while alive.
    expect(takeovers).toBeGreaterThan(6);
    expect(losses).toBeGreaterThan(6);
  });

  it('catches a loss nobody caused: the heartbeat still running during a release', async () => {
    const messages = await foundWith('release-stops-heartbeat-late');
    expect(messages.some((m) => /^I4 .* reported its lock \w+ lost, but no other process retired it/.test(m))).toBe(
      true,
    );
  });

  it('catches a release that leaves its reap directory before any recovery runs', async () => {
    const messages = await foundWith('release-leaves-reap-directory');
    expect(messages.some((m) => /^I3 .*\.tmp-reap-.* was left by a run in which no process crashed/.test(m))).toBe(
      true,
    );
  });
});
