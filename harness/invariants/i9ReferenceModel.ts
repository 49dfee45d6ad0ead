// I9, the reference model: every answer a user sees in a model-campaign step (a `jobs` command's exit
// code and printed JSON, an HTTP answer's status, headers and body) and every job's recorded state
// after it equal what the reference model (harness/model/productModel.ts) predicts; a step with no
// side effect in HTTP's sense (HEAD, a GET that reads, a refused request, `status`) leaves the data
// root byte- and mtime-identical; an export is byte-equal every time it is fetched for the same
// input, session and job, and user text in it is text, never markup.
import type { RuntimeConfig } from '../../src/config.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { bytesEqual } from '../simFs/snapshot.ts';
import { readCoreState } from '../oracle/coreFiles.ts';
import { ProductModel, type ModelJob } from '../model/productModel.ts';
import { MODEL_JOB_IDS, type ModelStep } from '../model/modelPlan.ts';
import { isAuthorized } from '../model/modelRequests.ts';
import type { CliOutcome } from '../world/cliProcess.ts';
import type { HttpAnswer, StepRecord } from '../model/stepRecord.ts';
import type { Violation } from './violation.ts';
import { exportMarkupProblem, spokenTextOf } from './exportMarkup.ts';
import { MODEL_INPUT_SPECS } from '../model/modelInputs.ts';
import { expire, observedGone, predictPass, type PassUpstream } from '../model/predictPass.ts';

const VALID_IDS: readonly string[] = MODEL_JOB_IDS;
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** What a step may change of the data root: nothing, only lock bookkeeping, or anything the model allows. */
type Effect = 'none' | 'locks' | 'any';

/** The effect of a refused or read-only step (its judgement is already counted). */
const refused = (_judged: boolean, effect: Effect): Effect => effect;

export class ModelJudge {
  readonly violations: Violation[] = [];
  checks = 0;
  readonly model: ProductModel;
  private readonly exports = new Map<string, Uint8Array>();
  private where = 'setup';

  /** `upstream`: the deployment has a transcription service (else audio is refused at enqueue). */
  constructor(
    readonly config: RuntimeConfig,
    readonly upstream: boolean,
  ) {
    this.model = new ProductModel(config);
  }

  /** One comparison: counted, and a violation when it fails. */
  expect(ok: boolean, message: string): boolean {
    this.checks += 1;
    if (!ok) this.violations.push({ invariant: 'I9', message: `${this.where}: ${message}` });
    return ok;
  }

  judgeInit(outcome: CliOutcome): void {
    this.where = 'jobs init';
    this.expectCli(outcome, 0, { root: this.config.root });
  }

  judgeServeStarted(exited: CliOutcome | undefined, addressOf: (p: never) => string | undefined): void {
    this.where = 'jobs serve';
    void addressOf;
    this.expect(exited === undefined, `serve exited at start: ${JSON.stringify(exited)}`);
  }

  judgeServeStopped(outcome: CliOutcome | undefined): void {
    this.where = 'jobs serve, SIGTERM';
    if (!this.expect(outcome !== undefined, 'serve did not exit on SIGTERM')) return;
    this.expect(
      outcome!.exitCode === 0 && /^listening on http:\/\/127\.0\.0\.1:\d+\n$/.test(outcome!.stdout),
      `serve's exit is ${outcome!.exitCode} with stdout ${JSON.stringify(outcome!.stdout)}`,
    );
  }

  judgeStep(record: StepRecord): void {
    this.where = `step ${record.index} ${JSON.stringify(record.step)}`;
    const effect = this.judgeAnswer(record);
    if (effect !== 'any') this.expectUnchanged(record, effect);
    this.judgeStates(record);
  }

  /** Judges the answer and advances the model; what the step may change of the data root. */
  private judgeAnswer(record: StepRecord): Effect {
    const { step } = record;
    const cli = record.answer as CliOutcome;
    switch (step.kind) {
      case 'advance':
        return 'none';
      case 'enqueue':
        return this.judgeEnqueue(record, cli);
      case 'run':
        this.expectCli(cli, 0, this.pass(record, step.upstream));
        return 'any';
      case 'status':
        return this.judgeStatus(step.jobId, cli);
      case 'retry':
        return this.judgeRetry(record, step.jobId, cli);
      case 'delete':
        return this.judgeDelete(record, step.jobId, cli);
      case 'purge':
        return this.judgePurge(record, cli);
      case 'http':
        return this.judgeHttp(record, step, record.answer as HttpAnswer);
    }
  }

