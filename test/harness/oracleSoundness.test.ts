// The chaos oracle never flags a correct runtime, and each fix of a false alarm leaves its checker able
// to fail. Each plan below is one that a campaign once reported against the unmodified runtime.
import { describe, expect, it } from 'vitest';
import { runChaosPlan } from '../../harness/chaos/runChaosPlan.ts';
import type { ChaosPlan } from '../../harness/chaos/chaosPlan.ts';
import { checkErrorContract, type LedgerEntry } from '../../harness/invariants/i7ErrorContract.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import type { LoggedEvent } from '../../harness/world/world.ts';

const config = simConfig();
const FOUR_JOBS_ONE_SESSION: ChaosPlan['jobs'] = ['j1', 'j2', 'j3', 'j4'].map((jobId) => ({
  jobId,
  sessionId: 's1',
  input: 'talk.srt' as const,
}));

describe('I7: only the process that received a fault owes an outcome for it', () => {
  // p0 gets a 503 in export of j2 and is killed before it can record it; p1 finds an interrupted
  // attempt and finishes the job, which is what a correct runtime must do (chaos seed 27).
  const killedBeforeRecording: ChaosPlan = {
    jobs: FOUR_JOBS_ONE_SESSION,
    processes: [
      {
        name: 'p0',
        task: 'pass',
        startAfterMs: 0,
        faults: [],
        upstream: [
          { stage: 'draft', kind: 'transient', times: 1 },
          { stage: 'export', kind: 'transient', times: 1 },
        ],
        killAtCall: 208,
      },
      { name: 'p1', task: 'pass', startAfterMs: 0, faults: [], upstream: [] },
    ],
    clockSteps: [],
    choices: [],
  };

  it('passes when the receiving process was killed and another one completed the job', async () => {
    const result = await runChaosPlan(killedBeforeRecording, config);
    expect(result.crashes).toBe(1);
    expect(result.trace).toMatch(/p100 log stage.start \{"jobId":"j2","sessionId":"s1","stage":"export"\}/);
    expect(result.violations).toEqual([]);
  });

  const event = (seq: number, pid: number, name: string, fields: object = {}): LoggedEvent =>
    ({ seq, pid, timeMs: seq, event: name, fields: { jobId: 'j1', ...fields } }) as LoggedEvent;
  const transientIn = (pid: number): LedgerEntry => ({
    jobId: 'j1',
    stage: 'draft',
    kind: 'transient',
    errorKind: 'transient',
    afterEventIndex: 1,
    pid,
  });

  it('still catches the receiving process completing the job after a transient fault', () => {
    const events = [event(0, 7, 'job.started'), event(1, 7, 'stage.start'), event(2, 7, 'job.complete')];
    expect(checkErrorContract(events, [transientIn(7)], { clockStepped: false })).toEqual([
      expect.objectContaining({
        invariant: 'I7',
        message: expect.stringMatching(
          /transient transient fault in draft of job j1 was not retried: next outcome job.complete/,
        ),
      }),
    ]);
  });

  it('judges the receiver by its own outcome even when another process logs one first', () => {
    const events = [
      event(0, 7, 'job.started'),
      event(1, 8, 'job.complete'),
      event(2, 7, 'job.failed', { error: { name: 'PermanentError' } }),
    ];
    expect(checkErrorContract(events, [transientIn(7)], { clockStepped: false })).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/next outcome job.failed \(PermanentError\)/) }),
    ]);
    expect(checkErrorContract(events.slice(0, 2), [transientIn(7)], { clockStepped: false })).toEqual([]);
  });
});

