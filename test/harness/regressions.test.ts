// Every saved failure in scenarios/regressions/ (a chaos counterexample that once broke an invariant)
// replays without a violation, through the entry it was found by (in-process or the jobs CLI). Each file is validated by the same zod schema `replay <file>` uses.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { failureFileSchema } from '../../harness/chaos/chaosPlan.ts';
import { runChaosPlan } from '../../harness/chaos/runChaosPlan.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';

const dir = new URL('../../scenarios/regressions/', import.meta.url);
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .sort();

describe('saved regressions', () => {
  it('exist (each was a real counterexample found by the campaign)', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  for (const name of files) {
    it(`${name} replays clean`, async () => {
      const failure = failureFileSchema.parse(JSON.parse(readFileSync(new URL(name, dir), 'utf8')));
      expect(failure.violations.length).toBeGreaterThan(0);
      const result = await runChaosPlan(failure.plan, simConfig(), 1, {}, failure.entry ?? 'in-process');
      expect(result.violations).toEqual([]);
    });
  }
});
