// Hunting one zoo bug with the whole harness, cheapest first: the scenarios (catalog and extra), the
// concurrency scenarios under more interleavings, exhaustive crash exploration of the small workload,
// of every user-facing operation, and of faults followed by crashes, then chaos campaigns (in-process
// and through the jobs CLI), then the model-based campaign. Stops at
// the first violation and reports which invariant caught it, where, and how many runs it took.
import type { RuntimeConfig } from '../../src/config.ts';
import { SCENARIOS } from '../../scenarios/index.ts';
import { EXTRA_SCENARIOS } from '../../scenarios/extra/index.ts';
import { runScenario } from '../scenarioRunner/runScenario.ts';
import { explore } from '../explorer/explore.ts';
import { runCampaign, replayCommand } from '../chaos/campaign.ts';
import type { PlanGenerator } from '../chaos/chaosPlan.ts';
import type { Entry } from '../chaos/productionEntry.ts';
import { SMALL_JOBS } from '../workload/jobSpec.ts';
import type { Violation } from '../invariants/violation.ts';
import type { ZooBug } from './zooBug.ts';
import { startStopwatch } from '../report/stopwatch.ts';
import { loadVariant, policyOf, spawnWith, type RuntimeVariant } from './runtimeVariant.ts';
import { OPERATION_WORKLOADS } from '../explorer/operationWorkloads.ts';
import { exploreOperation } from '../explorer/exploreOperation.ts';
import { exploreFaultsThenCrash } from '../explorer/exploreFaults.ts';
import { modelReplayCommand, runModelCampaign } from '../model/modelCampaign.ts';

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

/**
 * `productionRuns`: the campaign through the jobs CLI; `longHoldRuns`: the long-hold generator's (the
 * main job's defaults, 300 and 100).
 */
type HuntOptions = {
  seed: number;
  chaosRuns: number;
  productionRuns?: number;
  longHoldRuns?: number;
  config: RuntimeConfig;
  /** Hunt with the model campaign first (bugs only a user sees): the main job runs it too. */
  modelFirst?: boolean;
};
/** One way of hunting: how many runs (or crash states) it took, and its first finding. */
type Hunt = (
  variant: RuntimeVariant,
  options: HuntOptions,
) => Promise<{ runs: number; by?: string; violation?: Violation }>;
const MODELS = ['process-kill', 'lazyfs', 'pessimistic', 'subset'] as const;

const huntScenarios: Hunt = async (variant, options) => {
  let runs = 0;
  for (const scenario of [...SCENARIOS, ...EXTRA_SCENARIOS]) {
    const result = await runScenario(scenario, { seed: options.seed, config: options.config, variant });
    runs += result.runs;
    const violation = pick(result.violations);
    if (violation !== undefined) return { runs, by: `scenario ${scenario.id}`, violation };
  }
  return { runs };
};

/** Races show up only in some interleavings: the concurrency scenarios get more seeds. */
const huntRaces: Hunt = async (variant, options) => {
  let runs = 0;
  for (let seed = options.seed + 1; seed <= options.seed + RACE_SEEDS; seed++) {
    for (const scenario of SCENARIOS.filter((s) => RACE_SCENARIOS.has(s.id))) {
      const result = await runScenario(scenario, { seed, config: options.config, variant });
      runs += result.runs;
      const violation = pick(result.violations);
      if (violation !== undefined) return { runs, by: `scenario ${scenario.id} --seed ${seed}`, violation };
    }
  }
  return { runs };
};

/** The variant as the explorers take it: policy, runtime, decorators and handlers. */
function exploreOptionsOf(variant: RuntimeVariant) {
  const spawn = spawnWith(variant);
  const policy = policyOf(variant);
  return {
    ...(policy !== undefined ? { policy } : {}),
    ...(variant.runtime !== undefined ? { runtime: variant.runtime } : {}),
    ...(variant.decorate !== undefined ? { decorate: variant.decorate } : {}),
    ...(variant.wrapHandlers !== undefined && spawn.handlers !== undefined ? { handlers: spawn.handlers } : {}),
  };
}

const huntExplore: Hunt = async (variant, { config, seed }) => {
  const explored = await explore({
    jobs: SMALL_JOBS,
    config,
    seed,
    models: MODELS,
    ...exploreOptionsOf(variant),
    stopAtFirst: true,
  });
  const violation = explored.violations[0];
  return {
    runs: explored.crashStates,
    ...(violation !== undefined ? { by: `explore ${violation.crashPoint}`, violation } : {}),
  };
};

