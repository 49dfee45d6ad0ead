// Retry-After (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date. Returns milliseconds to wait
// from `nowMs`, never negative; undefined when the header is absent or malformed (then our own
// backoff decides). A date in the past means "now".
const MAX_RETRY_AFTER_MS = 24 * 3600_000;

export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (/^\d{1,10}$/.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  if (!/^[A-Za-z]{3},? /.test(value)) return undefined;
  const atMs = Date.parse(value);
  if (Number.isNaN(atMs)) return undefined;
  return Math.min(Math.max(0, atMs - nowMs), MAX_RETRY_AFTER_MS);
}
