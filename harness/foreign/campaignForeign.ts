// A randomized campaign for foreign code: fast-check draws environment faults (errno on the n-th call,
// a disk quota, fsync EIO, short writes), a crash point and a crash model; the workload runs under
// the faults, is crashed there, and the check judges the state. A failure shrinks to a minimal plan,
// and `seed` + `path` replay it exactly, as for the runtime's own campaign.
import fc from 'fast-check';
import { crashState } from '../simFs/crashStates.ts';
import { SeededRandom } from '../seededRandom.ts';
import { DiskQuota } from '../faults/diskFull.ts';
import { buildFault } from '../faults/buildFault.ts';
import type { FaultSpec } from '../scenarios/scenarioTypes.ts';
import { crashView, modelOf, recordForeign, type ForeignModel, type ForeignWorkload } from './exploreForeign.ts';

export interface ForeignPlan {
  readonly faults: FaultSpec[];
  readonly crashAt: number;
  readonly model: ForeignModel;
}

export interface ForeignCampaignFailure {
  readonly seed: number;
  readonly path: string;
  readonly plan: ForeignPlan;
  readonly messages: string[];
  readonly trace: string;
  /** The call that replays exactly this failure. */
  readonly replay: string;
}

const faultArb: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc.record({
    errno: fc.constantFrom('EIO' as const, 'EACCES' as const, 'EMFILE' as const),
    trigger: fc.record({ op: fc.constantFrom('open' as const, 'write' as const, 'fsync' as const, 'rename' as const, 'close' as const), nth: fc.integer({ min: 1, max: 4 }) }),
  }),
  fc.integer({ min: 0, max: 64 }).map((diskQuotaBytes) => ({ diskQuotaBytes })),
  fc.integer({ min: 1, max: 3 }).map((nth) => ({ fsyncEio: { nth } })),
  fc.integer({ min: 1, max: 8 }).map((shortWritesMaxBytes) => ({ shortWritesMaxBytes })),
);

export function foreignPlanArb(models: readonly ForeignModel[]): fc.Arbitrary<ForeignPlan> {
  return fc.record({ faults: fc.array(faultArb, { maxLength: 2 }), crashAt: fc.nat({ max: 200 }), model: fc.constantFrom(...models) });
}

export async function runForeignPlan(workload: ForeignWorkload, plan: ForeignPlan, seed = 1): Promise<{ messages: string[]; trace: string }> {
  const recording = await recordForeign(workload, {
    seed,
    decorate: (world) => {
      const quota = new DiskQuota(Number.MAX_SAFE_INTEGER);
      return plan.faults.map((fault) => buildFault(fault, world, quota));
    },
  });
  const k = plan.crashAt % recording.states.length;
  const crashed = crashState(recording.states[k]!, modelOf(plan.model, new SeededRandom(seed ^ plan.crashAt)));
  const messages = workload.check(crashView(crashed), recording.ackedAt[k]!);
  return { messages, trace: [...recording.opLines.slice(0, k), `>>> ${plan.model} crash here (before call ${k})`].join('\n') };
}

export async function campaignForeign(
  workload: ForeignWorkload,
  options: { runs: number; seed: number; path?: string; models?: readonly ForeignModel[] },
): Promise<{ runs: number; failure: ForeignCampaignFailure | undefined }> {
  let runs = 0;
  const details = await fc.check(fc.asyncProperty(foreignPlanArb(options.models ?? ['process-kill', 'lazyfs', 'pessimistic']), async (plan) => {
    runs += 1;
    return (await runForeignPlan(workload, plan)).messages.length === 0;
  }), { seed: options.seed, numRuns: options.path === undefined ? options.runs : 1, ...(options.path !== undefined ? { path: options.path } : {}) });
  if (!details.failed || details.counterexample === null) return { runs, failure: undefined };
  const [plan] = details.counterexample;
  const { messages, trace } = await runForeignPlan(workload, plan);
  const path = details.counterexamplePath ?? '';
  return { runs, failure: { seed: details.seed, path, plan, messages, trace, replay: `campaignForeign(workload, { runs: 1, seed: ${details.seed}, path: '${path}' })` } };
}
