import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { PAST_STALE_MS, PAST_TTL_MS, pass } from './steps.ts';

// Finished jobs, a crashed runner's leftovers, and a queued job: the scheduled pass after the TTL
// purges exactly the finished jobs and the leftovers, keeps the queued job, and reports the counts.
export default scenario({
  id: 'purge-on-schedule',
  title: 'Purge runs from the scheduled pass, removes what is past its TTL, keeps live work, reports counts',
  proves: 'Definition of done: purge runs on schedule and reports counts; storage stays bounded (I5)',
  jobs: [
    { jobId: 'done', sessionId: 's1', input: 'talk.srt' },
    { jobId: 'failed', sessionId: 's2', input: 'song.mp3' },
    { jobId: 'crashed', sessionId: 's3', input: 'notes.txt' },
  ],
  steps: [
    pass('killed', {
      killAt: { afterEvent: { event: 'stage.start', stage: 'transcribe', jobId: 'crashed', callsLater: 2 } },
    }),
    {
      expect: { jobs: { done: { status: 'complete' }, failed: { status: 'failed' }, crashed: { status: 'running' } } },
    },
    { advanceMs: PAST_STALE_MS },
    { spawn: { name: 'purge-early', task: 'purge' } },
    // The dead runner's two locks are reaped: runner.lock by the purger's own acquire, session.lock by
    // the sweep (which is what the report counts). Nothing is past its TTL yet.
    {
      expect: {
        purge: { jobs: 0, sessions: 0, locks: 1 },
        events: [{ event: 'lock.reaped', process: 'purge-early', count: 2 }],
        jobs: { done: { status: 'complete' }, failed: { status: 'failed' } },
      },
    },
    { stepWallClockMs: PAST_TTL_MS },
    pass('scheduled'),
    {
      expect: {
        noTmp: true,
        noLocks: true,
        absent: ['jobs/done', 'jobs/failed', 'sessions/s1', 'sessions/s2'],
        jobs: { crashed: { status: 'complete' } },
        events: [{ event: 'purge.done', process: 'scheduled' }],
      },
    },
    { stepWallClockMs: PAST_TTL_MS },
    { spawn: { name: 'purge-late', task: 'purge' } },
    { expect: { purge: { jobs: 1, sessions: 1, tmp: 0, locks: 0 }, absent: ['jobs/crashed', 'sessions/s3'] } },
  ],
});
