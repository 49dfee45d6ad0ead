import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, SIM_CONFIG } from './steps.ts';

/** The taker starts 15 s past the stale bound; the owner stays paused twice as long. */
const TAKER_STARTS_MS = SIM_CONFIG.staleAfterMs + 15_000;

// The owner is stopped (SIGSTOP, or a long GC pause) in the middle of the draft stage for longer than
// the stale bound. A second runner takes the lock over and finishes the job. When the first resumes,
// its next commit must fail: its work directory was renamed away (the fence).
export default scenario({
  id: 'paused-owner-fenced',
  title: 'Owner paused past the stale bound, lock taken over, owner resumes: it commits nothing',
  proves: 'Fencing: a taken-over owner never commits (I4)',
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'notes.txt' }],
  steps: [
    {
      spawn: {
        name: 'paused',
        task: 'pass',
        pauseAt: {
          afterEvent: { event: 'stage.start', stage: 'draft', jobId: 'j1', callsLater: 3 },
          durationMs: 2 * TAKER_STARTS_MS,
        },
      },
    },
    { spawn: { name: 'taker', task: 'pass', startAfterMs: TAKER_STARTS_MS } },
    {
      expect: {
        ...CLEAN,
        jobs: { j1: { status: 'complete', attempts: 2 } },
        events: [
          { event: 'job.complete', jobId: 'j1', process: 'taker', count: 1 },
          { event: 'job.aborted', jobId: 'j1', process: 'paused', count: 1 },
          { event: 'lock.lost', process: 'paused' },
        ],
        noEvents: [
          { event: 'job.complete', process: 'paused' },
          { event: 'stage.done', process: 'paused', stage: 'draft' },
        ],
      },
    },
  ],
});
