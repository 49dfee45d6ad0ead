// The runtime configuration used in simulation: the real defaults scaled so a scenario exercises
// staleness, backoff and TTL within a few simulated minutes.
import { makeConfig, type RuntimeConfig } from '../../src/config.ts';

export const SIM_ROOT = '/data';

export function simConfig(overrides: Partial<RuntimeConfig> = {}): RuntimeConfig {
  return makeConfig({
    root: SIM_ROOT,
    staleAfterMs: 60_000,
    heartbeatEveryMs: 10_000,
    maxAttempts: 4,
    backoffBaseMs: 5_000,
    backoffCapMs: 60_000,
    ttlMs: 3_600_000,
    passDeadlineMs: 10 * 60_000,
    ...overrides,
  });
}
