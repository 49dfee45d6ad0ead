// Fault, then crash: an environment fault at call k of the pass (an errno, fsync EIO that drops the
// dirty pages, a short write, a full disk), and then a crash at every later point under every crash
// model, each recovered and checked like any crash state. Error paths are where durability code is
// least tested (a cleanup that removes the wrong file, a retry that trusts a failed fsync, a state
// write skipped on the way out); a crash right after one is what exposes them. Fault points are drawn
// from the calls of the fault-free pass, a seeded sample per kind, and reported as `kind#nth`.
import { chooseFaultPoints, pointFault, type FaultPoint } from '../faults/pointFault.ts';
import { explore, type ExploreOptions, type ExploreResult, type ExploreViolation } from './explore.ts';
import { runOnWorker } from '../parallel/exploreInWorkers.ts';

export interface FaultExploreResult {
  readonly faultPoints: readonly FaultPoint[];
  readonly crashStates: number;
  readonly distinctStates: number;
  readonly violations: ExploreViolation[];
}

export async function exploreFaultsThenCrash(
  options: ExploreOptions & { readonly perKind: number; readonly workers?: number },
): Promise<FaultExploreResult> {
  const baseline = await explore({ ...options, models: [], onProgress: () => undefined });
  const points = chooseFaultPoints(baseline.victimCalls, options.perKind, options.seed);
  const results = await explorePoints(options, points);
  const violations: ExploreViolation[] = [];
  let crashStates = 0;
  let distinctStates = 0;
  for (const [i, result] of results.entries()) {
    const point = points[i]!;
    crashStates += result.crashStates;
    distinctStates += result.distinctStates;
    for (const v of result.violations)
      violations.push({ ...v, crashPoint: `${point.kind}#${point.op}${point.nth}+${v.crashPoint}` });
    if (options.stopAtFirst === true && violations.length > 0) break;
  }
  return { faultPoints: points, crashStates, distinctStates, violations };
}

/** One exploration per fault point, on this thread or dealt round-robin to worker threads. */
async function explorePoints(
  options: ExploreOptions & { readonly workers?: number },
  points: readonly FaultPoint[],
): Promise<ExploreResult[]> {
  const after = (point: FaultPoint) => ({ crashFromCall: point.callIndex + 1, victimMayFail: true });
  const workers = options.workers ?? 1;
  if (
    workers <= 1 ||
    options.decorate !== undefined ||
    options.policy !== undefined ||
    options.runtime !== undefined ||
    options.handlers !== undefined
  ) {
    const results: ExploreResult[] = [];
    for (const point of points) {
      const result = await explore({
        ...options,
        victimFaults: (world) => [pointFault(point, world)],
        ...after(point),
      });
      results.push(result);
      if (options.stopAtFirst === true && result.violations.length > 0) break;
    }
    return results;
  }
  const { jobs, config, seed, models, subsetsPerPoint, recoveryCrashShare, shareAfterRecovery } = options;
  const portable = {
    jobs,
    config,
    seed,
    models,
    ...(subsetsPerPoint === undefined ? {} : { subsetsPerPoint }),
    ...(recoveryCrashShare === undefined ? {} : { recoveryCrashShare }),
    ...(shareAfterRecovery === undefined ? {} : { shareAfterRecovery }),
  };
  const dealt = Array.from({ length: workers }, (_, w) =>
    points.flatMap((point, i) =>
      i % workers === w
        ? [{ options: { ...portable, ...after(point) }, faultPoint: point, partition: { index: 0, count: 1 } }]
        : [],
    ),
  );
  const perWorker = await Promise.all(
    dealt.filter((jobsOfWorker) => jobsOfWorker.length > 0).map((jobsOfWorker) => runOnWorker(jobsOfWorker)),
  );
  return points.map((_point, i) => perWorker[i % workers]![Math.floor(i / workers)]!);
}

export { POINT_FAULTS, chooseFaultPoints, pointFault, type FaultPoint, type PointFault } from '../faults/pointFault.ts';
