// The run report names where each explorer violation was found (its crash point) and keeps a path
// only when the violation has one, so the human, JSON and JUnit renderers all point at the same place.
import { describe, expect, it } from 'vitest';
import { addExploreViolations, emptyReport } from '../../harness/report/runReport.ts';

describe('addExploreViolations', () => {
  it('records each violation at explore:<crash point>, with its path only when it has one', () => {
    const report = emptyReport(7);
    addExploreViolations(report, [
      { invariant: 'I2', message: 'torn output', crashPoint: 'prefix@12', path: 'jobs/a/out.json' },
      { invariant: 'I5', message: 'leftovers grew', crashPoint: 'crash-cycles' },
    ]);
    expect(report.violations).toEqual([
      { invariant: 'I2', message: 'torn output', where: 'explore:prefix@12', path: 'jobs/a/out.json' },
      { invariant: 'I5', message: 'leftovers grew', where: 'explore:crash-cycles' },
    ]);
    expect('path' in report.violations[1]!).toBe(false);
  });

  it('appends to what the report already holds', () => {
    const report = emptyReport(7);
    report.violations.push({ invariant: 'I1', message: 'first', where: 'scenario:x' });
    addExploreViolations(report, [{ invariant: 'I3', message: 'second', crashPoint: 'full@3' }]);
    expect(report.violations.map((v) => v.where)).toEqual(['scenario:x', 'explore:full@3']);
  });
});
