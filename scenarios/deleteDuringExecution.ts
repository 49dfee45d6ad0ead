import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import type { PausePoint } from '../harness/scenarioRunner/scenarioTypes.ts';
import { pass } from './steps.ts';

// The runner is stopped (SIGSTOP) inside a stage or at a stage boundary; `delete` runs right then
// (started by the runner's own event); the runner resumes and must notice the tombstone before its
// next commit, abort, and leave nothing of the job. Jobs run oldest first, one pause each.
const PAUSE_MS = 5_000;
const gone = (id: string) => [
  `jobs/${id}/input.srt`,
  `jobs/${id}/input.txt`,
  `jobs/${id}/input.vtt`,
  `jobs/${id}/transcript.txt`,
  `jobs/${id}/draft.md`,
  `jobs/${id}/export.html`,
];
const pauses: PausePoint[] = [
  {
    afterEvent: { event: 'stage.start', stage: 'transcribe', jobId: 'in-transcribe', callsLater: 2 },
    durationMs: PAUSE_MS,
  },
  { afterEvent: { event: 'stage.done', stage: 'draft', jobId: 'between' }, durationMs: PAUSE_MS },
  { afterEvent: { event: 'stage.start', stage: 'export', jobId: 'in-export', callsLater: 1 }, durationMs: PAUSE_MS },
];

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
    pass('runner', { pauseAt: pauses }),
    {
      spawn: {
        name: 'delete-1',
        task: { delete: 'in-transcribe' },
        startOnEvent: { event: 'stage.start', stage: 'transcribe', jobId: 'in-transcribe' },
      },
    },
    {
      spawn: {
        name: 'delete-2',
        task: { delete: 'between' },
        startOnEvent: { event: 'stage.done', stage: 'draft', jobId: 'between' },
      },
    },
    {
      spawn: {
        name: 'delete-3',
        task: { delete: 'in-export' },
        startOnEvent: { event: 'stage.start', stage: 'export', jobId: 'in-export' },
      },
    },
    { expect: { jobs: { done: { status: 'complete' } } } },
    { spawn: { name: 'delete-done', task: { delete: 'done' } } },
    pass('runner-2'),
    {
      expect: {
        noTmp: true,
        noLocks: true,
        jobs: {
          queued: { status: 'deleted', stage: 'init' },
          'in-transcribe': { status: 'deleted', stage: 'transcribe' },
          // Aborted before the draft's state write: the job is recorded as deleted at draft.
          between: { status: 'deleted', stage: 'draft' },
          'in-export': { status: 'deleted', stage: 'export' },
          done: { status: 'deleted', stage: 'export' },
        },
        absent: ['queued', 'in-transcribe', 'between', 'in-export', 'done'].flatMap(gone),
        events: [
          { event: 'job.aborted', jobId: 'in-transcribe', process: 'runner' },
          { event: 'job.aborted', jobId: 'between', process: 'runner' },
          { event: 'job.aborted', jobId: 'in-export', process: 'runner' },
          { event: 'job.deleted', count: 5 },
        ],
        noEvents: [
          { event: 'job.complete', jobId: 'in-export' },
          { event: 'stage.start', jobId: 'queued' },
          { event: 'stage.start', jobId: 'between', stage: 'export' },
        ],
        invariants: ['I2'],
      },
    },
  ],
});
