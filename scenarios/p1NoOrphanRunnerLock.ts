import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { pass } from './steps.ts';

export default scenario({
  id: 'p1-no-orphan-runner-lock',
  title: 'No runner.lock after a pass that succeeds, one that fails a job, and one that deletes a job mid-run',
  proves: 'Phase 1 acceptance: no orphan runner.lock after any exit path (success / failure / deletion)',
  jobs: [
    { jobId: 'ok', sessionId: 's1', input: 'talk.srt' },
    { jobId: 'bad', sessionId: 's2', input: 'song.mp3' },
    { jobId: 'gone', sessionId: 's3', input: 'notes.txt' },
  ],
  steps: [
    pass('pass-1', {
      pauseAt: { afterEvent: { event: 'stage.start', stage: 'draft', jobId: 'gone' }, durationMs: 5_000 },
    }),
    { spawn: { name: 'delete', task: { delete: 'gone' }, startAfterMs: 100 } },
    {
      expect: {
        absent: ['runner.lock', 'sessions/s1/session.lock', 'sessions/s2/session.lock', 'sessions/s3/session.lock'],
        noTmp: true,
      },
    },
    pass('pass-2'),
    {
      expect: {
        absent: ['runner.lock'],
        noLocks: true,
        jobs: { ok: { status: 'complete' }, bad: { status: 'failed' }, gone: { status: 'deleted' } },
        events: [
          { event: 'lock.released', process: 'pass-1' },
          { event: 'lock.released', process: 'pass-2' },
        ],
      },
    },
  ],
});
