// A randomized campaign for foreign code: fast-check draws environment faults (errno on the n-th call,
// a disk quota, fsync EIO, short writes), a crash point and a crash model; the workload runs under
// the faults, is crashed there, and the check judges the state. A failure shrinks to a minimal plan,
// and `seed` + `path` replay it exactly, as for the runtime's own campaign.
import fc from 'fast-check';
import { crashState } from '../simFs/crashStates.ts';
import { SeededRandom } from '../seededRandom.ts';
import { DiskQuota } from '../faults/diskFull.ts';
import { buildFault } from '../faults/buildFault.ts';
import type { FaultSpec } from '../scenarioRunner/scenarioTypes.ts';
import { crashView, modelOf, recordForeign, type ForeignModel, type ForeignSchedule } from './exploreForeign.ts';
import { chaosCommand } from '../report/chaosCommand.ts';

export interface ForeignPlan {
  readonly faults: FaultSpec[];
  readonly crashAt: number;
  readonly model: ForeignModel;
  /** Interleaving, pauses and clock steps (shrunk with the rest). */
  readonly schedule: ForeignSchedule;
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
    trigger: fc.record({
      op: fc.constantFrom('open' as const, 'write' as const, 'fsync' as const, 'rename' as const, 'close' as const),
      nth: fc.integer({ min: 1, max: 4 }),
    }),
  }),
  fc.integer({ min: 0, max: 64 }).map((diskQuotaBytes) => ({ diskQuotaBytes })),
  fc.integer({ min: 1, max: 3 }).map((nth) => ({ fsyncEio: { nth } })),
  fc.integer({ min: 1, max: 8 }).map((shortWritesMaxBytes) => ({ shortWritesMaxBytes })),
);

// Pauses long enough to outlive a lease (lock libraries count staleness in seconds to minutes), and
// wall steps either way; choices pick the next process at each gated call (shrinking toward 0, the
// first ready process).
const scheduleArb: fc.Arbitrary<ForeignSchedule> = fc.record({
  choices: fc.array(fc.nat({ max: 7 }), { maxLength: 64 }),
  pauses: fc.array(
    fc.record({
      processIndex: fc.nat({ max: 7 }),
      afterCalls: fc.integer({ min: 1, max: 40 }),
      durationMs: fc.constantFrom(50, 2_000, 15_000, 120_000),
    }),
    { maxLength: 2 },
  ),
  clockSteps: fc.array(
    fc.record({ atMs: fc.nat({ max: 300 }), deltaMs: fc.integer({ min: -30 * 60_000, max: 30 * 60_000 }) }),
    { maxLength: 1 },
  ),
});

export function foreignPlanArb(models: readonly ForeignModel[]): fc.Arbitrary<ForeignPlan> {
  return fc.record({
    faults: fc.array(faultArb, { maxLength: 2 }),
    crashAt: fc.nat({ max: 200 }),
    model: fc.constantFrom(...models),
    schedule: scheduleArb,
  });
}

export async function runForeignPlan(
  modulePath: string,
  plan: ForeignPlan,
  seed = 1,
): Promise<{ messages: string[]; trace: string }> {
  const recording = await recordForeign(modulePath, {
    seed,
    schedule: plan.schedule,
    decorate: (world) => {
      const quota = new DiskQuota(Number.MAX_SAFE_INTEGER);
      return plan.faults.map((fault) => buildFault(fault, world, quota));
    },
  });
  const k = plan.crashAt % recording.states.length;
  const crashed = crashState(recording.states[k]!, modelOf(plan.model, new SeededRandom(seed ^ plan.crashAt)));
  const messages = [
    // A run that could not be judged fails, whatever the crash state says; a run that threw fails
    // only if no fault was injected (reporting an injected fault is honest behaviour).
    ...recording.harnessFailures.map((failure) => `the run failed: ${failure}`),
    ...(plan.faults.length === 0
      ? recording.thrown.map((failure) => `the run threw without an injected fault: ${failure}`)
      : []),
    ...recording.workload.check(
      crashView(crashed),
      recording.ackedAt[k]!,
      recording.events.slice(0, recording.eventsAt[k]),
    ),
  ];
  // A run that failed by itself is shown whole; a crash state is shown up to its crash point.
  if (recording.workloadError !== undefined)
    return {
      messages,
      trace: [...recording.traceLines, '>>> the run failed (above: every call, pause and exit)'].join('\n'),
    };
  return {
    messages,
    trace: [...recording.opLines.slice(0, k), `>>> ${plan.model} crash here (before call ${k})`].join('\n'),
  };
}

export async function campaignForeign(
  modulePath: string,
  options: { runs: number; seed: number; path?: string; models?: readonly ForeignModel[] },
): Promise<{ runs: number; failure: ForeignCampaignFailure | undefined }> {
  let runs = 0;
  const details = await fc.check(
    fc.asyncProperty(foreignPlanArb(options.models ?? ['process-kill', 'lazyfs', 'pessimistic']), async (plan) => {
      runs += 1;
      return (await runForeignPlan(modulePath, plan)).messages.length === 0;
    }),
    {
      seed: options.seed,
      numRuns: options.path === undefined ? options.runs : 1,
      ...(options.path !== undefined ? { path: options.path } : {}),
    },
  );
  if (!details.failed || details.counterexample === null) return { runs, failure: undefined };
  const [plan] = details.counterexample;
  const { messages, trace } = await runForeignPlan(modulePath, plan);
  const path = details.counterexamplePath ?? '';
  const seed = details.seed >>> 0; // fast-check reports it signed; the CLI prints and takes 0..2^32-1
  return {
    runs,
    failure: {
      seed,
      path,
      plan,
      messages,
      trace,
      replay: `${chaosCommand()} foreign ${modulePath} --seed ${seed} --path ${path}`,
    },
  };
}
