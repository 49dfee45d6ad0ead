import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, pass } from './steps.ts';

// Two cron passes at once, plus two workers that skip runner.lock altogether, so that the session
// lock alone must keep them apart. I4 watches every commit of every interleaving.
const jobs = Array.from({ length: 8 }, (_, i) => ({
  jobId: `j${i}`,
  sessionId: `s${i % 3}`,
  input: (['talk.srt', 'captions.vtt', 'short.txt'] as const)[i % 3]!,
}));

export default scenario({
  id: 'p3-concurrent-runners',
  title: 'Two runner invocations (and two lock-only workers) at once: only one processes a given session',
  proves: 'Phase 3 acceptance: two runner invocations concurrently → only one processes a given session',
  jobs,
  steps: [
    pass('cron-a', { concurrency: 3 }),
    pass('cron-b', { concurrency: 2 }),
    { spawn: { name: 'worker-a', task: 'dueJobs', concurrency: 3 } },
    { spawn: { name: 'worker-b', task: 'dueJobs', startAfterMs: 2 } },
    {
      expect: {
        ...CLEAN,
        jobs: Object.fromEntries(jobs.map((j) => [j.jobId, { status: 'complete' as const, attempts: 1 }])),
        events: jobs.flatMap((j) => [
          { event: 'stage.start' as const, jobId: j.jobId, stage: 'transcribe', count: 1 },
          { event: 'job.complete' as const, jobId: j.jobId, count: 1 },
        ]),
      },
    },
  ],
});
