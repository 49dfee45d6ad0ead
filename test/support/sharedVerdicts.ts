// The same exploration with and without sharing the checks after recovery: the two must report the
// same violations, and sharing must really share (test/harness/exploreSharing*.test.ts).
import { expect } from 'vitest';
import { explore, type ExploreOptions } from '../../harness/explorer/explore.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { SMALL_JOBS } from '../../harness/workload/jobSpec.ts';
import type { RuntimeVariant } from '../../harness/bugs/runtimeVariant.ts';

export async function expectSharingChangesNoVerdict(variant: RuntimeVariant, buggy: boolean): Promise<void> {
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
  if (buggy) expect(shared.violations.length).toBeGreaterThan(0);
  else expect(shared.violations).toEqual([]);
}
