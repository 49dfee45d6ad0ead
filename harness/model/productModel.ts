// The reference model of the job system, as its documentation describes it to a user, written
// without any code of src/: what each job's recorded state is after every step, and what every
// command and HTTP answer must say. It is a function of the step history and the simulated clock.
// Where the product may choose (a jittered retry time, which millisecond of a step a decision fell
// in), the model predicts bounds, the judge checks the recorded value against them, and the model
// then adopts the recorded value (`adopt`), as Jepsen's checkers follow one legal history.
import { isTranscribable } from './modelInputs.ts';
import type { ModelInput, UpstreamAnswer } from './modelPlan.ts';

export type ModelStatus = 'queued' | 'complete' | 'failed' | 'deleted';

export interface ModelError {
  readonly kind: 'transient' | 'permanent';
  readonly stage: 'transcribe';
  /** Transient attempts spent: the recorded name is AttemptsExhausted. */
  readonly exhausted: boolean;
}

export interface ModelJob {
  readonly jobId: string;
  readonly sessionId: string;
  readonly input: ModelInput;
  status: ModelStatus;
  stage: 'init' | 'transcribe' | 'export';
  attempts: number;
  /** Exact once adopted; null when none is due. */
  nextAttemptAt: number | null;
  /** Bounds for nextAttemptAt the judge checks before it is adopted. */
  nextAttemptBounds: readonly [number, number] | null;
  /** Exact once adopted (the recorded updatedAt); bounds before. */
  updatedAt: number;
  updatedBounds: readonly [number, number];
  error: ModelError | null;
}

export interface ModelSettings {
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  readonly ttlMs: number;
  /** Due jobs one pass takes (`--max-jobs`), oldest enqueued first. */
  readonly maxJobsPerPass: number;
}

/** The Retry-After the simulated service sends with a 429, in ms (whole seconds). */
export const RATE_LIMIT_RETRY_AFTER_MS = 30_000;

export class ProductModel {
  /** The jobs, in the order they were enqueued (a Map keeps insertion order; an id comes back only after it was removed). */
  readonly jobs = new Map<string, ModelJob>();

  constructor(readonly settings: ModelSettings) {}

  ids(): string[] {
    return [...this.jobs.keys()].sort();
  }

  enqueue(jobId: string, sessionId: string, input: ModelInput, window: readonly [number, number]): void {
    this.jobs.set(jobId, {
      jobId,
      sessionId,
      input,
      status: 'queued',
      stage: 'init',
      attempts: 0,
      nextAttemptAt: null,
      nextAttemptBounds: null,
      updatedAt: window[0],
      updatedBounds: window,
      error: null,
    });
  }

  /** Whether a job is due at `nowMs`: queued, and its retry time has come (or is impossibly far ahead). */
  isDue(job: ModelJob, nowMs: number): boolean {
    if (job.status !== 'queued') return false;
    const at = job.nextAttemptAt;
    return at === null || at <= nowMs || at - nowMs > this.settings.backoffCapMs;
  }

  /** Whether a finished job is past its TTL at `nowMs`. */
  isExpired(job: ModelJob, nowMs: number): boolean {
    return job.status !== 'queued' && nowMs - job.updatedAt > this.settings.ttlMs;
  }

  /** One attempt of a due job, given what the service answers it first (undefined: it transcribes). */
  attempt(job: ModelJob, answer: UpstreamAnswer | undefined, window: readonly [number, number]): RunOutcome {
    job.attempts += 1;
    job.updatedBounds = window;
    job.nextAttemptAt = null;
    job.nextAttemptBounds = null;
    if (answer === undefined && isTranscribable(job.input)) {
      job.status = 'complete';
      job.stage = 'export';
      job.error = null;
      return 'complete';
    }
    job.stage = 'transcribe';
    const limited = answer === 'rate-limited' || answer === 'rate-limited-date';
    const transient = answer === 'unavailable' || limited;
    const exhausted = transient && job.attempts >= this.settings.maxAttempts;
    job.error = { kind: transient ? 'transient' : 'permanent', stage: 'transcribe', exhausted };
    if (!transient || exhausted) {
      job.status = 'failed';
      return 'failed';
    }
    job.status = 'queued';
    const { backoffBaseMs, backoffCapMs } = this.settings;
    const ceilingMs = Math.min(backoffCapMs, backoffBaseMs * 2 ** Math.min(job.attempts - 1, 30));
    const floorMs = limited ? Math.min(backoffCapMs, RATE_LIMIT_RETRY_AFTER_MS) : 0;
    // An HTTP-date has whole seconds: it names the first whole second at or past the delay.
    const roundingMs = answer === 'rate-limited-date' ? 1000 : 0;
    job.nextAttemptBounds = [window[0] + floorMs, window[1] + Math.max(floorMs + roundingMs, ceilingMs)];
    return 'retry_scheduled';
  }

  retry(job: ModelJob, window: readonly [number, number]): void {
    job.status = 'queued';
    job.attempts = 0;
    job.error = null;
    job.nextAttemptAt = null;
    job.nextAttemptBounds = null;
    job.updatedBounds = window;
  }

  delete(job: ModelJob, window: readonly [number, number]): void {
    job.status = 'deleted';
    job.nextAttemptAt = null;
    job.nextAttemptBounds = null;
    job.updatedBounds = window;
  }
}

export type RunOutcome = 'complete' | 'failed' | 'retry_scheduled';