  private known(jobId: string): ModelJob | undefined {
    return this.model.jobs.get(jobId);
  }

  private judgeEnqueue(record: StepRecord, cli: CliOutcome): Effect {
    const step = record.step as Extract<ModelStep, { kind: 'enqueue' }>;
    const spec = MODEL_INPUT_SPECS[step.input];
    if (step.jobId !== '' && (spec.refused || (spec.audio === true && !this.upstream))) {
      this.expectCli(cli, 2, undefined, 'UsageError');
      return 'none';
    }
    if (!VALID_IDS.includes(step.jobId) || this.known(step.jobId) !== undefined) {
      this.expectCli(cli, 2, undefined, step.jobId === '' ? undefined : 'UsageError');
      return 'none';
    }
    this.expectCli(cli, 0, { jobId: step.jobId });
    if (cli.exitCode === 0) this.model.enqueue(step.jobId, step.sessionId, step.input, record.window);
    return 'any';
  }

  private judgeStatus(jobId: string | undefined, cli: CliOutcome): Effect {
    if (jobId === undefined) {
      this.expectCli(cli, 0, { jobs: this.model.ids().map((id) => this.row(this.known(id)!)) });
    } else {
      const job = VALID_IDS.includes(jobId) ? this.known(jobId) : undefined;
      if (job === undefined) this.expectCli(cli, 2);
      else this.expectCli(cli, 0, { jobs: [this.row(job)] });
    }
    return 'none';
  }

  private judgeRetry(record: StepRecord, jobId: string, cli: CliOutcome): Effect {
    const job = VALID_IDS.includes(jobId) ? this.known(jobId) : undefined;
    if (job === undefined) return refused(this.expectCli(cli, 2), 'none');
    if (job.status !== 'failed') return refused(this.expectCli(cli, 2, undefined, 'JobNotFailedError'), 'locks');
    this.expectCli(cli, 0, { jobId, status: 'queued' });
    this.model.retry(job, record.window);
    return 'any';
  }

  private judgeDelete(record: StepRecord, jobId: string, cli: CliOutcome): Effect {
    const job = VALID_IDS.includes(jobId) ? this.known(jobId) : undefined;
    if (job === undefined) return refused(this.expectCli(cli, 2), 'none');
    if (job.status === 'deleted') return refused(this.expectCli(cli, 0, { jobId, outcome: 'already-deleted' }), 'none');
    this.expectCli(cli, 0, { jobId, outcome: 'deleted' });
    this.model.delete(job, record.window);
    return 'any';
  }

  private judgePurge(record: StepRecord, cli: CliOutcome): Effect {
    const removed = expire(this.model, record.window, observedGone(this.config, record));
    this.expectCli(cli, 0);
    const printed = this.parsed(cli.stdout) as { jobs?: unknown } | undefined;
    this.expect(printed?.jobs === removed, `purge reports ${String(printed?.jobs)} job(s) purged; ${removed} expired`);
    return 'any';
  }

  /** A runner pass's printed summary, as the model predicts it (fields the model does not predict left out). */
  private pass(record: StepRecord, upstream: PassUpstream): Record<string, unknown> {
    // Without a service nothing answers but the runtime's own reader: scripted answers never happen.
    return predictPass(this.model, this.config, record, this.upstream ? upstream : []);
  }

