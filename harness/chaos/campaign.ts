// The randomized campaign: fast-check draws chaos plans (swarm fault mixes, interleavings), runs each,
// and on a violation shrinks the plan (fewer processes, fewer faults, earlier kill points, shorter
// choice lists) to a minimal one. The result names the seed and the counterexample path, which
// replay exactly with `npm run chaos -- replay --seed S --path P`.
import fc from 'fast-check';
import type { RuntimeConfig } from '../../src/config.ts';
import { chaosPlanArb } from './planArbitrary.ts';
import { longHoldPlanArb } from './longHoldArbitrary.ts';
import { runChaosPlan, type ChaosRunResult, type RuntimeVariant } from './runChaosPlan.ts';
import type { ChaosPlan, PlanGenerator } from './chaosPlan.ts';
import { runPlansInWorkers } from '../parallel/runPlansInWorkers.ts';
import { chaosCommand } from '../report/chaosCommand.ts';
import { toProductionPlan, type Entry } from './productionEntry.ts';

export interface CampaignOptions {
  readonly runs: number;
  readonly seed: number;
  readonly config: RuntimeConfig;
  /** Replay one counterexample: the path fast-check reported for this seed. */
  readonly path?: string;
  readonly onRun?: (index: number, result: Pick<ChaosRunResult, 'traceHash' | 'violations' | 'crashes'>) => void;
  readonly variant?: RuntimeVariant;
  /** Worker threads for the runs (default 1); results equal one thread's. */
  readonly workers?: number;
  /** With workers, a broken runtime must be a zoo bug, named here (and given as `variant` too). */
  readonly zooBugId?: string;
  /** How the runs enter the runtime (default in-process); production runs go through the CLI. */
  readonly entry?: Entry;
  /** Which generator draws the plans (default the swarm one). */
  readonly plans?: PlanGenerator;
}

export interface CampaignFailure {
  readonly seed: number;
  readonly path: string;
  readonly plan: ChaosPlan;
  readonly result: ChaosRunResult;
  readonly shrinks: number;
}

export interface CampaignResult {
  readonly runs: number;
  readonly crashes: number;
  readonly invariantChecks: number;
  readonly ops: number;
  readonly failure: CampaignFailure | undefined;
}

export function replayCommand(
  seed: number,
  path: string,
  entry: Entry = 'in-process',
  plans: PlanGenerator = 'swarm',
): string {
  return (
    `${chaosCommand()} replay --seed ${seed} --path ${path}` +
    `${entry === 'production' ? ' --entry production' : ''}${plans === 'swarm' ? '' : ` --plans ${plans}`}`
  );
}

/** The plans a campaign draws: the production root's form of each plan for a production campaign. */
export function planArbFor(entry: Entry = 'in-process', plans: PlanGenerator = 'swarm'): fc.Arbitrary<ChaosPlan> {
  const arb = plans === 'long-hold' ? longHoldPlanArb : chaosPlanArb;
  return entry === 'production' ? arb.map(toProductionPlan) : arb;
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const workers = options.workers ?? 1;
  if (workers > 1 && options.path === undefined) {
    if (options.variant !== undefined && options.zooBugId === undefined)
      throw new Error('a campaign on worker threads runs the correct runtime or a zoo bug named by zooBugId');
    return runCampaignInWorkers(options, workers);
  }
  return runCampaignHere(options);
}

/**
 * The runs of a campaign on worker threads. fast-check draws run i's plan as `fc.sample` does (the
 * same stream), so the plans are drawn here, run in parallel, and reported in order up to the first
 * failing run; that run is then replayed and shrunk on this thread (`path` i), exactly as one thread
 * would have shrunk it, and the replayed run itself is not counted twice.
 */
async function runCampaignInWorkers(options: CampaignOptions, workers: number): Promise<CampaignResult> {
  const plans = fc.sample(planArbFor(options.entry, options.plans), { seed: options.seed, numRuns: options.runs });
  const results = await runPlansInWorkers(plans, options.config, workers, options.zooBugId, options.entry);
  let runs = 0;
  let crashes = 0;
  let invariantChecks = 0;
  let ops = 0;
  for (const [index, result] of results.entries()) {
    runs += 1;
    crashes += result.crashes;
    invariantChecks += result.invariantChecks;
    ops += result.ops;
    options.onRun?.(runs, result);
    if (result.violations.length === 0) continue;
    let replayed = false;
    const shrunk = await runCampaignHere({
      ...options,
      path: String(index),
      onRun: (_i, run) => {
        if (!replayed) {
          replayed = true;
          return;
        }
        runs += 1;
        crashes += run.crashes;
        options.onRun?.(runs, run);
      },
    });
    return {
      runs,
      crashes,
      invariantChecks: invariantChecks + shrunk.invariantChecks - result.invariantChecks,
      ops: ops + shrunk.ops - result.ops,
      failure: shrunk.failure,
    };
  }
  return { runs, crashes, invariantChecks, ops, failure: undefined };
}

async function runCampaignHere(options: CampaignOptions): Promise<CampaignResult> {
  let runs = 0;
  let crashes = 0;
  let invariantChecks = 0;
  let ops = 0;
  let last: { plan: ChaosPlan; result: ChaosRunResult } | undefined;
  const property = fc.asyncProperty(planArbFor(options.entry, options.plans), async (plan) => {
    const result = await runChaosPlan(plan, options.config, 1, options.variant, options.entry);
    runs += 1;
    crashes += result.crashes;
    invariantChecks += result.invariantChecks;
    ops += result.ops;
    options.onRun?.(runs, result);
    if (result.violations.length > 0) {
      last = { plan, result };
      return false;
    }
    return true;
  });
  const details = await fc.check(property, {
    seed: options.seed,
    numRuns: options.path === undefined ? options.runs : 1,
    ...(options.path !== undefined ? { path: options.path } : {}),
    endOnFailure: false,
    interruptAfterTimeLimit: 60 * 60_000,
  });
  if (!details.failed || details.counterexample === null)
    return { runs, crashes, invariantChecks, ops, failure: undefined };
  const [plan] = details.counterexample;
  // The last failing run seen is the shrunk counterexample; run it again so the result is its own.
  const result =
    last !== undefined && last.plan === plan
      ? last.result
      : await runChaosPlan(plan, options.config, 1, options.variant, options.entry);
  return {
    runs,
    crashes,
    invariantChecks,
    ops,
    // The seed as the user gave it: fast-check reports it as a signed 32-bit number, which a replay
    // command would then print negative for a commit-derived seed above 2^31.
    failure: { seed: options.seed, path: details.counterexamplePath ?? '', plan, result, shrinks: details.numShrinks },
  };
}
