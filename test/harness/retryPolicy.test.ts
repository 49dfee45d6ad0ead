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
const ev = (seq: number, event: string, timeMs: number, fields: object = {}): LoggedEvent => ({ seq, pid: 1, timeMs, event, fields: { jobId: 'j1', ...fields } }) as LoggedEvent;
const scheduled = (seq: number, timeMs: number, attempts: number, delayMs: number, stage = 'draft') =>
  ev(seq, 'job.retry_scheduled', timeMs, { attempts, delayMs, nextAttemptAt: timeMs + delayMs, stage, error: { name: 'TransientError' } });
const messages = (events: LoggedEvent[], ledger: LedgerEntry[] = []) => checkRetryPolicy(events, ledger, config, { clockStepped: false }).map((v) => v.message);

describe('I7 retry policy', () => {
  it('accepts delays within full-jitter bounds and a resume at the recorded stage', () => {
    const events = [ev(0, 'job.started', 100, { attempt: 1 }), scheduled(1, 110, 1, 4_999), ev(2, 'job.started', 6_000, { attempt: 2 }), ev(3, 'stage.skipped', 6_001, { stage: 'transcribe' }),
      ev(4, 'stage.start', 6_002, { stage: 'draft' }), scheduled(5, 6_010, 2, 10_000), ev(6, 'job.started', 20_000, { attempt: 3 }), scheduled(7, 20_010, 3, 0)];
    expect(messages(events)).toEqual([]);
  });

  it('catches a delay past the exponential ceiling, or past the cap', () => {
    expect(messages([ev(0, 'job.started', 100, { attempt: 2 }), scheduled(1, 110, 2, 10_001)])).toEqual([expect.stringMatching(/delay 10001 ms is outside \[0, 10000\] ms/)]);
    expect(messages([ev(0, 'job.started', 100, { attempt: 3 }), scheduled(1, 110, 3, 60_001)])).toEqual([expect.stringMatching(/delay 60001 ms is outside \[0, 20000\]/)]);
  });

  it('catches a Retry-After that was shortened, and accepts one honoured up to the cap', () => {
    const ledger: LedgerEntry[] = [{ jobId: 'j1', stage: 'draft', kind: 'rate-limited', errorKind: 'transient', retryAfterMs: 30_000, afterEventIndex: 1, pid: 1 }];
    expect(messages([ev(0, 'job.started', 100, { attempt: 1 }), scheduled(1, 110, 1, 4_000)], ledger)).toEqual([expect.stringMatching(/outside \[30000, 30000\] ms .*Retry-After 30000/)]);
    expect(messages([ev(0, 'job.started', 100, { attempt: 1 }), scheduled(1, 110, 1, 30_000)], ledger)).toEqual([]);
  });

  it('catches attempts miscounted: a retry at maxAttempts, exhaustion before it, an attempt past it', () => {
    expect(messages([ev(0, 'job.started', 100, { attempt: 4 }), scheduled(1, 110, 4, 0)])).toEqual([expect.stringMatching(/scheduled though maxAttempts is 4/)]);
    expect(messages([ev(0, 'job.failed', 100, { attempts: 3, error: { name: 'AttemptsExhausted' } })])).toEqual(['job j1 failed as exhausted after 3 of 4 attempts']);
    expect(messages([ev(0, 'job.started', 100, { attempt: 5 })])).toEqual(['job j1 started attempt 5, past maxAttempts 4']);
  });

  it('catches nextAttemptAt counted from somewhere other than the decision', () => {
    const fromCreation = ev(1, 'job.retry_scheduled', 5_000, { attempts: 1, delayMs: 1_000, nextAttemptAt: 1_000, stage: 'draft' });
    expect(messages([ev(0, 'job.started', 4_000, { attempt: 1 }), fromCreation])).toEqual([expect.stringMatching(/nextAttemptAt 1000 is not counted from the decision/)]);
  });

  it('catches a requeued job that redoes a completed stage, unless the disk changed under it', () => {
    const events = [ev(0, 'job.requeued', 100, { stage: 'export' }), ev(1, 'job.started', 200, { attempt: 1 }), ev(2, 'stage.start', 201, { stage: 'transcribe' })];
    expect(messages(events)).toEqual(['job j1 was put back at export but produced transcribe again (a completed stage redone)']);
    expect(checkRetryPolicy(events, [], config, { clockStepped: false, diskChangedAt: [1] })).toEqual([]);
  });

  it('catches, end to end, stage code that drops the upstream\'s Retry-After', async () => {
    const plan: ChaosPlan = {
      jobs: [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }],
      processes: [{ name: 'p0', task: 'pass', startAfterMs: 0, faults: [], upstream: [{ stage: 'draft', kind: 'rate-limited', times: 1, retryAfterMs: 45_000 }] }],
      clockSteps: [],
      choices: [],
    };
    expect((await runChaosPlan(plan, config)).violations).toEqual([]);
    const dropsRetryAfter = (h: StageHandlers): StageHandlers => ({
      ...h, draft: async (input) => h.draft(input).catch((e: unknown) => { throw e instanceof TransientError ? new TransientError(e.message) : e; }),
    });
    const { violations } = await runChaosPlan(plan, config, 1, { wrapHandlers: dropsRetryAfter });
    expect(violations).toContainEqual(expect.objectContaining({ invariant: 'I7', message: expect.stringMatching(/job j1 retry after attempt 1: delay \d+ ms is outside \[45000, 45000\] ms/) }));
  });
});
