import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, PAST_STALE_MS, pass } from './steps.ts';

export default scenario({
  id: 'partial-artifact-present',
  title: 'Transcript present, draft missing: only the incomplete stages run again',
  proves: 'Failure mode "partial artifact present": idempotent stages skip what is complete',
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'notes.txt' }],
  steps: [
    pass('stops-after-transcribe', { killAt: { afterEvent: { event: 'stage.start', stage: 'draft', jobId: 'j1' } } }),
    { mark: 'transcribed' },
    { expect: { jobs: { j1: { status: 'running', stage: 'draft' } }, absent: ['jobs/j1/draft.md'] } },
    { advanceMs: PAST_STALE_MS },
    pass('resumes'),
    {
      expect: {
        ...CLEAN,
        jobs: { j1: { status: 'complete', stage: 'export', attempts: 2 } },
        events: [
          { event: 'stage.skipped', jobId: 'j1', stage: 'transcribe', process: 'resumes', count: 1 },
          { event: 'stage.start', jobId: 'j1', stage: 'draft', process: 'resumes', count: 1 },
          { event: 'stage.start', jobId: 'j1', stage: 'export', process: 'resumes', count: 1 },
        ],
        noEvents: [{ event: 'stage.start', stage: 'transcribe', process: 'resumes' }],
      },
    },
  ],
});