  private judgeHttp(record: StepRecord, step: Extract<ModelStep, { kind: 'http' }>, answer: HttpAnswer): Effect {
    if (!isAuthorized(step.credential)) {
      this.expectHttp(answer, 401, undefined, { 'www-authenticate': 'Bearer' });
      return 'none';
    }
    const runner = step.route === 'runner' || (step.route === 'job' && step.jobId === 'runner');
    if (step.route === 'unknown' || (step.route === 'job' && step.jobId === '')) {
      this.expectJson(step, answer, 404, { error: 'not found' });
      return 'none';
    }
    if (runner) {
      if (step.method !== 'GET' && step.method !== 'POST') {
        this.expectJson(step, answer, 405, { error: 'method not allowed' }, { allow: 'GET, POST' });
        return 'none';
      }
      this.expectJson(step, answer, 200, this.pass(record, step.upstream));
      return 'any';
    }
    if (!VALID_IDS.includes(step.jobId)) {
      this.expectJson(step, answer, 400, undefined);
      return 'none';
    }
    const job = this.known(step.jobId);
    if (job === undefined) {
      this.expectJson(step, answer, 404, { error: `unknown job ${step.jobId}` });
      return 'none';
    }
    return this.judgeJobRoute(record, step, answer, job);
  }

  private judgeJobRoute(
    record: StepRecord,
    step: Extract<ModelStep, { kind: 'http' }>,
    answer: HttpAnswer,
    job: ModelJob,
  ): Effect {
    const read = step.method === 'GET' || step.method === 'HEAD';
    const refuse = (allow: string): Effect => {
      this.expectJson(step, answer, 405, { error: 'method not allowed' }, { allow });
      return 'none';
    };
    if (step.route === 'job') {
      if (read) return refused(this.expectJson(step, answer, 200, this.row(job)), 'none');
      if (step.method !== 'DELETE') return refuse('GET, HEAD, DELETE');
      if (job.status === 'deleted')
        return refused(this.expectJson(step, answer, 200, { jobId: job.jobId, outcome: 'already-deleted' }), 'none');
      this.expectJson(step, answer, 200, { jobId: job.jobId, outcome: 'deleted' });
      this.model.delete(job, record.window);
      return 'any';
    }
    if (step.route === 'retry') {
      if (step.method !== 'POST') return refuse('POST');
      if (job.status !== 'failed') return refused(this.expectJson(step, answer, 409, undefined), 'locks');
      this.expectJson(step, answer, 200, { jobId: job.jobId, status: 'queued' });
      this.model.retry(job, record.window);
      return 'any';
    }
    if (!read) return refuse('GET, HEAD');
    if (job.status !== 'complete') return refused(this.expectJson(step, answer, 409, undefined), 'none');
    this.judgeExport(step, answer, job);
    return 'none';
  }

  private judgeExport(step: Extract<ModelStep, { kind: 'http' }>, answer: HttpAnswer, job: ModelJob): void {
    const name = `${job.sessionId}-${job.jobId}.html`;
    this.expectHttp(answer, 200, step.method === 'HEAD' ? new Uint8Array(0) : undefined, {
      'content-type': 'text/html; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"; filename*=UTF-8''${name}`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'content-security-policy': 'sandbox',
    });
    if (step.method === 'HEAD' || answer.status !== 200) return;
    const key = `${job.jobId}|${job.sessionId}|${job.input}`;
    const earlier = this.exports.get(key);
    if (earlier === undefined) this.exports.set(key, answer.body);
    else this.expect(bytesEqual(earlier, answer.body), `the export of ${key} changed between two downloads`);
    const problem = exportMarkupProblem(text(answer.body));
    this.expect(problem === undefined, `export of ${job.jobId} (${job.input}): ${problem ?? ''}`);
    const spoken = (MODEL_INPUT_SPECS[job.input].spoken ?? []).join(' ');
    const shown = spokenTextOf(text(answer.body));
    this.expect(
      shown === spoken,
      `export of ${job.jobId} (${job.input}) shows ${JSON.stringify(shown.slice(0, 200))}; the input says ${JSON.stringify(spoken.slice(0, 200))}`,
    );
  }

  /** The status row the model predicts (what `status --json` and GET /api/jobs/:id show). */
  row(job: ModelJob): unknown {
    return {
      jobId: job.jobId,
      sessionId: job.sessionId,
      status: job.status,
      stage: job.stage,
      attempts: job.attempts,
      nextAttemptAt: job.nextAttemptAt,
      error: job.error === null ? null : this.recordedError(job),
    };
  }

  private recordedError(job: ModelJob): unknown {
    return { ...this.observedErrors.get(job.jobId), kind: job.error!.kind };
  }

