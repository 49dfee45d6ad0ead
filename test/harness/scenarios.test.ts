// Every scenario of the catalog passes against the runtime, and the catalog holds exactly the ids the design names.
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../scenarios/index.ts';
import { runScenario } from '../../harness/scenarioRunner/runScenario.ts';

const DESIGN_IDS = [
  'crash-during-stage',
  'kill-mid-rename',
  'disk-full-mid-write',
  'permission-error-mid-write',
  'partial-artifact-present',
  'orphaned-lock',
  'duplicate-trigger',
  'delete-during-execution',
  'p1-no-tmp-after-success',
  'p1-no-orphan-runner-lock',
  'p1-idempotent-rerun',
  'p1-failed-state',
  'p2-transient-retried',
  'p2-permanent-failed',
  'p2-manual-retry-resumes',
  'p3-concurrent-runners',
  'p3-delete-mid-pipeline',
  'power-loss-after-ack',
  'stale-lock-takeover-race',
  'paused-owner-fenced',
  'clock-jumps',
  'purge-on-schedule',
];

describe('scenario catalog', () => {
  it("has exactly the ids of the design's catalog, each once", () => {
    expect(SCENARIOS.map((s) => s.id).sort()).toEqual([...DESIGN_IDS].sort());
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.id}: ${scenario.title}`, async () => {
      const result = await runScenario(scenario, { seed: 1 });
      expect(result.violations).toEqual([]);
      expect(result.ok).toBe(true);
    });
  }
});
