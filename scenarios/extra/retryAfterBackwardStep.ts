import { scenario } from '../../harness/scenarioRunner/scenarioTypes.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { CLEAN, pass } from '../steps.ts';

const config = simConfig();

// A job scheduled for retry, then the wall clock steps back by half an hour (an NTP correction): its
// nextAttemptAt now lies far ahead, further than any backoff could put it. The retry must stay live:
// the job is due again within the backoff cap, not stuck for the size of the step.
export default scenario({
  id: 'retry-after-backward-step',
  title: 'A retry scheduled before a backward clock step still runs within the backoff cap',
  proves: 'retries stay live after backward clock steps (isDue treats a retry time beyond the cap as due)',
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }],
  steps: [
    pass('first', { upstream: [{ stage: 'draft', kind: 'transient' }] }),
    { expect: { jobs: { j1: { status: 'queued', stage: 'draft', attempts: 1, errorKind: 'transient' } } } },
    { stepWallClockMs: -30 * 60_000 },
    { advanceMs: config.backoffCapMs + 1 },
    pass('after-step'),
    { expect: { ...CLEAN, jobs: { j1: { status: 'complete', attempts: 2, errorKind: null } } } },
  ],
});