  /** The name and message each job's recorded error has (judged in judgeStates, then shown). */
  private readonly observedErrors = new Map<string, { name: string; message: string }>();

  private parsed(stdout: string): unknown {
    try {
      return JSON.parse(stdout) as unknown;
    } catch {
      return undefined;
    }
  }

  /** A CLI answer: the exit code; on 0 the printed JSON (if predicted); otherwise the error line's name. */
  expectCli(outcome: CliOutcome, exitCode: number, printed?: unknown, errorName?: string): boolean {
    const shown = `exit ${outcome.exitCode}, stdout ${JSON.stringify(outcome.stdout.slice(0, 300))}`;
    if (!this.expect(outcome.exitCode === exitCode, `expected exit ${exitCode}; got ${shown}`)) return false;
    if (exitCode === 0) {
      const value = this.parsed(outcome.stdout);
      return (
        printed === undefined ||
        this.expect(matches(value, printed), `expected ${JSON.stringify(printed)}; got ${shown}`)
      );
    }
    const line = outcome.stderr.split('\n').find((l) => l.startsWith('{"error"'));
    const error = (line === undefined ? undefined : this.parsed(line)) as { error?: { name?: string } } | undefined;
    return this.expect(
      this.expect(outcome.stdout === '', `a failed command printed ${JSON.stringify(outcome.stdout)}`) &&
        (errorName === undefined || error?.error?.name === errorName),
      `expected the error line to name ${errorName ?? 'an error'}; stderr ends ${JSON.stringify(outcome.stderr.slice(-200))}`,
    );
  }

  /** A JSON answer (HEAD: same status and headers, no body); `body` undefined: any {error: string}. */
  expectJson(
    step: Extract<ModelStep, { kind: 'http' }>,
    answer: HttpAnswer,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): boolean {
    if (
      !this.expectHttp(answer, status, step.method === 'HEAD' ? new Uint8Array(0) : undefined, {
        ...JSON_HEADERS,
        ...headers,
      })
    )
      return false;
    if (step.method === 'HEAD') return true;
    const value = this.parsed(text(answer.body));
    const expected = body ?? { error: (value as { error?: unknown } | undefined)?.error };
    return this.expect(
      matches(value, expected) && typeof (value as { error?: unknown }).error !== 'number',
      `expected body ${JSON.stringify(expected)}; got ${JSON.stringify(text(answer.body).slice(0, 300))}`,
    );
  }

  expectHttp(
    answer: HttpAnswer,
    status: number,
    body: Uint8Array | undefined,
    headers: Record<string, string>,
  ): boolean {
    if (
      !this.expect(
        answer.status === status,
        `expected HTTP ${status}; got ${answer.status} ${text(answer.body).slice(0, 200)}`,
      )
    )
      return false;
    for (const [name, value] of Object.entries(headers))
      if (
        !this.expect(
          answer.headers[name] === value,
          `header ${name}: expected ${value}; got ${String(answer.headers[name])}`,
        )
      )
        return false;
    return (
      body === undefined ||
      this.expect(bytesEqual(body, answer.body), `expected a body of ${body.length} bytes; got ${answer.body.length}`)
    );
  }

  /**
   * A step without side effects leaves every path of the data root as it was: kind, bytes and mtime.
   * A refused change (retry of a job that is not failed) may only have touched the lock bookkeeping
   * under sessions/ while it looked under the session lock.
   */
  private expectUnchanged(record: StepRecord, effect: Effect): void {
    const root = `${this.config.root}/`;
    const locks = `${this.config.root}/sessions`;
    const paths = new Set(
      [...record.before.keys(), ...record.after.keys()].filter(
        (p) => p.startsWith(root) && !(effect === 'locks' && (p === locks || p.startsWith(`${locks}/`))),
      ),
    );
    const changed = [...paths].filter((path) => {
      const a = record.before.get(path);
      const b = record.after.get(path);
      return a?.kind !== b?.kind || a?.mtimeMs !== b?.mtimeMs || !bytesEqual(a?.bytes, b?.bytes);
    });
    this.expect(changed.length === 0, `a step without side effects changed ${changed.slice(0, 4).join(', ')}`);
  }

