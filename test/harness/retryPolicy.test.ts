// I7's reference model of the retry policy: bounds on every scheduled delay, Retry-After honoured,
// attempts counted exactly, and a retried job resuming at its stage. Each rule is shown to fail.
import { describe, expect, it } from 'vitest';
import { checkRetryPolicy } from '../../harness/invariants/i7RetryPolicy.ts';
import type { LedgerEntry } from '../../harness/invariants/i7ErrorContract.ts';
import { runChaosPlan } from '../../harness/chaos/runChaosPlan.ts';
import type { ChaosPlan } from '../../harness/chaos/chaosPlan.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import type { LoggedEvent } from '../../harness/world/world.ts';
import type { StageHandlers } from '../../src/ports/stageHandlers.ts';
import { TransientError } from '../../src/errors.ts';

const config = simConfig(); // base 5 s, cap 60 s, 4 attempts
const ev = (seq: number, event: string, timeMs: number, fields: object = {}): LoggedEvent =>
  ({ seq, pid: 1, timeMs, event, fields: { jobId: 'j1', ...fields } }) as LoggedEvent;
const scheduled = (seq: number, timeMs: number, attempts: number, delayMs: number, stage = 'draft') =>
  ev(seq, 'job.retry_scheduled', timeMs, {
    attempts,
    delayMs,
    nextAttemptAt: timeMs + delayMs,
    stage,
    error: { name: 'TransientError' },
  });
const messages = (events: LoggedEvent[], ledger: LedgerEntry[] = []) =>
  checkRetryPolicy(events, ledger, config, { clockStepped: false }).map((v) => v.message);

describe('I7 retry policy', () => {
  it('accepts delays within full-jitter bounds and a resume at the recorded stage', () => {
    const events = [
      ev(0, 'job.started', 100, { attempt: 1 }),
      scheduled(1, 110, 1, 4_999),
      ev(2, 'job.started', 6_000, { attempt: 2 }),
      ev(3, 'stage.skipped', 6_001, { stage: 'transcribe' }),
      ev(4, 'stage.start', 6_002, { stage: 'draft' }),
      scheduled(5, 6_010, 2, 10_000),
      ev(6, 'job.started', 20_000, { attempt: 3 }),
      scheduled(7, 20_010, 3, 0),
    ];
    expect(messages(events)).toEqual([]);
  });

  it('catches a delay past the exponential ceiling, or past the cap', () => {
    expect(messages([ev(0, 'job.started', 100, { attempt: 2 }), scheduled(1, 110, 2, 10_001)])).toEqual([
      expect.stringMatching(/delay 10001 ms is outside \[0, 10000\] ms/),
    ]);
    expect(messages([ev(0, 'job.started', 100, { attempt: 3 }), scheduled(1, 110, 3, 60_001)])).toEqual([
      expect.stringMatching(/delay 60001 ms is outside \[0, 20000\]/),
    ]);
  });

  it('catches a Retry-After that was shortened, and accepts one honoured up to the cap', () => {
    const ledger: LedgerEntry[] = [
      {
        jobId: 'j1',
        stage: 'draft',
        kind: 'rate-limited',
        errorKind: 'transient',
        retryAfterMs: 30_000,
        afterEventIndex: 1,
        pid: 1,
      },
    ];
    expect(messages([ev(0, 'job.started', 100, { attempt: 1 }), scheduled(1, 110, 1, 4_000)], ledger)).toEqual([
      expect.stringMatching(/next attempt at 4110, 26000 ms sooner than the upstream's Retry-After 30000 ms allows/),
    ]);
    // Counted from the answer: a decision made later may wait less, as long as the retry is not sooner.
    const answeredAt: LedgerEntry[] = [{ ...ledger[0]!, atMs: 100 }];
    expect(messages([ev(0, 'job.started', 90, { attempt: 1 }), scheduled(1, 2_100, 1, 28_000)], answeredAt)).toEqual(
      [],
    );
    expect(messages([ev(0, 'job.started', 90, { attempt: 1 }), scheduled(1, 2_100, 1, 27_999)], answeredAt)).toEqual([
      expect.stringMatching(/1 ms sooner than/),
    ]);
    expect(messages([ev(0, 'job.started', 100, { attempt: 1 }), scheduled(1, 110, 1, 30_000)], ledger)).toEqual([]);
  });

  it('catches attempts miscounted: a retry at maxAttempts, exhaustion before it, an attempt past it', () => {
    expect(messages([ev(0, 'job.started', 100, { attempt: 4 }), scheduled(1, 110, 4, 0)])).toEqual([
      expect.stringMatching(/scheduled though maxAttempts is 4/),
    ]);
    expect(messages([ev(0, 'job.failed', 100, { attempts: 3, error: { name: 'AttemptsExhausted' } })])).toEqual([
      'job j1 failed as exhausted after 3 of 4 attempts',
    ]);
    expect(messages([ev(0, 'job.started', 100, { attempt: 5 })])).toEqual([
      'job j1 started attempt 5, past maxAttempts 4',
    ]);
  });

  it('catches nextAttemptAt counted from somewhere other than the decision', () => {
    const fromCreation = ev(1, 'job.retry_scheduled', 5_000, {
      attempts: 1,
      delayMs: 1_000,
      nextAttemptAt: 1_000,
      stage: 'draft',
    });
    expect(messages([ev(0, 'job.started', 4_000, { attempt: 1 }), fromCreation])).toEqual([
      expect.stringMatching(/nextAttemptAt 1000 is not counted from the decision/),
    ]);
  });

  it('catches a requeued job that redoes a completed stage, unless the disk changed under it', () => {
    const events = [
      ev(0, 'job.requeued', 100, { stage: 'export' }),
      ev(1, 'job.started', 200, { attempt: 1 }),
      ev(2, 'stage.start', 201, { stage: 'transcribe' }),
    ];
    expect(messages(events)).toEqual([
      'job j1 was put back at export but produced transcribe again (a completed stage redone)',
    ]);
    expect(checkRetryPolicy(events, [], config, { clockStepped: false, diskChangedAt: [1] })).toEqual([]);
  });

  it('lets an owner fenced out before the put-back start a stage (it commits nothing), but not a later attempt', () => {
    // p2's attempt began first; p1 took its lock over, finished transcribe and put the job back at draft.
    const fenced = { ...ev(0, 'job.started', 100, { attempt: 1 }), pid: 2 };
    const takeover = [
      ev(1, 'job.started', 200, { attempt: 2 }),
      scheduled(2, 300, 2, 0, 'draft'),
      { ...ev(3, 'stage.start', 400, { stage: 'transcribe' }), pid: 2 },
    ];
    expect(messages([fenced, ...takeover])).toEqual([]);
    // The same process going on after its own put-back, or a new attempt of the fenced owner, redoes a stage.
    const redo = 'job j1 was put back at draft but produced transcribe again (a completed stage redone)';
    expect(messages([fenced, ...takeover.slice(0, 2), ev(3, 'stage.start', 400, { stage: 'transcribe' })])).toEqual([
      redo,
    ]);
    const newAttempt = { ...ev(3, 'job.started', 350, { attempt: 3 }), pid: 2 };
    expect(messages([fenced, ...takeover.slice(0, 2), newAttempt, { ...takeover[2]!, seq: 4 }])).toEqual([redo]);
  });

  it("catches, end to end, stage code that drops the upstream's Retry-After", async () => {
    const plan: ChaosPlan = {
      jobs: [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }],
      processes: [
        {
          name: 'p0',
          task: 'pass',
          startAfterMs: 0,
          faults: [],
          upstream: [{ stage: 'draft', kind: 'rate-limited', times: 1, retryAfterMs: 45_000 }],
        },
      ],
      clockSteps: [],
      choices: [],
    };
    expect((await runChaosPlan(plan, config)).violations).toEqual([]);
    const dropsRetryAfter = (h: StageHandlers): StageHandlers => ({
      ...h,
      draft: async (input) =>
        h.draft(input).catch((e: unknown) => {
          throw e instanceof TransientError ? new TransientError(e.message) : e;
        }),
    });
    const { violations } = await runChaosPlan(plan, config, 1, { wrapHandlers: dropsRetryAfter });
    expect(violations).toContainEqual(
      expect.objectContaining({
        invariant: 'I7',
        message: expect.stringMatching(
          /job j1 retry after attempt 1: next attempt at \d+, \d+ ms sooner than the upstream's Retry-After 45000 ms allows/,
        ),
      }),
    );
  });
});