describe('I3: a job purged past its TTL is not lost; one removed early is', () => {
  // Two backward steps of almost an hour in all: recovery waits past them and the stale bound, so the
  // jobs completed before it are older than the TTL and the recovery pass purges them (chaos seed 1).
  const backwardHour: ChaosPlan = {
    jobs: FOUR_JOBS_ONE_SESSION.slice(0, 3),
    processes: [
      { name: 'p0', task: 'pass', startAfterMs: 0, faults: [], upstream: [] },
      { name: 'p1', task: 'pass', startAfterMs: 0, faults: [], upstream: [] },
    ],
    clockSteps: [
      { atMs: 0, deltaMs: -1_745_350 },
      { atMs: 0, deltaMs: -1_794_348 },
    ],
    choices: [],
  };

  it('passes when recovery legitimately purges jobs older than the TTL', async () => {
    const result = await runChaosPlan(backwardHour, config);
    expect(result.trace).toMatch(/log purge.done \{"jobs":[1-3],/);
    expect(result.violations).toEqual([]);
  });

  it('still catches a purge that removes finished jobs before their TTL', async () => {
    const { violations } = await runChaosPlan({ ...backwardHour, clockSteps: [] }, config, 1, {
      policy: { isExpired: () => true },
    });
    expect(violations).toContainEqual(
      expect.objectContaining({ invariant: 'I3', message: 'job j1 lost its state.json' }),
    );
  });

  it('passes when a deleted job is purged after its TTL, and judges deletion before loss', async () => {
    const deletedThenPurged: ChaosPlan = {
      jobs: FOUR_JOBS_ONE_SESSION.slice(0, 2),
      processes: [
        { name: 'p0', task: 'pass', startAfterMs: 0, faults: [], upstream: [] },
        { name: 'p1', task: { delete: 'j1' }, startAfterMs: 0, faults: [], upstream: [] },
      ],
      clockSteps: [{ atMs: 2_000, deltaMs: config.ttlMs + 60_000 }],
      choices: [],
    };
    const result = await runChaosPlan(deletedThenPurged, config);
    expect(result.trace).toMatch(/log job.deleted \{"jobId":"j1"/);
    expect(result.trace).toMatch(/log purge.done \{"jobs":[12],/);
    expect(result.violations).toEqual([]);
  });

  // A forward step of almost the TTL: the third pass finds the job just completed already expired
  // (its updatedAt predates the step) and purges it; then the power goes (swarm chaos seed 94).
  const purgedThenPowerLoss: ChaosPlan = {
    jobs: FOUR_JOBS_ONE_SESSION.slice(0, 1),
    processes: [
      { name: 'p0', task: 'pass', startAfterMs: 0, faults: [], upstream: [] },
      { name: 'p1', task: 'dueJobs', startAfterMs: 0, faults: [], upstream: [] },
      { name: 'p2', task: 'pass', startAfterMs: 0, faults: [], upstream: [] },
    ],
    clockSteps: [{ atMs: 105, deltaMs: 299_951 }],
    powerLoss: { atMs: 186, model: 'lazyfs' },
    choices: [],
    config: {
      concurrency: 1,
      staleAfterMs: 15_000,
      heartbeatEveryMs: 7_500,
      maxAttempts: 1,
      backoffBaseMs: 0,
      backoffCapMs: 0,
      ttlMs: 300_000,
      opLatencyMs: 1,
    },
  };

  it('passes when an acknowledged job is purged past its TTL before a power loss', async () => {
    const result = await runChaosPlan(purgedThenPowerLoss, config);
    expect(result.trace).toMatch(/rename \/data\/jobs\/j1 -> \/data\/sessions\/s1\/.tmp-work-[0-9a-f]+\/doomed-j1-/);
    expect(result.violations).toEqual([]);
  });

  it('still catches an acknowledged job purged before its TTL and lost in the power loss', async () => {
    const { violations } = await runChaosPlan({ ...purgedThenPowerLoss, clockSteps: [] }, config, 1, {
      policy: { isExpired: () => true },
    });
    expect(violations).toContainEqual(
      expect.objectContaining({
        invariant: 'I6',
        message: 'job j1 was acknowledged complete, but after a lazyfs crash its state is missing',
      }),
    );
  });
});

describe('I8: a forward clock step reaches every live process', () => {
  // p1 holds runner.lock; the clock jumps forward by almost the stale bound, so p0 (resuming from a
  // pause) finds p1's heartbeat stale and takes the lock over; p1 is fenced and its pass ends with
  // LockLostError. That failure is explained by the step (soundness campaign, seed 52).
  const forwardStepTakeover: ChaosPlan = {
    jobs: [...FOUR_JOBS_ONE_SESSION.slice(0, 2), { jobId: 'j9', sessionId: 's1', input: 'talk.srt', late: true }],
    processes: [
      { name: 'p0', task: 'pass', startAfterMs: 0, faults: [], upstream: [], pause: { atCall: 0, durationMs: 1_000 } },
      { name: 'p1', task: 'pass', startAfterMs: 0, faults: [], upstream: [] },
      { name: 'p2', task: { enqueue: 'j9' }, startAfterMs: 0, faults: [], upstream: [] },
    ],
    clockSteps: [{ atMs: 64, deltaMs: 13_921 }],
    choices: [],
    config: {
      concurrency: 1,
      staleAfterMs: 15_000,
      heartbeatEveryMs: 7_500,
      maxAttempts: 1,
      backoffBaseMs: 0,
      backoffCapMs: 0,
      ttlMs: 300_000,
      opLatencyMs: 9,
    },
  };

  it('passes when a live pass is fenced after a forward step made its lease look stale', async () => {
    const result = await runChaosPlan(forwardStepTakeover, config);
    expect(result.trace).toMatch(/p101 exit threw LockLostError/);
    expect(result.violations).toEqual([]);
  });
});
