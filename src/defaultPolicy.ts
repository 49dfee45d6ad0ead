// The policy production runs (src/ports/policy.ts): errors classified by src/classifyError.ts,
// exponential backoff with full jitter honouring Retry-After (src/backoff.ts), TTL expiry that never
// expires work when the clock stepped back (src/purge.ts), and staleness by heartbeat age
// (src/ownerLock.ts).
import type { Policy } from './ports/policy.ts';
import { classifyError } from './classifyError.ts';
import { isDue, isExhausted, retryDelayMs } from './backoff.ts';
import { isExpired } from './purge.ts';
import { isStale } from './ownerLock.ts';

export const defaultPolicy: Policy = { classifyError, retryDelayMs, isExhausted, isDue, isExpired, isStale };