describe('HTTP answers through the real adapter', () => {
  const viaHttp = (fault: ChaosPlan['processes'][number]['upstream'][number]): ChaosPlan => ({
    jobs: [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }],
    processes: [{ name: 'p0', task: 'pass', startAfterMs: 0, faults: [], upstream: [fault] }],
    clockSteps: [],
    choices: [],
  });

  it('passes the correct runtime for every status, Retry-After form and network error it draws', async () => {
    const answers = [
      ...[500, 502, 503, 504, 408, 425].map((status) => ({ kind: 'transient' as const, status })),
      ...[400, 401, 404, 413, 422].map((status) => ({ kind: 'permanent' as const, status })),
      { kind: 'rate-limited' as const, retryAfterMs: 45_000, retryAfterForm: 'seconds' as const },
      { kind: 'rate-limited' as const, retryAfterMs: 45_000, retryAfterForm: 'date' as const },
      ...['UND_ERR_HEADERS_TIMEOUT', 'ECONNRESET', 'ECONNREFUSED'].map((network) => ({
        kind: 'timeout' as const,
        network,
      })),
      { kind: 'invalid-input' as const },
    ];
    for (const answer of answers) {
      const result = await runChaosPlan(viaHttp({ stage: 'transcribe', times: 1, ...answer }), config);
      expect(result.violations, JSON.stringify(answer)).toEqual([]);
      expect(result.trace).toMatch(
        answer.kind === 'permanent' || answer.kind === 'invalid-input' ? /log job.failed/ : /log job.retry_scheduled/,
      );
    }
  });

  it('catches HTTP 408 classified as permanent, and a Retry-After taken for milliseconds', async () => {
    const { ZOO } = await import('../../harness/bugs/zoo.ts');
    const bug = (id: string) => ZOO.find((b) => b.id === id)!.variant;
    const timeout408 = await runChaosPlan(
      viaHttp({ stage: 'transcribe', kind: 'transient', status: 408, times: 1 }),
      config,
      1,
      bug('http-408-permanent'),
    );
    expect(timeout408.violations).toContainEqual(
      expect.objectContaining({
        invariant: 'I7',
        message: expect.stringMatching(
          /transient transient fault in transcribe of job j1 was not retried: next outcome job.failed \(HttpStatusError\)/,
        ),
      }),
    );
    const tooSoon = await runChaosPlan(
      viaHttp({ stage: 'transcribe', kind: 'rate-limited', retryAfterMs: 45_000, times: 1 }),
      config,
      1,
      bug('retry-after-seconds-as-ms'),
    );
    expect(tooSoon.violations).toContainEqual(
      expect.objectContaining({
        invariant: 'I7',
        message: expect.stringMatching(/sooner than the upstream's Retry-After 45000 ms allows/),
      }),
    );
  });
});
