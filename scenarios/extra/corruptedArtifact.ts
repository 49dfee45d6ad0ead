import { scenario } from '../../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, pass } from '../steps.ts';

// A complete job's draft is truncated behind the runtime's back (disk corruption, a foreign tool).
// Re-running the job must notice (size and CRC recorded in state.json), redo draft and export, and
// end byte-equal to the fault-free run; an empty draft likewise.
export default scenario({
  id: 'corrupted-artifact',
  title: 'A torn or emptied artifact of a complete job is redone on rerun, never trusted',
  proves: 'Stage skip checks the recorded size and CRC, not mere existence',
  jobs: [
    { jobId: 'torn', sessionId: 's1', input: 'notes.txt' },
    { jobId: 'emptied', sessionId: 's2', input: 'talk.srt' },
  ],
  steps: [
    pass('first'),
    { corrupt: { path: 'jobs/torn/draft.md', keepBytes: 100 } },
    { corrupt: { path: 'jobs/emptied/export.html', keepBytes: 0 } },
    { spawn: { name: 'rerun-torn', task: { rerun: 'torn' } } },
    { spawn: { name: 'rerun-emptied', task: { rerun: 'emptied' } } },
    {
      expect: {
        ...CLEAN,
        jobs: { torn: { status: 'complete' }, emptied: { status: 'complete' } },
        events: [
          { event: 'stage.start', jobId: 'torn', stage: 'draft', process: 'rerun-torn' },
          { event: 'stage.start', jobId: 'emptied', stage: 'export', process: 'rerun-emptied' },
        ],
      },
    },
  ],
});
