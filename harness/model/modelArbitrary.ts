// Random user sessions for the model campaign: enqueues (colliding ids, hostile ids, every kind of
// input), passes with scripted service answers, status, retry, delete, purge, HTTP requests on every
// route with every method and credential shape, and time passing (a few seconds up to past the TTL).
import fc from 'fast-check';
import { isTranscribable } from './modelInputs.ts';
import {
  CREDENTIALS,
  EVERY_JOB,
  HOSTILE_JOB_IDS,
  LOCALES,
  TIME_ZONES,
  METHODS,
  MODEL_INPUTS,
  MODEL_JOB_IDS,
  MODEL_SESSIONS,
  ROUTES,
  UPSTREAM_ANSWERS,
  type ModelPlan,
  type ModelStep,
} from './modelPlan.ts';

type UpstreamList = Extract<ModelStep, { kind: 'run' }>['upstream'];

const validId = fc.constantFrom(...MODEL_JOB_IDS);
/** Mostly text the service transcribes; sometimes audio it cannot read or text enqueue must refuse. */
const enqueuedInput = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...MODEL_INPUTS.filter(isTranscribable)) },
  { weight: 1, arbitrary: fc.constantFrom(...MODEL_INPUTS.filter((input) => !isTranscribable(input))) },
);
/** Mostly valid ids (so steps hit real jobs), sometimes a hostile one. */
const anyId = fc.oneof(
  { weight: 9, arbitrary: validId },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_JOB_IDS) },
);
/** Mostly a healthy service (jobs complete, so exports exist to fetch), sometimes scripted answers. */
const upstream = fc.oneof(
  { weight: 2, arbitrary: fc.constant<UpstreamList>([]) },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.record({
        jobId: fc.oneof({ weight: 3, arbitrary: validId }, { weight: 1, arbitrary: fc.constant(EVERY_JOB) }),
        answer: fc.constantFrom(...UPSTREAM_ANSWERS),
      }),
      { maxLength: 3 },
    ),
  },
);

/** Mostly the right secret: a refused request proves less than one that reaches a route. */
const credential = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('correct' as const, 'correct-lowercase-scheme' as const) },
  { weight: 2, arbitrary: fc.constantFrom(...CREDENTIALS) },
);

const step: fc.Arbitrary<ModelStep> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('enqueue' as const),
      jobId: anyId,
      sessionId: fc.constantFrom(...MODEL_SESSIONS),
      input: enqueuedInput,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('run' as const), upstream }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('status' as const), jobId: anyId }, { requiredKeys: ['kind'] }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retry' as const), jobId: anyId }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), jobId: anyId }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('purge' as const) }) },
  {
    weight: 7,
    arbitrary: fc.record({
      kind: fc.constant('http' as const),
      method: fc.constantFrom(...METHODS),
      route: fc.constantFrom(...ROUTES),
      jobId: anyId,
      credential,
      upstream,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(fc.integer({ min: 1, max: 90_000 }), fc.integer({ min: 3_000_000, max: 8_000_000 })),
    }),
  },
);

/** What a user does end to end: enqueue a file, let a pass run (the service may answer badly), download the export. */
const story: fc.Arbitrary<ModelStep[]> = fc
  .record({ jobId: validId, sessionId: fc.constantFrom(...MODEL_SESSIONS), input: enqueuedInput, upstream })
  .map(({ jobId, sessionId, input, upstream: answers }) => [
    { kind: 'enqueue', jobId, sessionId, input },
    { kind: 'run', upstream: answers },
    { kind: 'http', method: 'GET', route: 'export', jobId, credential: 'correct', upstream: [] },
  ]);

/** Where the session runs: with a transcription service or without, in a swarm of process environments. */
const processEnvs = fc.array(fc.record({ TZ: fc.constantFrom(...TIME_ZONES), LANG: fc.constantFrom(...LOCALES) }), {
  minLength: 1,
  maxLength: 4,
});

export const modelPlanArb: fc.Arbitrary<ModelPlan> = fc.record({
  upstream: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  envs: processEnvs,
  maxJobs: fc.constantFrom(1, 2, 10_000),
  steps: fc
    .array(fc.oneof({ weight: 5, arbitrary: step.map((one) => [one]) }, { weight: 1, arbitrary: story }), {
      minLength: 3,
      maxLength: 20,
    })
    .map((blocks) => blocks.flat().slice(0, 60)),
});