const huntOperations: Hunt = async (variant, { config, seed }) => {
  let runs = 0;
  for (const workload of OPERATION_WORKLOADS) {
    const operation = await exploreOperation(workload, {
      config,
      seed,
      models: MODELS,
      spawn: spawnWith(variant),
      stopAtFirst: true,
    });
    runs += operation.crashStates;
    const violation = operation.violations[0];
    if (violation !== undefined) return { runs, by: `explore operation ${violation.crashPoint}`, violation };
  }
  return { runs };
};

const huntFaults: Hunt = async (variant, { config, seed }) => {
  const faulted = await exploreFaultsThenCrash({
    jobs: SMALL_JOBS,
    config,
    seed,
    models: MODELS,
    perKind: 2,
    stopAtFirst: true,
    ...exploreOptionsOf(variant),
  });
  const violation = faulted.violations[0];
  return {
    runs: faulted.crashStates,
    ...(violation !== undefined ? { by: `fault, then crash ${violation.crashPoint}`, violation } : {}),
  };
};

/** A chaos campaign entered in-process, or through the jobs CLI for a variant the production root can run. */
const campaignHunt =
  (entry: Entry, plans: PlanGenerator = 'swarm'): Hunt =>
  async (variant, options) => {
    if (entry === 'production' && !throughCli(variant)) return { runs: 0 };
    const runs =
      plans === 'long-hold'
        ? (options.longHoldRuns ?? 100)
        : entry === 'production'
          ? (options.productionRuns ?? 300)
          : options.chaosRuns;
    const campaign = await runCampaign({ runs, seed: options.seed, config: options.config, variant, entry, plans });
    const failure = campaign.failure;
    const violation = failure === undefined ? undefined : pick(failure.result.violations);
    if (failure === undefined || violation === undefined) return { runs: campaign.runs };
    return { runs: campaign.runs, by: replayCommand(failure.seed, failure.path, entry, plans), violation };
  };

/** The explorer with the pass run as `jobs run` through the CLI (adapter durability bugs show here). */
const huntProductionExplore: Hunt = async (variant, { config, seed }) => {
  if (!throughCli(variant)) return { runs: 0 };
  const explored = await explore({
    jobs: SMALL_JOBS,
    config,
    seed,
    models: MODELS,
    entry: 'production',
    ...exploreOptionsOf(variant),
    stopAtFirst: true,
  });
  const violation = explored.violations[0];
  return {
    runs: explored.crashStates,
    ...(violation !== undefined ? { by: `explore (jobs CLI) ${violation.crashPoint}`, violation } : {}),
  };
};

/** The model-based campaign (I9): user sessions through the CLI and `jobs serve`, judged by the reference model. */
const huntModel: Hunt = async (variant, options) => {
  if (!throughCli(variant)) return { runs: 0 };
  const runs = options.productionRuns ?? 300;
  const campaign = await runModelCampaign({
    runs,
    seed: options.seed,
    config: options.config,
    spawn: {
      ...(variant.runtime !== undefined ? { runtime: variant.runtime } : {}),
      ...(variant.decorate !== undefined ? { decorate: variant.decorate } : {}),
    },
  });
  const failure = campaign.failure;
  const violation = failure === undefined ? undefined : failure.result.violations[0];
  if (failure === undefined || violation === undefined) return { runs: campaign.runs };
  return { runs: campaign.runs, by: modelReplayCommand(failure.seed, failure.path), violation };
};

/** Whether the production root can run `variant`: its code or its disk, not decisions inside the process. */
function throughCli(variant: RuntimeVariant): boolean {
  return variant.policy === undefined && variant.wrapHandlers === undefined && variant.wrapClock === undefined;
}

/** Cheapest first; the first finding ends the hunt. */
const HUNTS: readonly Hunt[] = [
  huntScenarios,
  huntRaces,
  huntExplore,
  huntOperations,
  huntFaults,
  campaignHunt('in-process'),
  campaignHunt('in-process', 'long-hold'),
  huntProductionExplore,
  campaignHunt('production'),
  huntModel,
];

export async function huntBug(bug: ZooBug, options: HuntOptions): Promise<HuntResult> {
  const elapsedMs = startStopwatch();
  const variant = await loadVariant(bug.variant);
  let runs = 0;
  const hunts = options.modelFirst === true ? [huntModel, ...HUNTS.filter((h) => h !== huntModel)] : HUNTS;
  for (const hunt of hunts) {
    const result = await hunt(variant, options);
    runs += result.runs;
    if (result.violation === undefined) continue;
    const { invariant, message } = result.violation;
    return {
      id: bug.id,
      title: bug.title,
      caught: true,
      invariant,
      by: result.by ?? null,
      message,
      runsToDetect: runs,
      elapsedMs: elapsedMs(),
    };
  }
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
