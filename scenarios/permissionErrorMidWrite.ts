import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { PAST_BACKOFF_MS, pass } from './steps.ts';

export default scenario({
  id: 'permission-error-mid-write',
  title: 'EACCES on the draft commit and EROFS on the export commit: permanent failures, nothing partial',
  proves: 'Failure mode "permission errors mid-write": fail loudly, permanently, with no partial output',
  jobs: [
    { jobId: 'j1', sessionId: 's1', input: 'talk.srt' },
    { jobId: 'j2', sessionId: 's2', input: 'captions.vtt' },
  ],
  steps: [
    pass('denied', {
      faults: [
        { errno: 'EACCES', trigger: { op: 'rename', pathIncludes: 'j1/draft.md' } },
        { errno: 'EROFS', trigger: { op: 'rename', pathIncludes: 'j2/export.html' } },
      ],
    }),
    { advanceMs: PAST_BACKOFF_MS },
    pass('later'),
    {
      expect: {
        noTmp: true,
        noLocks: true,
        jobs: {
          j1: { status: 'failed', stage: 'draft', attempts: 1, errorKind: 'permanent', errorMatches: 'EACCES' },
          j2: { status: 'failed', stage: 'export', attempts: 1, errorKind: 'permanent', errorMatches: 'EROFS' },
        },
        absent: ['jobs/j1/draft.md', 'jobs/j1/export.html', 'jobs/j2/export.html'],
        noEvents: [{ event: 'job.retry_scheduled' }, { event: 'job.started', process: 'later' }],
        invariants: ['I2'],
      },
    },
  ],
});
