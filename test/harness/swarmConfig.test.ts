// Swarm testing of options: each chaos run may draw its own runtime configuration and call latency.
// Every drawn configuration is one a user could set, and a run really uses what it drew.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { swarmConfigArb } from '../../harness/chaos/planArbitrary.ts';
import { planConfig, runChaosPlan } from '../../harness/chaos/runChaosPlan.ts';
import type { ChaosPlan } from '../../harness/chaos/chaosPlan.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';

const base = simConfig();

describe('swarm configuration', () => {
  it('draws only configurations the runtime accepts', () => {
    fc.assert(
      fc.property(swarmConfigArb, (drawn) => {
        const config = planConfig({ jobs: [], processes: [], clockSteps: [], choices: [], config: drawn }, base);
        expect(config.heartbeatEveryMs * 2).toBeLessThanOrEqual(config.staleAfterMs);
        expect(config.backoffBaseMs).toBeLessThanOrEqual(config.backoffCapMs);
        expect(config.concurrency).toBe(drawn.concurrency);
      }),
      { numRuns: 500 },
    );
  });

  it('runs with the drawn options: three sessions at once, and the drawn call latency', async () => {
    const plan: ChaosPlan = {
      jobs: [
        { jobId: 'j1', sessionId: 's1', input: 'talk.srt' },
        { jobId: 'j2', sessionId: 's2', input: 'notes.txt' },
        { jobId: 'j3', sessionId: 's3', input: 'short.txt' },
      ],
      processes: [{ name: 'p0', task: 'pass', startAfterMs: 0, faults: [], upstream: [] }],
      clockSteps: [],
      choices: [],
      config: {
        concurrency: 3,
        staleAfterMs: 30_000,
        heartbeatEveryMs: 10_000,
        maxAttempts: 2,
        backoffBaseMs: 1_000,
        backoffCapMs: 8_000,
        ttlMs: 600_000,
        opLatencyMs: 7,
      },
    };
    const result = await runChaosPlan(plan, base);
    expect(result.violations).toEqual([]);
    const acquired = [...result.trace.matchAll(/log lock.acquired \{"lock":"session","sessionId":"(s\d)"/g)].map(
      (m) => m[1],
    );
    const firstRelease = result.trace.indexOf('log lock.released {"lock":"session"');
    const heldAtOnce = [...result.trace.slice(0, firstRelease).matchAll(/log lock.acquired \{"lock":"session"/g)]
      .length;
    expect(new Set(acquired)).toEqual(new Set(['s1', 's2', 's3']));
    expect(heldAtOnce).toBe(3);
    const times = [...result.trace.matchAll(/^#\d+ t=(\d+) p100/gm)].map((m) => Number(m[1]));
    expect(times[1]! - times[0]!).toBe(7);
  });
});
