// Same seed → same trace, byte for byte; another seed → another interleaving.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../harness/scenarioRunner/runScenario.ts';
import p3ConcurrentRunners from '../../scenarios/p3ConcurrentRunners.ts';
import pausedOwnerFenced from '../../scenarios/pausedOwnerFenced.ts';

describe('determinism', () => {
  it('a concurrent scenario gives the same trace hash for the same seed, and a different one for another seed', async () => {
    const a = await runScenario(p3ConcurrentRunners, { seed: 42 });
    const b = await runScenario(p3ConcurrentRunners, { seed: 42 });
    const c = await runScenario(p3ConcurrentRunners, { seed: 43 });
    expect(a.traceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.trace).toBe(a.trace);
    expect(c.traceHash).not.toBe(a.traceHash);
  });

  it('timers, pauses and lock takeovers replay identically', async () => {
    const a = await runScenario(pausedOwnerFenced, { seed: 7 });
    const b = await runScenario(pausedOwnerFenced, { seed: 7 });
    expect(b.trace).toBe(a.trace);
    expect(a.trace).toMatch(/paused for 150000ms/);
  });
});