  /** After every step: each job's recorded state is the model's, and no other job exists. */
  private judgeStates(record: StepRecord): void {
    const jobsDir = `${this.config.root}/jobs/`;
    const onDisk = [...record.after.keys()]
      .filter((p) => p.startsWith(jobsDir) && !p.slice(jobsDir.length).includes('/'))
      .map((p) => p.slice(jobsDir.length))
      .filter((name) => !name.startsWith('.tmp-'));
    this.expect(
      onDisk.sort().join(',') === this.model.ids().join(','),
      `jobs/ holds [${onDisk.join(', ')}]; the model has [${this.model.ids().join(', ')}]`,
    );
    for (const job of this.model.jobs.values()) this.judgeState(record.core, job);
  }

  private judgeState(core: SimFsCore, job: ModelJob): void {
    let state;
    try {
      state = readCoreState(core, this.config, job.jobId);
    } catch (error) {
      this.expect(false, `job ${job.jobId}: ${(error as Error).message}`);
      return;
    }
    if (!this.expect(state !== undefined, `job ${job.jobId} has no state.json`)) return;
    const s = state!;
    const fields = `${job.jobId}: recorded ${JSON.stringify({ status: s.status, stage: s.stage, attempts: s.attempts, error: s.error })}`;
    this.expect(
      s.jobId === job.jobId && s.sessionId === job.sessionId && s.status === job.status && s.stage === job.stage,
      `${fields}; the model says ${job.status} at ${job.stage}`,
    );
    this.expect(s.attempts === job.attempts, `${fields}; the model says ${job.attempts} attempt(s)`);
    this.judgeRecordedError(job, s.error, fields);
    this.judgeTimes(job, s.updatedAt, s.nextAttemptAt);
  }

  private judgeRecordedError(
    job: ModelJob,
    error: { name: string; message: string; kind: string; stage?: string } | null,
    fields: string,
  ): void {
    if (job.error === null) {
      this.expect(error === null, `${fields}; the model says no error`);
      this.observedErrors.delete(job.jobId);
      return;
    }
    const ok =
      error !== null &&
      error.kind === job.error.kind &&
      error.stage === job.error.stage &&
      error.message.length > 0 &&
      (error.name === 'AttemptsExhausted') === job.error.exhausted;
    this.expect(
      ok,
      `${fields}; the model says a ${job.error.kind} error in ${job.error.stage}${job.error.exhausted ? ', attempts exhausted' : ''}`,
    );
    if (error !== null) this.observedErrors.set(job.jobId, { name: error.name, message: error.message });
  }

  /** updatedAt and nextAttemptAt within the model's bounds; then adopted, so later steps are exact. */
  private judgeTimes(job: ModelJob, updatedAt: number, nextAttemptAt: number | null): void {
    const [lo, hi] = job.updatedBounds;
    this.expect(updatedAt >= lo && updatedAt <= hi, `${job.jobId}: updatedAt ${updatedAt} outside [${lo}, ${hi}]`);
    job.updatedAt = updatedAt;
    job.updatedBounds = [updatedAt, updatedAt];
    const bounds = job.nextAttemptBounds;
    if (bounds === null) {
      this.expect(
        nextAttemptAt === job.nextAttemptAt,
        `${job.jobId}: nextAttemptAt ${nextAttemptAt}; the model says ${job.nextAttemptAt}`,
      );
      return;
    }
    this.expect(
      nextAttemptAt !== null && nextAttemptAt >= bounds[0] && nextAttemptAt <= bounds[1],
      `${job.jobId}: nextAttemptAt ${nextAttemptAt} outside the backoff bounds [${bounds[0]}, ${bounds[1]}]`,
    );
    job.nextAttemptAt = nextAttemptAt;
    job.nextAttemptBounds = null;
  }
}

/** `value` has every field `expected` has, equal (objects compared field by field, recursively). */
export function matches(value: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return Object.is(value, expected);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(expected))
    return Array.isArray(value) && value.length === expected.length && expected.every((e, i) => matches(value[i], e));
  return Object.entries(expected).every(
    ([key, e]) => e === undefined || matches((value as Record<string, unknown>)[key], e),
  );
}
