// The seed every harness entry point takes (chaos, zoo, soak), one value type for all of them.
import { z } from 'zod';
import { option } from '../src/cliSpec.ts';

/**
 * A seed as a whole number 0..2^32-1. fast-check reports seeds as signed 32-bit numbers, so -N and
 * 2^32-N are the same seed. A commit hash works too (its first 8 hex digits): CI seeds each commit
 * differently and a failure replays from the hash alone.
 */
export const seed: z.ZodType<number, string> = z
  .string()
  .refine((t) => isCommitHash(t) || (/^-?\d{1,10}$/.test(t) && Number(t) <= 0xffffffff && Number(t) >= -0x80000000), {
    error: (issue) =>
      `needs a whole number -2147483648..4294967295 or a commit hash, not ${JSON.stringify(issue.input)}`,
  })
  .transform((t) => (isCommitHash(t) ? Number.parseInt(t.slice(0, 8), 16) : Number(t) >>> 0));

function isCommitHash(t: string): boolean {
  return /^[0-9a-f]{7,40}$/.test(t) && !/^\d+$/.test(t);
}

/** The `--seed S` option of the harness's entry points (default 1). */
export const seedOption = option(
  'S',
  seed,
  'the seed: a whole number (signed as fast-check prints it, or unsigned) or a commit hash',
  { default: 1 },
);
