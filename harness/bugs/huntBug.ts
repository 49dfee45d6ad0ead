// Hunting one zoo bug with the whole harness, cheapest first: the scenarios (catalog and extra), the
// concurrency scenarios under more interleavings, exhaustive crash exploration of the small workload,
// of every user-facing operation, and of faults followed by crashes, then a chaos campaign. Stops at
// the first violation and reports which invariant caught it, where, and how many runs it took.
import type { RuntimeConfig } from '../../src/config.ts';
import { SCENARIOS } from '../../scenarios/index.ts';
import { EXTRA_SCENARIOS } from '../../scenarios/extra/index.ts';
import { runScenario } from '../scenarioRunner/runScenario.ts';
import { explore } from '../explorer/explore.ts';
import { runCampaign, replayCommand } from '../chaos/campaign.ts';
import { SMALL_JOBS } from '../workload/jobSpec.ts';
import type { Violation } from '../invariants/violation.ts';
import type { ZooBug } from './zooBug.ts';
import { startStopwatch } from '../report/stopwatch.ts';
import { loadVariant, policyOf, spawnWith } from './runtimeVariant.ts';
import { OPERATION_WORKLOADS } from '../explorer/operationWorkloads.ts';
import { exploreOperation } from '../explorer/exploreOperation.ts';
import { exploreFaultsThenCrash } from '../explorer/exploreFaults.ts';

const RACE_SCENARIOS = new Set([
  'p3-concurrent-runners',
  'stale-lock-takeover-race',
  'duplicate-trigger',
  'paused-owner-fenced',
]);
const RACE_SEEDS = 30;

export interface HuntResult {
  readonly id: string;
  readonly title: string;
  readonly caught: boolean;
  readonly invariant: string | null;
  readonly by: string | null;
  readonly message: string | null;
  readonly runsToDetect: number;
  readonly elapsedMs: number;
}

/** The most specific finding: a numbered invariant over a scenario's own expectation. */
function pick(violations: readonly Violation[]): Violation | undefined {
  return violations.find((v) => v.invariant !== 'expect') ?? violations[0];
}

export async function huntBug(
  bug: ZooBug,
  options: { seed: number; chaosRuns: number; config: RuntimeConfig },
): Promise<HuntResult> {
  const elapsedMs = startStopwatch();
  const variant = await loadVariant(bug.variant);
  let runs = 0;
  const found = (by: string, v: Violation): HuntResult => ({
    id: bug.id,
    title: bug.title,
    caught: true,
    invariant: v.invariant,
    by,
    message: v.message,
    runsToDetect: runs,
    elapsedMs: elapsedMs(),
  });
  for (const scenario of [...SCENARIOS, ...EXTRA_SCENARIOS]) {
    const result = await runScenario(scenario, { seed: options.seed, config: options.config, variant });
    runs += result.runs;
    const v = pick(result.violations);
    if (v !== undefined) return found(`scenario ${scenario.id}`, v);
  }
  // Races show up only in some interleavings: the concurrency scenarios get more seeds.
  for (let seed = options.seed + 1; seed <= options.seed + RACE_SEEDS; seed++) {
    for (const scenario of SCENARIOS.filter((s) => RACE_SCENARIOS.has(s.id))) {
      const result = await runScenario(scenario, { seed, config: options.config, variant });
      runs += result.runs;
      const v = pick(result.violations);
      if (v !== undefined) return found(`scenario ${scenario.id} --seed ${seed}`, v);
    }
  }
  const spawn = spawnWith(variant);
  const policy = policyOf(variant);
  const broken = {
    ...(policy !== undefined ? { policy } : {}),
    ...(variant.runtime !== undefined ? { runtime: variant.runtime } : {}),
    ...(variant.decorate !== undefined ? { decorate: variant.decorate } : {}),
    ...(variant.wrapHandlers !== undefined && spawn.handlers !== undefined ? { handlers: spawn.handlers } : {}),
  };
  const explored = await explore({
    jobs: SMALL_JOBS,
    config: options.config,
    seed: options.seed,
    models: ['process-kill', 'lazyfs', 'pessimistic', 'subset'],
    ...broken,
    stopAtFirst: true,
  });
  runs += explored.crashStates;
  const ev = explored.violations[0];
  if (ev !== undefined) return found(`explore ${ev.crashPoint}`, ev);
  for (const workload of OPERATION_WORKLOADS) {
    const operation = await exploreOperation(workload, {
      config: options.config,
      seed: options.seed,
      models: ['process-kill', 'lazyfs', 'pessimistic', 'subset'],
      spawn,
      stopAtFirst: true,
    });
    runs += operation.crashStates;
    const ov = operation.violations[0];
    if (ov !== undefined) return found(`explore operation ${ov.crashPoint}`, ov);
  }
  const faulted = await exploreFaultsThenCrash({
    jobs: SMALL_JOBS,
    config: options.config,
    seed: options.seed,
    models: ['process-kill', 'lazyfs', 'pessimistic', 'subset'],
    perKind: 2,
    stopAtFirst: true,
    ...broken,
  });
  runs += faulted.crashStates;
  const fv = faulted.violations[0];
  if (fv !== undefined) return found(`fault, then crash ${fv.crashPoint}`, fv);
  const campaign = await runCampaign({ runs: options.chaosRuns, seed: options.seed, config: options.config, variant });
  runs += campaign.runs;
  const failure = campaign.failure;
  const cv = failure === undefined ? undefined : pick(failure.result.violations);
  if (failure !== undefined && cv !== undefined) return found(replayCommand(failure.seed, failure.path), cv);
  return {
    id: bug.id,
    title: bug.title,
    caught: false,
    invariant: null,
    by: null,
    message: null,
    runsToDetect: runs,
    elapsedMs: elapsedMs(),
  };
}
