import { scenario } from '../../harness/scenarioRunner/scenarioTypes.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { pass } from '../steps.ts';

const config = simConfig();
const retryPass = (name: string) => [
  { advanceMs: config.backoffCapMs + 1 },
  pass(name, { upstream: [{ stage: 'draft' as const, kind: 'transient' as const }] }),
];

// A transient fault on every attempt: the job is retried with backoff until exactly maxAttempts
// attempts were made, then fails as exhausted. Every scheduled delay is judged against the backoff
// model (I7), and the count of attempts exactly.
export default scenario({
  id: 'attempts-exhausted-exactly',
  title:
    'A job failing transiently on every attempt is retried maxAttempts times with bounded ' +
    'backoff, then fails as exhausted',
  proves: 'Phase 2: transient → nextAttemptAt by exponential backoff with full jitter; after maxAttempts → failed',
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }],
  steps: [
    pass('attempt-1', { upstream: [{ stage: 'draft', kind: 'transient' }] }),
    ...retryPass('attempt-2'),
    ...retryPass('attempt-3'),
    ...retryPass(`attempt-${config.maxAttempts}`),
    {
      expect: {
        noTmp: true,
        noLocks: true,
        jobs: { j1: { status: 'failed', attempts: config.maxAttempts, errorMatches: 'attempts exhausted' } },
      },
    },
  ],
});
