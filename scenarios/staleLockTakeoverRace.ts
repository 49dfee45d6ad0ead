import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN } from './steps.ts';

// A runner dies holding the session lock; three workers race to take it over at once. The retire
// step (rename of the dead owner's work directory) lets exactly one of them win; I4 checks that no
// other one ever commits.
export default scenario({
  id: 'stale-lock-takeover-race',
  title: 'Three takers race for one stale session lock: exactly one wins, nobody else commits',
  proves: 'Race-free stale takeover (the proper-lockfile stat → rmdir → mkdir race cannot happen)',
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'notes.txt' }],
  steps: [
    {
      spawn: {
        name: 'dies',
        task: 'dueJobs',
        killAt: { afterEvent: { event: 'stage.start', stage: 'draft', jobId: 'j1', callsLater: 2 } },
      },
    },
    { expect: { jobs: { j1: { status: 'running', stage: 'draft' } } } },
    { spawn: { name: 'taker-a', task: 'dueJobs' } },
    { spawn: { name: 'taker-b', task: 'dueJobs' } },
    { spawn: { name: 'taker-c', task: 'dueJobs' } },
    {
      expect: {
        ...CLEAN,
        jobs: { j1: { status: 'complete', attempts: 2 } },
        events: [
          { event: 'lock.reaped', count: 1 },
          { event: 'job.complete', jobId: 'j1', count: 1 },
          { event: 'stage.start', jobId: 'j1', stage: 'export', count: 1 },
        ],
      },
    },
  ],
});
