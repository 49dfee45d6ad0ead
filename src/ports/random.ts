// The Random port: tmp names, lock tokens, job ids and backoff jitter. Production uses crypto;
// the simulation uses a seeded PRNG so that a replay is bit-exact.

export interface Random {
  /** `byteCount` random bytes rendered as lowercase hex (2 * byteCount characters). */
  hex(byteCount: number): string;
  /** A float in [0, 1). */
  fraction(): number;
}
