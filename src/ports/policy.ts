// The runtime's decisions, as one port: which errors are worth retrying, how long to wait, when the
// attempts are spent, when a scheduled job is due, when a finished job has expired, and when a lock's
// owner is stale. Production binds `defaultPolicy` (src/defaultPolicy.ts); an operator may bind another
// (say, one that treats an upstream's 404 as transient). Every function is pure: time and randomness
// arrive as arguments, so a policy is judged by the oracle the same way whoever wrote it.
import type { Classified } from '../classifyError.ts';
import type { Random } from './random.ts';

export interface Policy {
  /** Transient (retried with backoff) or permanent (the job fails at once), and why. */
  readonly classifyError: (error: unknown) => Classified;
  /** The delay before the next attempt, after `attempts` attempts; at least `retryAfterMs` if given. */
  readonly retryDelayMs: (
    random: Random,
    attempts: number,
    baseMs: number,
    capMs: number,
    retryAfterMs?: number,
  ) => number;
  /** A transient failure is final after this many attempts. */
  readonly isExhausted: (attempts: number, maxAttempts: number) => boolean;
  /** A queued or running job may start now. */
  readonly isDue: (nextAttemptAt: number | null, nowMs: number, capMs: number) => boolean;
  /** A finished job is past its TTL (wall clock). */
  readonly isExpired: (nowMs: number, updatedAtMs: number, ttlMs: number) => boolean;
  /** A lock owner last seen at `lastSeenAtMs` may be retired. */
  readonly isStale: (nowMs: number, lastSeenAtMs: number, staleAfterMs: number) => boolean;
}
