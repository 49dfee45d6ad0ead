// Step fragments several scenarios share, as data. Their durations are derived from the simulation
// config the scenarios run under, so a change to simConfig() moves them with it.
import type { Expectation, ProcessSpec, Step } from '../harness/scenarioRunner/scenarioTypes.ts';
import { simConfig } from '../harness/workload/simConfig.ts';

/** The configuration runScenario uses when none is given. */
export const SIM_CONFIG = simConfig();
/** How far past a bound a step goes. */
const MARGIN_MS = 1_000;

/** Past the stale bound, so a dead owner's lock may be taken over. */
export const PAST_STALE_MS = SIM_CONFIG.staleAfterMs + MARGIN_MS;
/** Past the backoff cap, so any scheduled retry is due. */
export const PAST_BACKOFF_MS = SIM_CONFIG.backoffCapMs + MARGIN_MS;
/** Past the TTL, and past the stale bound beyond it. */
export const PAST_TTL_MS = SIM_CONFIG.ttlMs + PAST_STALE_MS;

export const pass = (name: string, extra: Partial<ProcessSpec> = {}): Step => ({
  spawn: { name, task: 'pass', ...extra },
});

/** Clean passes after a crash: past the stale bound, then as many passes as retries need. */
export function recover(prefix: string, passes = 2): Step[] {
  const steps: Step[] = [{ advanceMs: PAST_STALE_MS }];
  for (let i = 1; i <= passes; i++) steps.push(pass(`${prefix}-${i}`), { advanceMs: PAST_BACKOFF_MS });
  return steps;
}

export const CLEAN: Expectation = { noTmp: true, noLocks: true, goldenArtifacts: true };
