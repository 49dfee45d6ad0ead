// The bug zoo: every realistic durability bug is caught by the harness, and the real runtime is not
// (a harness that flags the correct runtime would prove nothing either).
import { describe, expect, it } from 'vitest';
import { ZOO } from '../../harness/bugs/zoo.ts';
import { OBSERVABLE_BUGS } from '../../harness/bugs/zooObservable.ts';
import { WORLD_BUGS } from '../../harness/bugs/zooWorlds.ts';
import { huntBug } from '../../harness/bugs/huntBug.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';

const config = simConfig();

describe('bug zoo', () => {
  it('has at least 36 bugs, each with a distinct id and the checks expected to catch it', () => {
    expect(ZOO.length).toBeGreaterThanOrEqual(36);
    for (const bug of ZOO) expect(bug.expect.length, bug.id).toBeGreaterThan(0);
    expect(new Set(ZOO.map((b) => b.id)).size).toBe(ZOO.length);
  });

  // The bugs only a user sees are hunted in zooObservable.test.ts (a second file runs on the second core).
  for (const bug of ZOO.filter((b) => !OBSERVABLE_BUGS.includes(b) && !WORLD_BUGS.includes(b))) {
    it(`catches ${bug.id}: ${bug.title}`, async () => {
      const result = await huntBug(bug, { seed: 1, chaosRuns: 100, config });
      expect(result.caught, `${bug.id} escaped after ${result.runsToDetect} runs`).toBe(true);
      expect(bug.expect, `${bug.id} was caught by ${result.invariant} (${result.by}: ${result.message})`).toContain(
        result.invariant,
      );
    });
  }

  it('finds nothing in the real runtime with the same budget', async () => {
    const result = await huntBug(
      { id: 'none', title: 'the real runtime', seenIn: '', expect: [], variant: {} },
      { seed: 1, chaosRuns: 100, config },
    );
    expect(result).toMatchObject({ caught: false, message: null });
  });
});
