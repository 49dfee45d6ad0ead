// I5 across repeated crash/recover cycles: what one crashed pass leaves behind is gone once a later
// pass got through its purge. The correct runtime never leaks; a purge that cannot see tmp files does.
import { describe, expect, it } from 'vitest';
import { exploreCrashCycles } from '../../harness/explorer/crashCycles.ts';
import { checkNoGrowth } from '../../harness/invariants/i5BoundedStorage.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { STANDARD_JOBS } from '../../harness/workload/jobSpec.ts';
import { tmpInvisibleToReaddir } from '../../harness/bugs/fsBugs.ts';

const config = simConfig();

describe('crash/recover cycles', () => {
  it('leave nothing that survives a purge, and recover, on the correct runtime', async () => {
    const result = await exploreCrashCycles({ jobs: STANDARD_JOBS, config, seed: 1, sequences: 6, cycles: 6 });
    expect(result.violations).toEqual([]);
    expect(result.crashes).toBe(36);
  });

  it('catch a purge that cannot see tmp files: leftovers pile up crash after crash', async () => {
    const result = await exploreCrashCycles({
      jobs: STANDARD_JOBS,
      config,
      seed: 1,
      sequences: 6,
      cycles: 6,
      spawn: { decorate: [tmpInvisibleToReaddir] },
    });
    expect(result.violations).toContainEqual(
      expect.objectContaining({
        invariant: 'I5',
        message: expect.stringMatching(/tmp files and locks survived a purge across crash\/recover cycles/),
      }),
    );
  });

  it('judges only cycles whose pass got through its purge, by identity not by path', () => {
    const cycle = (entries: string[], purged: boolean) => ({ entries: new Set(entries), purged });
    expect(
      checkNoGrowth([cycle(['/d/runner.lock\u0000AAA'], false), cycle(['/d/runner.lock\u0000BBB'], true)]),
    ).toEqual([]);
    expect(checkNoGrowth([cycle(['/d/.tmp-x\u0000AAA'], false), cycle(['/d/.tmp-x\u0000AAA'], false)])).toEqual([]);
    expect(checkNoGrowth([cycle(['/d/.tmp-x\u0000AAA'], false), cycle(['/d/.tmp-x\u0000AAA'], true)])).toHaveLength(1);
  });
});
