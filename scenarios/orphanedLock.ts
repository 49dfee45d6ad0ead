import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, pass } from './steps.ts';

export default scenario({
  id: 'orphaned-lock',
  title: 'runner.lock and session.lock left by a killed runner: the next pass takes both over and finishes',
  proves: 'Failure mode "lock orphaned due to unexpected exit": every exit path recovers',
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }],
  steps: [
    pass('killed', { killAt: { afterEvent: { event: 'stage.start', stage: 'draft', jobId: 'j1', callsLater: 2 } } }),
    { expect: { jobs: { j1: { status: 'running', stage: 'draft' } } } },
    // No clock advance: the owner's pid is dead on this host, which makes its locks stale at once.
    pass('next'),
    {
      expect: {
        ...CLEAN,
        jobs: { j1: { status: 'complete' } },
        events: [
          { event: 'lock.reaped', process: 'next', count: 2 },
          { event: 'job.complete', jobId: 'j1', process: 'next' },
        ],
      },
    },
  ],
});
