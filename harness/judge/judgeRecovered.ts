// The one verdict on a recovered world. Every driver that recovers a run (the crash explorer, the
// operation explorer, crash cycles, chaos runs, the real SIGKILL soak) hands its record here with its
// own model of what each job is owed, and the checks that follow recovery run here and nowhere else:
// - the jobs' outcomes (I3, against what the record owes them) and no lock or tmp file left (I3);
// - complete jobs byte-equal the fault-free run (I1);
// - the recovery processes' own answers: the error contract and the retry policy (I7), every job
//   error explained (I8: recovery meets no fault), no file handle left open (I5);
// - every complete job run again changes nothing (I1), and a purge past every TTL removes exactly
//   what it reports (I5), shared between records that reach the same configuration.
// The verdict counts the checker calls it made, so "invariant checks" is a measured figure.
import type { RuntimeConfig } from '../../src/config.ts';
import type { SpawnOptions, World } from '../world/world.ts';
import type { Golden } from '../oracle/golden.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { checkCrashSafety, type JobsOwed } from '../invariants/i3CrashSafety.ts';
import { checkLeftovers } from '../invariants/i3Leftovers.ts';
import { checkIdempotency } from '../invariants/i1Idempotency.ts';
import { checkErrorContract } from '../invariants/i7ErrorContract.ts';
import { checkRetryPolicy } from '../invariants/i7RetryPolicy.ts';
import { checkJobErrors } from '../invariants/i8HonestResults.ts';
import { checkOpenHandles } from '../invariants/i5OpenHandles.ts';
import { checkCalls } from '../invariants/checkCount.ts';
import type { Violation } from '../invariants/violation.ts';
import { AfterRecoveryMemo, purgeEverything, rerunCompleteJobs } from './rerunAndPurge.ts';

export interface RecoveredRecord {
  /** The world recovery passes ran in, quiescent: its files, its events, its processes. */
  readonly world: World;
  readonly config: RuntimeConfig;
  readonly golden: Golden;
  /** Recovery passes that failed (each already a violation). */
  readonly recoveryErrors: readonly Violation[];
  /** What the run gives each job leave to end as (I3); or the driver's own verdict on the jobs. */
  readonly owed: JobsOwed | ((core: SimFsCore) => Violation[]);
  /** The runtime under test, for the processes the replay checks spawn. */
  readonly spawn?: SpawnOptions;
  /** Verdicts of the replay checks shared by records that reach the same configuration. */
  readonly memo?: AfterRecoveryMemo;
}

export interface Verdict {
  readonly violations: Violation[];
  /** Checker calls that reached this verdict (a shared replay verdict counts its calls again). */
  readonly checks: number;
}

export async function judgeRecovered(record: RecoveredRecord): Promise<Verdict> {
  const { world, config, golden } = record;
  const checksBefore = checkCalls();
  const violations: Violation[] = [...record.recoveryErrors];
  violations.push(
    ...(typeof record.owed === 'function'
      ? record.owed(world.core)
      : checkCrashSafety(world.core, golden, config, record.owed)),
    ...checkLeftovers(world.core),
    ...checkIdempotency(world.core, golden, config),
    ...checkErrorContract(world.events, [], { clockStepped: false }),
    ...checkRetryPolicy(world.events, [], config, { clockStepped: false }),
    ...checkJobErrors(world.events, golden, () => false),
    ...checkOpenHandles(world),
  );
  const ownChecks = checkCalls() - checksBefore;
  const replayed = await replayChecks(record);
  violations.push(...replayed.violations);
  return { violations, checks: ownChecks + replayed.checks };
}

/** Rerun and purge, or the verdict a record that reached the same configuration already got. */
async function replayChecks(record: RecoveredRecord): Promise<Verdict> {
  const { world, config, memo } = record;
  const key = memo?.keyOf(world);
  const known = key === undefined ? undefined : memo?.verdicts.get(key);
  if (known !== undefined) return known;
  const checksBefore = checkCalls();
  const leaksBefore = world.leakedHandles.length;
  const violations = [
    ...(await rerunCompleteJobs(world, config, record.spawn)),
    ...(await purgeEverything(world, config, record.spawn)),
  ];
  // The handles of the rerun and purge processes are judged too (they ran the product).
  violations.push(...checkOpenHandles(world, leaksBefore));
  const verdict = { violations, checks: checkCalls() - checksBefore };
  if (key !== undefined) memo?.verdicts.set(key, verdict);
  return verdict;
}
