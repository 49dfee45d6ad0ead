import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { pass } from './steps.ts';

export default scenario({
  id: 'p3-delete-mid-pipeline',
  title: 'Delete a job mid-pipeline: the runner aborts cleanly and no artifact of the job remains',
  proves: 'Phase 3 acceptance: delete a job mid-pipeline → pipeline aborts cleanly, no orphan artifacts',
  jobs: [
    { jobId: 'victim', sessionId: 's1', input: 'notes.txt' },
    { jobId: 'bystander', sessionId: 's1', input: 'talk.srt' },
  ],
  steps: [
    pass('runner', {
      pauseAt: {
        afterEvent: { event: 'stage.start', stage: 'draft', jobId: 'victim', callsLater: 3 },
        durationMs: 10_000,
      },
    }),
    { spawn: { name: 'delete', task: { delete: 'victim' }, startAfterMs: 2_000 } },
    {
      expect: {
        noTmp: true,
        noLocks: true,
        jobs: { victim: { status: 'deleted', stage: 'draft' }, bystander: { status: 'complete' } },
        absent: [
          'jobs/victim/input.txt',
          'jobs/victim/transcript.txt',
          'jobs/victim/draft.md',
          'jobs/victim/export.html',
        ],
        events: [
          { event: 'job.aborted', jobId: 'victim', process: 'runner' },
          { event: 'job.deleted', jobId: 'victim', count: 1 },
          { event: 'job.complete', jobId: 'bystander' },
        ],
        noEvents: [{ event: 'stage.start', jobId: 'victim', stage: 'export' }],
        goldenArtifacts: true,
      },
    },
  ],
});
