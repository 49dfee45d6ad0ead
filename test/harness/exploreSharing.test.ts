// The explorer shares verdicts twice: a crash state identical to one already recovered shares its
// recovery, and a recovery that ends in a configuration already checked shares its rerun (I1) and
// purge (I5) verdict. Sharing is sound only if it never changes a verdict: here the same exploration
// of the correct runtime runs with the second kind of sharing off and must report exactly the same
// (no) violations. The same holds for zoo bugs whose violations come from those very checks
// (exploreSharingOnBugs.test.ts).
import { describe, it } from 'vitest';
import { expectSharingChangesNoVerdict } from '../support/sharedVerdicts.ts';

describe('sharing the checks after recovery', () => {
  it('changes no verdict: correct runtime', async () => {
    await expectSharingChangesNoVerdict({}, false);
  });
});
