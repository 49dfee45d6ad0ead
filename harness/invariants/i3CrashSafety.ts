// I3 crash safety. Model: after any crash, recovery passes (with the clock moved past the stale
// bound) converge: every job ends complete, failed with a recorded error, or deleted, with the same
// outcome as the fault-free run unless it was deleted; no lock file and no `.tmp-` file remains.
import type { RuntimeConfig } from '../../src/config.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import type { Golden } from '../oracle/golden.ts';
import { lockPaths, readCoreState, tmpPaths } from '../oracle/coreFiles.ts';
import type { Violation } from './violation.ts';
import { countCheck } from './checkCount.ts';

/**
 * `deleted`: jobs a user deleted (gone or deleted is fine). `crashesExhaust`: the run killed passes
 * repeatedly, and a crash counts as an attempt, so a job may end failed as AttemptsExhausted.
 */
export function checkCrashSafety(
  core: SimFsCore,
  golden: Golden,
  config: RuntimeConfig,
  options: { deleted?: ReadonlySet<string>; crashesExhaust?: boolean } = {},
): Violation[] {
  countCheck();
  const violations: Violation[] = [];
  for (const [jobId, expected] of golden.jobs) {
    const message = jobVerdict(core, config, jobId, expected.status, options);
    if (message !== undefined) violations.push({ invariant: 'I3', message });
  }
  for (const path of lockPaths(core))
    violations.push({ invariant: 'I3', path, message: `orphan lock ${path} after recovery` });
  for (const path of tmpPaths(core))
    violations.push({ invariant: 'I3', path, message: `tmp file ${path} left after a recovery pass` });
  return violations;
}

/** What is wrong with job `jobId` after recovery, if anything. */
function jobVerdict(
  core: SimFsCore,
  config: RuntimeConfig,
  jobId: string,
  expectedStatus: string,
  options: { deleted?: ReadonlySet<string>; crashesExhaust?: boolean },
): string | undefined {
  let state;
  try {
    state = readCoreState(core, config, jobId);
  } catch (error) {
    return `job ${jobId}: ${(error as Error).message}`;
  }
  const deletedOk = options.deleted?.has(jobId) ?? false;
  if (state === undefined) return deletedOk ? undefined : `job ${jobId} lost its state.json`;
  if (state.status === 'deleted' && deletedOk) return undefined;
  if (state.status !== 'complete' && state.status !== 'failed')
    return `job ${jobId} did not converge: ${state.status} at ${state.stage} after recovery`;
  if (state.status === 'failed' && state.error === null) return `job ${jobId} failed without a recorded error`;
  const exhaustedByCrashes = options.crashesExhaust === true && state.error?.name === 'AttemptsExhausted';
  if (state.status === expectedStatus || deletedOk || exhaustedByCrashes) return undefined;
  return `job ${jobId} ended ${state.status}; the fault-free run ends ${expectedStatus}${state.error ? ` (${state.error.message})` : ''}`;
}
