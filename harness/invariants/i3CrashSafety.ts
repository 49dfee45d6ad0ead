// I3 crash safety, per job. Model: after any crash, recovery passes (with the clock moved past the
// stale bound) converge: every job ends complete, failed with a recorded error, or deleted, with the
// same outcome as the fault-free run unless the run gave it a reason to end otherwise (what the run
// owes each job, `JobsOwed`). Leftover locks and tmp files are i3Leftovers.ts's.
import type { RuntimeConfig } from '../../src/config.ts';
import type { JobError } from '../../src/jobState.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import type { Golden } from '../oracle/golden.ts';
import { readCoreState } from '../oracle/coreFiles.ts';
import type { Violation } from './violation.ts';
import { countCheck } from './checkCount.ts';

/** What the run gives each job leave to end as, beyond the fault-free run's outcome. */
export interface JobsOwed {
  /** Jobs a user asked to delete: `deleted`, or gone, is fine (and so is any other end). */
  readonly deleted?: ReadonlySet<string>;
  /** Whether the job may be gone (purged past its TTL, an enqueue never acknowledged); default: deleted. */
  readonly mayBeGone?: (jobId: string) => boolean;
  /**
   * Whether a failure the fault-free run does not have is explained by the run (a permanent fault
   * injected, attempts used up by crashes). With it, an unexplained failure is an I7 breach (a failure
   * recorded with no cause); without it, every failure the fault-free run lacks is an I3 one.
   */
  readonly failureExplained?: (jobId: string, error: JobError) => boolean;
}

export function checkCrashSafety(
  core: SimFsCore,
  golden: Golden,
  config: RuntimeConfig,
  owed: JobsOwed = {},
): Violation[] {
  countCheck();
  const violations: Violation[] = [];
  for (const [jobId, expected] of golden.jobs) {
    const verdict = jobVerdict(core, config, jobId, expected.status, owed);
    if (verdict !== undefined) violations.push(verdict);
  }
  return violations;
}

/** What is wrong with job `jobId` after recovery, if anything. */
function jobVerdict(
  core: SimFsCore,
  config: RuntimeConfig,
  jobId: string,
  expectedStatus: string,
  owed: JobsOwed,
): Violation | undefined {
  const i3 = (message: string): Violation => ({ invariant: 'I3', message });
  let state;
  try {
    state = readCoreState(core, config, jobId);
  } catch (error) {
    return i3(`job ${jobId}: ${(error as Error).message}`);
  }
  const deleted = owed.deleted?.has(jobId) ?? false;
  if (state === undefined)
    return (owed.mayBeGone?.(jobId) ?? deleted) ? undefined : i3(`job ${jobId} lost its state.json`);
  if (state.status === 'deleted') return deleted ? undefined : i3(`job ${jobId} is deleted, but nobody deleted it`);
  if (state.status !== 'complete' && state.status !== 'failed')
    return i3(`job ${jobId} did not converge: ${state.status} at ${state.stage} after recovery`);
  if (state.status === 'failed' && state.error === null) return i3(`job ${jobId} failed without a recorded error`);
  if (state.status === expectedStatus || deleted) return undefined;
  if (state.status === 'complete') return i3(`job ${jobId} completed, but the fault-free run fails it`);
  const error = state.error!;
  if (owed.failureExplained === undefined)
    return i3(`job ${jobId} ended failed (${error.message}); the fault-free run completes it`);
  if (owed.failureExplained(jobId, error)) return undefined;
  return {
    invariant: 'I7',
    message:
      `job ${jobId} failed with ${error.name}: ${error.message}, though the run injected no ` +
      `permanent fault and attempts remain`,
  };
}
