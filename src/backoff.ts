// Exponential backoff with full jitter (a uniformly random delay in [0, min(cap, base * 2^(n-1)))),
// raised to the upstream's Retry-After when it asked for longer, and never beyond the cap.
import type { Random } from './ports/random.ts';

export function retryDelayMs(
  random: Random,
  attempts: number,
  baseMs: number,
  capMs: number,
  retryAfterMs?: number,
): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const ceilingMs = Math.min(capMs, baseMs * 2 ** exponent);
  const jitteredMs = Math.floor(random.fraction() * ceilingMs);
  return Math.min(capMs, Math.max(jitteredMs, retryAfterMs ?? 0));
}

/**
 * A job is due when its retry time has come. A retry time further ahead than the cap can only come
 * from the wall clock stepping backwards; such a job is due now rather than stuck for the jump.
 */
export function isDue(nextAttemptAt: number | null, nowMs: number, capMs: number): boolean {
  return nextAttemptAt === null || nextAttemptAt <= nowMs || nextAttemptAt - nowMs > capMs;
}

/** A transient failure is final once the attempts made reach maxAttempts (a crash counts as one). */
export function isExhausted(attempts: number, maxAttempts: number): boolean {
  return attempts >= maxAttempts;
}
