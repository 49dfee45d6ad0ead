// The long-hold generator: chaos plans in which locks are held for a long time under contention.
// Runners and contenders start staggered across several stale bounds, and the calls of the lock
// protocol itself are slow: a release's reap directory, a heartbeat's write and rename, the lock file,
// the work directory's commits, each slowed by up to three stale bounds, and a holder may be paused
// whole for as long. Heartbeats then fire during every call of a release, contenders probe a lock
// whose owner is slow but alive, and owners finish work after being taken over. No process is killed and no call fails, so every run must also end
// quiet: nothing left on disk, no lock reported lost that nobody took.
import fc from 'fast-check';
import type { ChaosPlan, ChaosProcess } from './chaosPlan.ts';
import { swarmConfigArb } from './planArbitrary.ts';

/** Where the lock protocol's calls go: a slow fault on each names one of them (by path). */
export const LOCK_CALL_PATHS = ['.tmp-reap-', '.tmp-hb-', 'heartbeat.json', '.lock', '.tmp-work-', 'lock-by-'] as const;

const JOB_IDS = ['j1', 'j2', 'j3', 'j4'];
const INPUTS = ['talk.srt', 'notes.txt', 'short.txt'] as const;

// Half the slow calls are a heartbeat's own (its write or rename): an owner whose beats stall past the
// stale bound is taken over while alive, and finishes its work after that.
const slowLockCall = fc.record({
  slowMs: fc.oneof(fc.integer({ min: 2_000, max: 30_000 }), fc.integer({ min: 30_000, max: 3 * 180_000 })),
  trigger: fc.record({
    pathIncludes: fc.oneof(fc.constantFrom('.tmp-hb-', 'heartbeat.json'), fc.constantFrom(...LOCK_CALL_PATHS)),
    nth: fc.integer({ min: 1, max: 6 }),
  }),
});

// A holder paused whole (a stop-the-world pause, a suspended VM) for up to three stale bounds.
const ownerPause = fc.record({
  atCall: fc.integer({ min: 0, max: 200 }),
  durationMs: fc.integer({ min: 10_000, max: 3 * 180_000 }),
});

function holderArb(name: string, first: boolean): fc.Arbitrary<ChaosProcess> {
  return fc
    .record({
      task: first ? fc.constant('pass' as const) : fc.constantFrom('pass' as const, 'dueJobs' as const),
      startAfterMs: first ? fc.constant(0) : fc.integer({ min: 0, max: 400_000 }),
      faults: fc.array(slowLockCall, { minLength: 1, maxLength: 3 }),
      pause: fc.option(ownerPause, { nil: undefined }),
    })
    .map(({ pause, ...p }) => ({ name, ...p, ...(pause === undefined ? {} : { pause }), upstream: [] }));
}

export const longHoldPlanArb: fc.Arbitrary<ChaosPlan> = fc
  .record({
    jobCount: fc.integer({ min: 1, max: 4 }),
    sessions: fc.array(fc.constantFrom('s1', 's2'), { minLength: 4, maxLength: 4 }),
    inputs: fc.array(fc.constantFrom(...INPUTS), { minLength: 4, maxLength: 4 }),
    processCount: fc.integer({ min: 2, max: 3 }),
    config: swarmConfigArb,
    choices: fc.array(fc.nat({ max: 7 }), { maxLength: 200 }),
  })
  .chain(({ jobCount, sessions, inputs, processCount, config, choices }) =>
    fc
      .tuple(...Array.from({ length: processCount }, (_, i) => holderArb(`p${i}`, i === 0)))
      .map((processes): ChaosPlan => ({
        jobs: JOB_IDS.slice(0, jobCount).map((jobId, i) => ({ jobId, sessionId: sessions[i]!, input: inputs[i]! })),
        processes,
        clockSteps: [],
        choices,
        // Enough attempts that slowness alone never exhausts a job.
        config: { ...config, maxAttempts: Math.max(config.maxAttempts, 4) },
      })),
  );
