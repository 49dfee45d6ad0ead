// Sharing the checks after recovery changes no verdict on zoo bugs whose violations come from those
// very checks (I1 and I5 among them). These bugs are source patches of src/, so this file is left out
// of mutation runs (vitest.mutation.config.ts); the correct runtime's case is exploreSharing.test.ts.
import { describe, it } from 'vitest';
import { ZOO } from '../../harness/bugs/zoo.ts';
import { loadVariant } from '../../harness/bugs/runtimeVariant.ts';
import { expectSharingChangesNoVerdict } from '../support/sharedVerdicts.ts';

describe('sharing the checks after recovery, on a patched runtime', () => {
  for (const id of ['lock-kept-on-failure', 'overwrite-in-place', 'state-before-artifact']) {
    it(`changes no verdict: ${id}`, async () => {
      const bug = ZOO.find((b) => b.id === id);
      if (bug === undefined) throw new Error(`no zoo bug ${id}`);
      await expectSharingChangesNoVerdict(await loadVariant(bug.variant), true);
    });
  }
});
