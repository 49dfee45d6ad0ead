// Runtime settings, with units in every name and defaults that suit a runner started by cron every
// 15 minutes. Every value is validated; a bad one is a clear error, not a surprising schedule.
import { z } from 'zod';

export const runtimeConfigSchema = z
  .object({
    root: z.string().min(1),
    /** A lock whose owner has not heartbeated for this long may be taken over. */
    staleAfterMs: z.number().int().positive(),
    heartbeatEveryMs: z.number().int().positive(),
    /** Attempts per job before a transient failure becomes final. */
    maxAttempts: z.number().int().min(1).max(100),
    backoffBaseMs: z.number().int().nonnegative(),
    backoffCapMs: z.number().int().nonnegative(),
    /** Finished jobs (complete, failed, deleted) older than this are purged. */
    ttlMs: z.number().int().positive(),
    /** The runner starts no new job after this much of its pass; a cron pass never overruns its slot. */
    passDeadlineMs: z.number().int().positive(),
    /** Jobs looked at in one pass; bounds the work of a pass over a huge backlog. */
    maxJobsPerPass: z.number().int().positive(),
    /** Sessions a runner pass works on at once (never two jobs of one session). */
    concurrency: z.number().int().min(1).max(64),
  })
  .refine((c) => c.heartbeatEveryMs * 2 <= c.staleAfterMs, {
    path: ['staleAfterMs'],
    message: 'must be at least twice the heartbeat interval (heartbeatEveryMs)',
  })
  .refine((c) => c.backoffBaseMs <= c.backoffCapMs, {
    path: ['backoffBaseMs'],
    message: 'must not exceed backoffCapMs',
  });

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

const MINUTE_MS = 60_000;

export const DEFAULT_CONFIG: Omit<RuntimeConfig, 'root'> = {
  staleAfterMs: 2 * MINUTE_MS,
  heartbeatEveryMs: 15_000,
  maxAttempts: 5,
  // The first retry lands on the next cron slot or the one after; the cap keeps a flapping upstream
  // from pushing a job out by more than a few hours.
  backoffBaseMs: 10 * MINUTE_MS,
  backoffCapMs: 6 * 60 * MINUTE_MS,
  ttlMs: 7 * 24 * 60 * MINUTE_MS,
  passDeadlineMs: 14 * MINUTE_MS,
  maxJobsPerPass: 10_000,
  concurrency: 1,
};

export function makeConfig(overrides: Partial<RuntimeConfig> & { root: string }): RuntimeConfig {
  return runtimeConfigSchema.parse({ ...DEFAULT_CONFIG, ...overrides });
}
