import { scenario } from '../harness/scenarios/scenarioTypes.ts';
import { pass } from './steps.ts';

// Each runner is stopped (SIGSTOP) at a stage boundary or inside a stage while `delete` runs, then
// resumes: it must notice the tombstone before its next commit, abort, and leave nothing of the job.
const PAUSE_MS = 5_000;
const gone = (id: string) => [`jobs/${id}/input.srt`, `jobs/${id}/input.txt`, `jobs/${id}/input.vtt`, `jobs/${id}/transcript.txt`, `jobs/${id}/draft.md`, `jobs/${id}/export.html`];

export default scenario({
  id: 'delete-during-execution',
  title: 'Delete while queued, during transcribe, between draft and export, during export, and after completion',
  proves: 'Failure mode "job deleted during execution": deletion flag checked between stages, clean abort',
  jobs: [
    { jobId: 'queued', sessionId: 's0', input: 'talk.srt' },
    { jobId: 'in-transcribe', sessionId: 's1', input: 'notes.txt' },
    { jobId: 'between', sessionId: 's2', input: 'talk.srt' },
    { jobId: 'in-export', sessionId: 's3', input: 'captions.vtt' },
    { jobId: 'done', sessionId: 's4', input: 'talk.srt' },
  ],
  steps: [
    { spawn: { name: 'delete-queued', task: { delete: 'queued' } } },
    pass('runner-1', { pauseAt: { afterEvent: { event: 'stage.start', stage: 'transcribe', jobId: 'in-transcribe', callsLater: 2 }, durationMs: PAUSE_MS } }),
    { spawn: { name: 'delete-1', task: { delete: 'in-transcribe' }, startAfterMs: 1_000 } },
    pass('runner-2', { pauseAt: { afterEvent: { event: 'stage.done', stage: 'draft', jobId: 'between' }, durationMs: PAUSE_MS }, startAfterMs: 20_000 }),
    { spawn: { name: 'delete-2', task: { delete: 'between' }, startAfterMs: 21_000 } },
    pass('runner-3', { pauseAt: { afterEvent: { event: 'stage.start', stage: 'export', jobId: 'in-export', callsLater: 1 }, durationMs: PAUSE_MS }, startAfterMs: 40_000 }),
    { spawn: { name: 'delete-3', task: { delete: 'in-export' }, startAfterMs: 41_000 } },
    { spawn: { name: 'delete-done', task: { delete: 'done' }, startAfterMs: 60_000 } },
    pass('runner-4', { startAfterMs: 61_000 }),
    {
      expect: {
        noTmp: true,
        noLocks: true,
        jobs: {
          queued: { status: 'deleted' },
          'in-transcribe': { status: 'deleted', stage: 'transcribe' },
          between: { status: 'deleted' },
          'in-export': { status: 'deleted', stage: 'export' },
          done: { status: 'deleted', stage: 'export' },
        },
        absent: ['queued', 'in-transcribe', 'between', 'in-export', 'done'].flatMap(gone),
        events: [
          { event: 'job.aborted', jobId: 'in-transcribe', process: 'runner-1' },
          { event: 'job.aborted', jobId: 'between', process: 'runner-2' },
          { event: 'job.aborted', jobId: 'in-export', process: 'runner-3' },
          { event: 'job.deleted', count: 5 },
        ],
        noEvents: [{ event: 'job.complete', jobId: 'in-export' }, { event: 'stage.start', jobId: 'queued' }],
        invariants: ['I2'],
      },
    },
  ],
});
