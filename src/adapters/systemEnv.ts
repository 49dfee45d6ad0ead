// The environment the runtime reads, validated once at start-up: a typo in a cron line or a
// deployment setting fails the command with the variable's name (exit 2), instead of every job
// burning its attempts on "timed out after NaN ms" or an invalid URL classed as transient.
import { z } from 'zod';

const wholeMs = z
  .string()
  .regex(/^\d+$/, 'must be a whole number of milliseconds')
  .transform(Number)
  .pipe(
    z
      .number()
      .int()
      .positive()
      .max(24 * 3_600_000),
  );

export const systemEnvSchema = z.object({
  JOBS_ROOT: z.string().min(1, 'must not be empty').optional(),
  JOBS_UPSTREAM_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  JOBS_UPSTREAM_TIMEOUT_MS: wholeMs.optional(),
  JOBS_UPSTREAM_TOKEN: z.string().min(1, 'must not be empty').optional(),
  CRON_SECRET: z.string().optional(),
});

export type SystemEnv = z.infer<typeof systemEnvSchema>;

/** The variables the runtime reads, validated; anything else in the environment is ignored. */
export function parseSystemEnv(env: Readonly<Record<string, string | undefined>>): SystemEnv {
  const defined = Object.fromEntries(
    Object.keys(systemEnvSchema.shape)
      .filter((k) => env[k] !== undefined)
      .map((k) => [k, env[k]]),
  );
  return systemEnvSchema.parse(defined);
}
