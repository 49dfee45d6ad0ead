// A plan for the model-based campaign: one user session against the product, step by step, with no
// crash and no concurrency, so every answer has one right value a reference model can predict. Each
// step is what a user does through a public door: a `jobs` command, an HTTP request to `jobs serve`
// (every route, every method, every shape of credential), or time passing. Plans are data (zod), so
// a failing one is saved and replayed exactly.
import { z } from 'zod';

/** Job ids the plan draws from: a few valid ones (so ids collide), and hostile ones. */
export const MODEL_JOB_IDS = ['a', 'b', 'c', 'd'] as const;
export const HOSTILE_JOB_IDS = ['runner', '../etc', 'a b', '.tmp-x', 'x'.repeat(65), ''] as const;
export const MODEL_SESSIONS = ['s1', 's2'] as const;

/** The user's files (harness/model/modelInputs.ts holds their bytes). */
export const MODEL_INPUTS = [
  'talk.srt',
  'notes.txt',
  'captions.vtt',
  'markup.txt',
  'entities.txt',
  'unicode.txt',
  'bom-crlf.txt',
  'long.txt',
  'song.mp3',
  'noext',
  'blank.txt',
  'empty.txt',
  'latin1.txt',
  'nul.txt',
] as const;
export type ModelInput = (typeof MODEL_INPUTS)[number];

/** How a request presents the secret: one right way, and the near misses a checker must refuse. */
export const CREDENTIALS = [
  'correct',
  'correct-lowercase-scheme',
  'none',
  'wrong',
  'prefix',
  'longer',
  'no-scheme',
  'basic-scheme',
  'in-query',
  'other-header',
  'empty-bearer',
] as const;
export type Credential = (typeof CREDENTIALS)[number];

export const METHODS = ['GET', 'HEAD', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS'] as const;
export type Method = (typeof METHODS)[number];

/** Which route a request aims at; `job`/`retry`/`export` take the step's job id. */
export const ROUTES = ['runner', 'job', 'retry', 'export', 'unknown'] as const;
export type Route = (typeof ROUTES)[number];

/** What the transcription service answers for one job's first request in a pass. */
/** `rate-limited`: 429 with Retry-After in seconds; `rate-limited-date`: the same delay as an HTTP-date. */
export const UPSTREAM_ANSWERS = ['unavailable', 'rate-limited', 'rate-limited-date', 'rejected'] as const;
export type UpstreamAnswer = (typeof UPSTREAM_ANSWERS)[number];

const jobId = z.string().max(80);
/** `*`: the service answers every job's first request of the step so (an outage). */
export const EVERY_JOB = '*';
const upstream = z
  .array(z.object({ jobId: z.enum([...MODEL_JOB_IDS, EVERY_JOB]), answer: z.enum(UPSTREAM_ANSWERS) }))
  .max(4);

export const modelStepSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('enqueue'),
    jobId,
    sessionId: z.enum(MODEL_SESSIONS),
    input: z.enum(MODEL_INPUTS),
  }),
  z.object({ kind: z.literal('run'), upstream }),
  z.object({ kind: z.literal('status'), jobId: jobId.optional() }),
  z.object({ kind: z.literal('retry'), jobId }),
  z.object({ kind: z.literal('delete'), jobId }),
  z.object({ kind: z.literal('purge') }),
  z.object({
    kind: z.literal('http'),
    method: z.enum(METHODS),
    route: z.enum(ROUTES),
    jobId,
    credential: z.enum(CREDENTIALS),
    upstream,
  }),
  z.object({
    kind: z.literal('advance'),
    ms: z
      .number()
      .int()
      .min(1)
      .max(10 * 24 * 3_600_000),
  }),
]);
export type ModelStep = z.infer<typeof modelStepSchema>;

/** Time zones a simulated process may run in (half-hour, 45-minute and DST-observing offsets). */
export const TIME_ZONES = ['UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Chatham', 'Europe/Berlin'] as const;
/** Locales a simulated process's environment may name (LANG and LC_ALL). */
export const LOCALES = ['C', 'en_US.UTF-8', 'de_DE.UTF-8', 'tr_TR.UTF-8', 'ja_JP.UTF-8'] as const;
const processEnv = z.object({ TZ: z.enum(TIME_ZONES), LANG: z.enum(LOCALES) });
export type ProcessEnv = z.infer<typeof processEnv>;

export const modelPlanSchema = z.object({
  /** Whether the deployment has a transcription service (JOBS_UPSTREAM_URL), or transcribes text itself. */
  upstream: z.boolean().default(true),
  /** The environments processes start in: the k-th process started takes envs[k mod length]. */
  envs: z
    .array(processEnv)
    .min(1)
    .max(4)
    .default([{ TZ: 'UTC', LANG: 'C' }]),
  /** `--max-jobs` of every process: a small bound makes a backlog, so passes must take the oldest first. */
  maxJobs: z.number().int().min(1).max(10_000).default(10_000),
  steps: z.array(modelStepSchema).min(1).max(60),
});
export type ModelPlan = z.output<typeof modelPlanSchema>;
