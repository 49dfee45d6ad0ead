// The model-based campaign: random user sessions (modelArbitrary.ts) run through the product's public
// doors and judged by the reference model (I9). A failure is shrunk by fast-check to a short session
// and replays exactly from its seed and path.
import fc from 'fast-check';
import type { RuntimeConfig } from '../../src/config.ts';
import { modelPlanArb } from './modelArbitrary.ts';
import type { ModelPlan } from './modelPlan.ts';
import { runModelPlan, type ModelRunResult, type ModelSpawn } from './runModelPlan.ts';

export interface ModelCampaignOptions {
  readonly seed: number;
  readonly runs: number;
  readonly config: RuntimeConfig;
  /** Replays one run (fast-check's path) instead of drawing `runs`. */
  readonly path?: string;
  /** The runtime and disk views of every process (a zoo bug's); default the real runtime. */
  readonly spawn?: ModelSpawn;
  /** Called after each session with its 1-based index and result. */
  readonly onRun?: (index: number, result: ModelRunResult) => void;
}

export interface ModelCampaignFailure {
  readonly seed: number;
  readonly path: string;
  readonly plan: ModelPlan;
  readonly result: ModelRunResult;
}

export interface ModelCampaignResult {
  readonly runs: number;
  readonly steps: number;
  readonly checks: number;
  readonly failure: ModelCampaignFailure | undefined;
}

export const MODEL_MAX_ATTEMPTS = 2;

export function modelReplayCommand(seed: number, path: string): string {
  return `npm run chaos -- model --seed ${seed} --path ${path}`;
}

export async function runModelCampaign(options: ModelCampaignOptions): Promise<ModelCampaignResult> {
  let runs = 0;
  let steps = 0;
  let checks = 0;
  let last: { plan: ModelPlan; result: ModelRunResult } | undefined;
  const spawn = options.spawn ?? {};
  // Two attempts: a session of a few dozen steps then reaches spent attempts as often as success.
  const config: RuntimeConfig = { ...options.config, maxAttempts: MODEL_MAX_ATTEMPTS };
  const property = fc.asyncProperty(modelPlanArb, async (plan) => {
    const result = await runModelPlan(plan, config, 1, spawn);
    runs += 1;
    steps += result.steps;
    checks += result.checks;
    options.onRun?.(runs, result);
    if (result.violations.length === 0) return true;
    last = { plan, result };
    return false;
  });
  const details = await fc.check(property, {
    seed: options.seed,
    numRuns: options.path === undefined ? options.runs : 1,
    ...(options.path !== undefined ? { path: options.path } : {}),
    endOnFailure: false,
  });
  if (!details.failed || details.counterexample === null) return { runs, steps, checks, failure: undefined };
  const [plan] = details.counterexample;
  const result = last?.plan === plan ? last.result : await runModelPlan(plan, config, 1, spawn);
  return { runs, steps, checks, failure: { seed: options.seed, path: details.counterexamplePath ?? '', plan, result } };
}
