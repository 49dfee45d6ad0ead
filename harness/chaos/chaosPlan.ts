// One randomized run, as data: the jobs, the processes (with their faults, kill and pause points and
// start times), wall-clock steps, an optional power loss, and the scheduler's choices. fast-check
// generates and shrinks it; a failure file stores it (zod-validated) so `replay <file>` re-runs it
// exactly, and so it can be copied into scenarios/regressions/.
import { z } from 'zod';
import { INPUTS } from '../workload/inputs.ts';

const opName = z.enum([
  'open',
  'write',
  'fsync',
  'close',
  'readFile',
  'rename',
  'link',
  'unlink',
  'mkdir',
  'rmdir',
  'readdir',
  'stat',
  'lstat',
  'fsyncDir',
]);
const trigger = z.object({
  op: z.union([opName, z.array(opName)]).optional(),
  pathIncludes: z.string().optional(),
  nth: z.number().int().positive().optional(),
  times: z.number().int().positive().optional(),
});

export const faultSpecSchema = z.union([
  z.object({ errno: z.enum(['EACCES', 'EPERM', 'EROFS', 'EIO', 'EMFILE']), trigger }),
  z.object({ diskQuotaBytes: z.number().int().nonnegative() }),
  z.object({ fsyncEio: trigger }),
  z.object({ slowMs: z.number().int().positive(), trigger }),
  z.object({ shortWritesMaxBytes: z.number().int().positive() }),
]);

export const upstreamFaultSchema = z.object({
  stage: z.enum(['transcribe', 'draft', 'export']),
  jobId: z.string().optional(),
  kind: z.enum(['transient', 'rate-limited', 'timeout', 'permanent', 'invalid-input']),
  times: z.number().int().nonnegative().optional(),
  retryAfterMs: z.number().int().nonnegative().optional(),
  status: z.number().int().min(100).max(599).optional(),
  retryAfterForm: z.enum(['seconds', 'date']).optional(),
  network: z.string().optional(),
});

export const chaosProcessSchema = z.object({
  name: z.string(),
  task: z.union([
    z.enum(['pass', 'dueJobs', 'purge']),
    z.object({ delete: z.string() }),
    z.object({ retry: z.string() }),
    z.object({ enqueue: z.string() }),
  ]),
  startAfterMs: z.number().int().nonnegative(),
  faults: z.array(faultSpecSchema),
  upstream: z.array(upstreamFaultSchema),
  killAtCall: z.number().int().nonnegative().optional(),
  pause: z.object({ atCall: z.number().int().nonnegative(), durationMs: z.number().int().positive() }).optional(),
  /** Runs on the second host (its own pid table, the same data root); absent: the first. */
  otherHost: z.literal(true).optional(),
});

/**
 * The runtime configuration a run draws (swarm testing of options, as TigerBeetle's VOPR does): bugs
 * that show only with several workers, a short stale bound, one attempt or a short TTL are found by
 * runs that use them. `opLatencyMs` is the simulated time each file call takes.
 */
export const swarmConfigSchema = z.object({
  concurrency: z.number().int().min(1).max(8),
  staleAfterMs: z.number().int().positive(),
  heartbeatEveryMs: z.number().int().positive(),
  maxAttempts: z.number().int().min(1).max(10),
  backoffBaseMs: z.number().int().nonnegative(),
  backoffCapMs: z.number().int().nonnegative(),
  ttlMs: z.number().int().positive(),
  opLatencyMs: z.number().int().min(0).max(100),
});

export type SwarmConfig = z.infer<typeof swarmConfigSchema>;

export const chaosPlanSchema = z.object({
  /** `late` jobs are not in the starting tree: an `enqueue` process of the plan creates them. */
  jobs: z
    .array(
      z.object({
        jobId: z.string(),
        sessionId: z.string(),
        input: z.enum(Object.keys(INPUTS) as [keyof typeof INPUTS, ...(keyof typeof INPUTS)[]]),
        late: z.boolean().optional(),
      }),
    )
    .min(1),
  processes: z.array(chaosProcessSchema).min(1),
  clockSteps: z.array(z.object({ atMs: z.number().int().nonnegative(), deltaMs: z.number().int() })),
  powerLoss: z.object({ atMs: z.number().int().nonnegative(), model: z.enum(['lazyfs', 'pessimistic']) }).optional(),
  choices: z.array(z.number().int().nonnegative()),
  config: swarmConfigSchema.optional(),
  /** Seeds the world (tokens, jitter) and the scheduler once `choices` run out; default the campaign's. */
  worldSeed: z.number().int().nonnegative().optional(),
});

export type ChaosPlan = z.infer<typeof chaosPlanSchema>;

/** The plan generators: the swarm of every fault kind (planArbitrary.ts), and long lock holds under contention (longHoldArbitrary.ts). */
export const PLAN_GENERATORS = ['swarm', 'long-hold'] as const;
export type PlanGenerator = (typeof PLAN_GENERATORS)[number];
export type ChaosProcess = z.infer<typeof chaosProcessSchema>;

export const failureFileSchema = z.object({
  version: z.literal(1),
  kind: z.literal('chaos-failure'),
  seed: z.number().int(),
  path: z.string(),
  plan: chaosPlanSchema,
  /** How the plan entered the runtime (absent: in-process). */
  entry: z.enum(['in-process', 'production']).optional(),
  violations: z.array(z.object({ invariant: z.string(), message: z.string(), path: z.string().optional() })),
  traceHash: z.string(),
  replay: z.string(),
});

export type FailureFile = z.infer<typeof failureFileSchema>;
