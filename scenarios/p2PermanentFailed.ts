import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { PAST_BACKOFF_MS, pass } from './steps.ts';

export default scenario({
  id: 'p2-permanent-failed',
  title: 'Forced permanent failures (HTTP 400, undecodable input) fail the job once with a useful error, never retried',
  proves: 'Phase 2 acceptance: forced permanent failure → job marked failed with useful error; not auto-retried',
  jobs: [
    { jobId: 'j400', sessionId: 's1', input: 'talk.srt' },
    { jobId: 'jbad', sessionId: 's2', input: 'notes.txt' },
  ],
  steps: [
    pass('first', {
      upstream: [
        { stage: 'draft', jobId: 'j400', kind: 'permanent' },
        { stage: 'transcribe', jobId: 'jbad', kind: 'invalid-input' },
      ],
    }),
    { advanceMs: PAST_BACKOFF_MS },
    pass('second'),
    { advanceMs: PAST_BACKOFF_MS },
    pass('third'),
    {
      expect: {
        noTmp: true,
        noLocks: true,
        jobs: {
          j400: { status: 'failed', stage: 'draft', attempts: 1, errorKind: 'permanent', errorMatches: 'HTTP 400' },
          jbad: {
            status: 'failed',
            stage: 'transcribe',
            attempts: 1,
            errorKind: 'permanent',
            errorMatches: 'invalid audio',
          },
        },
        events: [
          { event: 'job.failed', jobId: 'j400', count: 1 },
          { event: 'job.failed', jobId: 'jbad', count: 1 },
        ],
        noEvents: [
          { event: 'job.retry_scheduled' },
          { event: 'job.started', process: 'second' },
          { event: 'job.started', process: 'third' },
        ],
      },
    },
  ],
});
