import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, pass } from './steps.ts';

export default scenario({
  id: 'p2-manual-retry-resumes',
  title: 'Manual retry of a failed job resumes from the failed stage, skipping completed ones',
  proves: 'Phase 2 acceptance: manual retry on failed job → pipeline resumes from failed stage',
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'notes.txt' }],
  steps: [
    pass('fails', { upstream: [{ stage: 'export', kind: 'permanent' }] }),
    { mark: 'failed' },
    { expect: { jobs: { j1: { status: 'failed', stage: 'export', attempts: 1 } } } },
    { spawn: { name: 'retry-running-job', task: { retry: 'j1' } } },
    { spawn: { name: 'retry-again', task: { retry: 'j1' }, startAfterMs: 500 } },
    {
      expect: {
        jobs: { j1: { status: 'queued', attempts: 0, errorKind: null } },
        processes: { 'retry-again': 'JobNotFailedError: job j1 is queued, not failed' },
      },
    },
    pass('resumes'),
    {
      expect: {
        ...CLEAN,
        jobs: { j1: { status: 'complete', stage: 'export', attempts: 1, errorKind: null } },
        events: [
          { event: 'stage.skipped', jobId: 'j1', stage: 'transcribe', process: 'resumes', count: 1 },
          { event: 'stage.skipped', jobId: 'j1', stage: 'draft', process: 'resumes', count: 1 },
          { event: 'stage.start', jobId: 'j1', stage: 'export', process: 'resumes', count: 1 },
          { event: 'job.requeued', jobId: 'j1', count: 1 },
        ],
      },
    },
  ],
});
