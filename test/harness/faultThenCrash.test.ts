// Fault, then crash: an environment fault at a call of the pass, then a crash at every later point
// under every crash model. The correct runtime survives every combination; a runtime whose error path
// is wrong (it retries a failed fsync and trusts the second answer) is caught.
import { describe, expect, it } from 'vitest';
import { chooseFaultPoints, exploreFaultsThenCrash, POINT_FAULTS } from '../../harness/explorer/exploreFaults.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { SMALL_JOBS } from '../../harness/workload/jobSpec.ts';
import type { OpName } from '../../harness/simFs/simFs.ts';

const config = simConfig();
const ALL_MODELS = ['process-kill', 'lazyfs', 'pessimistic', 'subset'] as const;

describe('fault, then crash', () => {
  it('draws fault points of every kind among the calls each kind can hit, the same for the same seed', () => {
    const calls = (
      ['open', 'write', 'fsync', 'close', 'rename', 'fsyncDir', 'readFile', 'write', 'fsync'] as OpName[]
    ).map((op) => ({ op }));
    const points = chooseFaultPoints(calls, 2, 5);
    expect(points).toEqual(chooseFaultPoints(calls, 2, 5));
    expect(new Set(points.map((p) => p.kind))).toEqual(new Set(POINT_FAULTS));
    for (const p of points) expect(calls[p.callIndex]!.op).toBe(p.op);
    expect(points.filter((p) => p.kind === 'fsync-eio').every((p) => p.op === 'fsync')).toBe(true);
    expect(
      points
        .filter((p) => p.kind === 'short-write')
        .map((p) => p.nth)
        .sort(),
    ).toEqual([1, 2]);
  });

  it('finds nothing in the correct runtime: each fault kind, then every later crash point under every model', async () => {
    const result = await exploreFaultsThenCrash({ jobs: SMALL_JOBS, config, seed: 1, models: ALL_MODELS, perKind: 2 });
    expect(result.violations).toEqual([]);
    expect(new Set(result.faultPoints.map((p) => p.kind))).toEqual(new Set(POINT_FAULTS));
    expect(result.crashStates).toBeGreaterThan(1_000);
  });
});
