import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, PAST_TTL_MS, pass } from './steps.ts';

// The wall clock steps back a day while a runner holds its locks (paused briefly): a second runner
// must still see the lock as live (a heartbeat "in the future" is fresh). Purge after the backward
// step must keep the fresh complete job. A forward step past the TTL then purges it, as it should.
export default scenario({
  id: 'clock-jumps',
  title: 'Wall clock steps backwards and forwards: no live lock stolen, no fresh work purged',
  proves: 'Time-based decisions survive wall-clock steps (staleness, TTL, backoff)',
  jobs: [
    { jobId: 'j1', sessionId: 's1', input: 'notes.txt' },
    { jobId: 'j2', sessionId: 's2', input: 'talk.srt' },
  ],
  steps: [
    pass('holder', {
      pauseAt: { afterEvent: { event: 'stage.start', stage: 'draft', jobId: 'j1' }, durationMs: 20_000 },
    }),
    { spawn: { name: 'intruder', task: 'dueJobs', startAfterMs: 5_000 } },
    { spawn: { name: 'intruder-pass', task: 'pass', startAfterMs: 5_001 } },
    {
      expect: {
        jobs: { j1: { status: 'complete', attempts: 1 }, j2: { status: 'complete', attempts: 1 } },
        noEvents: [{ event: 'lock.reaped' }, { event: 'lock.lost' }],
      },
    },
    { stepWallClockMs: -24 * 3_600_000 },
    pass('after-backward-step'),
    { expect: { jobs: { j1: { status: 'complete' }, j2: { status: 'complete' } }, ...CLEAN } },
    { stepWallClockMs: 24 * 3_600_000 + PAST_TTL_MS },
    { spawn: { name: 'purge', task: 'purge' } },
    { expect: { purge: { jobs: 2, sessions: 2, tmp: 0, locks: 0 }, absent: ['jobs/j1', 'jobs/j2', 'sessions/s1'] } },
  ],
});
