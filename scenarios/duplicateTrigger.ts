import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, PAST_BACKOFF_MS, pass } from './steps.ts';

export default scenario({
  id: 'duplicate-trigger',
  title: 'Scheduler retry and a manual retrigger while a pass runs: each stage runs once',
  proves: 'Failure mode "duplicate run triggered by scheduler retry / manual retrigger": lock + idempotent skip',
  jobs: [
    { jobId: 'j1', sessionId: 's1', input: 'notes.txt' },
    { jobId: 'j2', sessionId: 's1', input: 'talk.srt' },
  ],
  steps: [
    pass('cron'),
    pass('cron-retry', { startAfterMs: 3 }),
    { spawn: { name: 'manual-rerun', task: { rerun: 'j1' }, startAfterMs: 40 } },
    { spawn: { name: 'worker', task: 'dueJobs', startAfterMs: 60 } },
    // Whoever finds s1 busy defers j2 rather than wait: the next scheduled pass runs it.
    { advanceMs: PAST_BACKOFF_MS },
    pass('next-cron'),
    {
      expect: {
        ...CLEAN,
        jobs: { j1: { status: 'complete', attempts: 1 }, j2: { status: 'complete', attempts: 1 } },
        events: [
          { event: 'stage.start', jobId: 'j1', stage: 'transcribe', count: 1 },
          { event: 'stage.start', jobId: 'j1', stage: 'export', count: 1 },
          { event: 'stage.start', jobId: 'j2', stage: 'draft', count: 1 },
          { event: 'job.complete', jobId: 'j1', count: 1 },
          { event: 'job.complete', jobId: 'j2', count: 1 },
        ],
      },
    },
  ],
});
