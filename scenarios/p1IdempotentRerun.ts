import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { pass } from './steps.ts';

export default scenario({
  id: 'p1-idempotent-rerun',
  title: 'Re-running a complete job changes no byte and no mtime, and logs every stage as skipped',
  proves: 'Phase 1 acceptance: rerun leaves mtimes unchanged, state.json complete/export, "skipped" logged',
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'notes.txt' }],
  steps: [
    pass('first'),
    { mark: 'complete' },
    { advanceMs: 30_000 },
    { spawn: { name: 'rerun', task: { rerun: 'j1' } } },
    pass('second'),
    {
      expect: {
        unchangedSince: { mark: 'complete', jobs: ['j1'] },
        jobs: { j1: { status: 'complete', stage: 'export', attempts: 1 } },
        events: [
          { event: 'stage.skipped', jobId: 'j1', stage: 'transcribe', process: 'rerun', count: 1 },
          { event: 'stage.skipped', jobId: 'j1', stage: 'draft', process: 'rerun', count: 1 },
          { event: 'stage.skipped', jobId: 'j1', stage: 'export', process: 'rerun', count: 1 },
        ],
        noEvents: [
          { event: 'stage.start', process: 'rerun' },
          { event: 'job.started', process: 'second' },
        ],
      },
    },
  ],
});
