// Step fragments several scenarios share, as data.
import type { Expectation, ProcessSpec, Step } from '../harness/scenarios/scenarioTypes.ts';

/** Past the stale bound of the simulation config (60 s), so a dead owner's lock may be taken over. */
export const PAST_STALE_MS = 61_000;
/** Past the backoff cap of the simulation config (60 s), so any scheduled retry is due. */
export const PAST_BACKOFF_MS = 61_000;
/** Past the TTL of the simulation config (1 h). */
export const PAST_TTL_MS = 3_600_000 + 61_000;

export const pass = (name: string, extra: Partial<ProcessSpec> = {}): Step => ({ spawn: { name, task: 'pass', ...extra } });

/** Clean passes after a crash: past the stale bound, then as many passes as retries need. */
export function recover(prefix: string, passes = 2): Step[] {
  const steps: Step[] = [{ advanceMs: PAST_STALE_MS }];
  for (let i = 1; i <= passes; i++) steps.push(pass(`${prefix}-${i}`), { advanceMs: PAST_BACKOFF_MS });
  return steps;
}

export const CLEAN: Expectation = { noTmp: true, noLocks: true, goldenArtifacts: true };
