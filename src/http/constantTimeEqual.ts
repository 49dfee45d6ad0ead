// Comparing a presented secret with the configured one in time that does not depend on where they
// first differ (so a caller cannot find the secret byte by byte by timing 401s).
export function constantTimeEqual(presented: string, expected: string): boolean {
  const a = new TextEncoder().encode(presented);
  const b = new TextEncoder().encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i % Math.max(a.length, 1)] ?? 0) ^ b[i]!;
  return diff === 0 && a.length > 0;
}
