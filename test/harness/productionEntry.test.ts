// The production composition root in simulation: the same plans through the jobs CLI (over a
// simulated machine) and through the in-process entry functions give the same verdicts, and the CLI
// really ran (its input read from the user's files, its answers judged).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chaosPlanArb } from '../../harness/chaos/planArbitrary.ts';
import { runChaosPlan } from '../../harness/chaos/runChaosPlan.ts';
import { toProductionPlan } from '../../harness/chaos/productionEntry.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import type { ChaosPlan } from '../../harness/chaos/chaosPlan.ts';
import { explore } from '../../harness/explorer/explore.ts';
import { SMALL_JOBS } from '../../harness/workload/jobSpec.ts';

const config = simConfig();
const plans = fc.sample(chaosPlanArb, { seed: 2026, numRuns: 60 }).map(toProductionPlan);

describe('production entry', () => {
  it('60 generated plans: the jobs CLI and the in-process entries agree (no violation on either)', async () => {
    for (const plan of plans) {
      const inProcess = await runChaosPlan(plan, config, 1, {}, 'in-process');
      const production = await runChaosPlan(plan, config, 1, {}, 'production');
      expect(production.violations).toEqual(inProcess.violations);
      expect(production.violations).toEqual([]);
    }
  });

  it('the explorer through `jobs run` checks as many crash states, with no violation on the correct runtime', async () => {
    const models = ['process-kill', 'lazyfs', 'pessimistic', 'subset'] as const;
    const options = { jobs: SMALL_JOBS, config, seed: 1, models, subsetsPerPoint: 1 };
    const inProcess = await explore({ ...options, entry: 'in-process' });
    const production = await explore({ ...options, entry: 'production' });
    expect(production.violations).toEqual([]);
    expect(inProcess.violations).toEqual([]);
    // The CLI adds its data-root checks before the pass: a few more crash points, never fewer.
    expect(production.crashPoints).toBeGreaterThanOrEqual(inProcess.crashPoints);
    expect(production.crashPoints - inProcess.crashPoints).toBeLessThanOrEqual(4);
  });

  it('an enqueue through the CLI reads the user file and its acknowledged job completes', async () => {
    const plan: ChaosPlan = {
      jobs: [
        { jobId: 'j1', sessionId: 's1', input: 'talk.srt' },
        { jobId: 'late', sessionId: 's2', input: 'talk.srt', late: true },
      ],
      processes: [
        { name: 'e', task: { enqueue: 'late' }, startAfterMs: 0, faults: [], upstream: [] },
        { name: 'r', task: 'pass', startAfterMs: 500, faults: [], upstream: [] },
      ],
      clockSteps: [],
      choices: [],
    };
    const result = await runChaosPlan(plan, config, 1, {}, 'production');
    expect(result.violations).toEqual([]);
    expect(result.trace).toContain('stat /home/user/talk.srt = ok');
    expect(result.trace).toMatch(/log job\.complete \{"jobId":"late"/);
  });

  it('refuses what the CLI cannot say, before the run', async () => {
    const plan: ChaosPlan = {
      jobs: [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }],
      processes: [
        { name: 'r', task: 'pass', startAfterMs: 0, faults: [], upstream: [{ stage: 'draft', kind: 'transient' }] },
      ],
      clockSteps: [],
      choices: [],
    };
    await expect(runChaosPlan(plan, config, 1, {}, 'production')).rejects.toThrow(/draft fault has no network/);
    await expect(
      runChaosPlan(toProductionPlan(plan), config, 1, { policy: { isDue: () => true } }, 'production'),
    ).rejects.toThrow(/cannot run through the CLI/);
  });
});
