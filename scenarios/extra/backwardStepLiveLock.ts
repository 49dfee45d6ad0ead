import { scenario } from '../../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, pass } from '../steps.ts';

// The wall clock steps back half an hour while a runner holds a session lock in the middle of a slow
// stage; a second runner arrives. The owner's heartbeat now lies in the future: it is fresh, and the
// second runner must find the session busy, never take the lock over (I4 judges every retirement).
export default scenario({
  id: 'backward-step-live-lock',
  title: 'A backward clock step while a lock is held never makes the live owner look stale',
  proves: 'clock jumps: no live lock stolen when time goes backwards mid-run',
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }],
  steps: [
    pass('owner', { faults: [{ slowMs: 40_000, trigger: { op: 'readFile', pathIncludes: 'input.srt' } }] }),
    { stepWallClockMs: -30 * 60_000, atMs: 10_000 },
    { spawn: { name: 'second', task: 'dueJobs', startAfterMs: 20_000 } },
    {
      expect: {
        ...CLEAN,
        jobs: { j1: { status: 'complete', attempts: 1 } },
        events: [{ event: 'lock.busy', process: 'second' }],
        noEvents: [{ event: 'lock.reaped' }, { event: 'job.started', process: 'second' }],
      },
    },
  ],
});
