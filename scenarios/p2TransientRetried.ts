import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, PAST_BACKOFF_MS, pass } from './steps.ts';

export default scenario({
  id: 'p2-transient-retried',
  title: 'Forced transient failures (HTTP 503, 429 with Retry-After, timeout) are retried on a later pass and succeed',
  proves: 'Phase 2 acceptance: forced transient failure → job retried successfully on next runner pass',
  jobs: [
    { jobId: 'j503', sessionId: 's1', input: 'talk.srt' },
    { jobId: 'j429', sessionId: 's2', input: 'captions.vtt' },
  ],
  steps: [
    pass('first', {
      upstream: [
        { stage: 'draft', kind: 'transient' },
        { stage: 'export', kind: 'rate-limited', retryAfterMs: 30_000 },
      ],
    }),
    {
      expect: {
        noTmp: true,
        noLocks: true,
        jobs: {
          j503: { status: 'queued', stage: 'draft', attempts: 1, errorKind: 'transient', errorMatches: '503' },
          j429: { status: 'queued', stage: 'export', attempts: 1, errorKind: 'transient', errorMatches: '429' },
        },
        events: [
          { event: 'job.retry_scheduled', jobId: 'j503' },
          { event: 'job.retry_scheduled', jobId: 'j429' },
        ],
      },
    },
    // Not yet due: a pass right away leaves the rate-limited job alone (its Retry-After is a floor of
    // 30 s). The 503's delay is full jitter in [0, base): it may be due at once, and starting it then
    // is correct (I7 judges every start against its nextAttemptAt, whatever the seed draws).
    pass('too-early'),
    { expect: { noEvents: [{ event: 'job.started', process: 'too-early', jobId: 'j429' }] } },
    { advanceMs: PAST_BACKOFF_MS },
    pass('retry', { upstream: [{ stage: 'transcribe', kind: 'timeout', times: 0 }] }),
    {
      expect: {
        ...CLEAN,
        jobs: {
          j503: { status: 'complete', attempts: 2, errorKind: null },
          j429: { status: 'complete', attempts: 2, errorKind: null },
        },
        events: [
          { event: 'stage.skipped', jobId: 'j503', stage: 'transcribe' },
          { event: 'stage.skipped', jobId: 'j429', stage: 'draft', process: 'retry' },
        ],
      },
    },
  ],
});
