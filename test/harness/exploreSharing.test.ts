// The explorer shares verdicts twice: a crash state identical to one already recovered shares its
// recovery, and a recovery that ends in a configuration already checked shares its rerun (I1) and
// purge (I5) verdict. Sharing is sound only if it never changes a verdict: here the same exploration
// runs with the second kind of sharing off and must report exactly the same violations, for the
// correct runtime and for zoo bugs whose violations come from those very checks (I1 and I5 among them).
import { describe, expect, it } from 'vitest';
import { explore, type ExploreOptions } from '../../harness/explorer/explore.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { SMALL_JOBS } from '../../harness/workload/jobSpec.ts';
import { ZOO } from '../../harness/bugs/zoo.ts';
import { loadVariant } from '../../harness/bugs/runtimeVariant.ts';

const bug = (id: string) => {
  const found = ZOO.find((b) => b.id === id);
  if (found === undefined) throw new Error(`no zoo bug ${id}`);
  return found.variant;
};

describe('sharing the checks after recovery', () => {
  for (const id of ['correct runtime', 'lock-kept-on-failure', 'overwrite-in-place', 'state-before-artifact']) {
    it(`changes no verdict: ${id}`, async () => {
      const variant = await loadVariant(id === 'correct runtime' ? {} : bug(id));
      const options: ExploreOptions = {
        jobs: SMALL_JOBS,
        config: simConfig(),
        seed: 1,
        models: ['process-kill'],
        ...(variant.runtime !== undefined ? { runtime: variant.runtime } : {}),
        ...(variant.decorate !== undefined ? { decorate: variant.decorate } : {}),
      };
      const shared = await explore(options);
      const alone = await explore({ ...options, shareAfterRecovery: false });
      expect(shared.violations).toEqual(alone.violations);
      expect(shared.crashStates).toBe(alone.crashStates);
      // It does share: fewer rerun-and-purge runs than recoveries (without sharing, one per recovery).
      expect(alone.afterRecoveryRuns).toBe(alone.distinctStates);
      expect(shared.afterRecoveryRuns).toBeLessThan(shared.distinctStates);
      if (id !== 'correct runtime') expect(shared.violations.length).toBeGreaterThan(0);
    });
  }
});
