// What every invariant checker returns: zero or more violations, each naming the invariant, where
// it was seen, and what is wrong, in words a user can act on.
export type InvariantId = 'I1' | 'I2' | 'I3' | 'I4' | 'I5' | 'I6' | 'I7' | 'I8' | 'I9';
/** A violation names an invariant, or `expect` for a scenario's own expectation. */
export type CheckId = InvariantId | 'expect';

export interface Violation {
  readonly invariant: CheckId;
  readonly message: string;
  readonly path?: string;
}

export const INVARIANT_TITLES: Record<InvariantId, string> = {
  I1: 'idempotency: reruns produce the golden artifacts and leave complete jobs untouched',
  I2: 'atomicity: in every crash state every final file is absent or complete and valid',
  I3: 'crash safety: recovery converges, no orphan locks, no tmp files',
  I4: "concurrency safety: only the session lock holder commits a session's artifacts",
  I5: 'bounded storage: purge removes what is past its TTL and reports exactly what it did; no handle outlives its operation',
  I6: 'acknowledged means durable: a job reported complete survives any later crash',
  I7: 'error contract: transient faults retried with backoff, permanent ones failed once',
  I8: 'honest results: no programming error escapes, no operation fails without a fault to explain it',
  I9: 'reference model: every answer, status row and recorded state is what the documented product model predicts',
};
