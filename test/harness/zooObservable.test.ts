// The zoo's bugs that only a user sees (harness/bugs/zooObservable.ts) or another world shows
// (harness/bugs/zooWorlds.ts): each is caught by the whole
// harness, hunted as zoo.test.ts hunts the others but with the main job's model campaign first (the
// cheapest hunt that sees them), and by the check it names.
import { describe, expect, it } from 'vitest';
import { OBSERVABLE_BUGS } from '../../harness/bugs/zooObservable.ts';
import { WORLD_BUGS } from '../../harness/bugs/zooWorlds.ts';
import { huntBug } from '../../harness/bugs/huntBug.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';

const config = simConfig();

describe('bug zoo: what users see', () => {
  for (const bug of [...OBSERVABLE_BUGS, ...WORLD_BUGS]) {
    it(`catches ${bug.id}: ${bug.title}`, async () => {
      const result = await huntBug(bug, { seed: 1, chaosRuns: 100, config, modelFirst: true });
      expect(result.caught, `${bug.id} escaped after ${result.runsToDetect} runs`).toBe(true);
      expect(bug.expect, `${bug.id} was caught by ${result.invariant} (${result.by}: ${result.message})`).toContain(
        result.invariant,
      );
    });
  }
});
