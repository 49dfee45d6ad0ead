import { scenario } from '../../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, PAST_BACKOFF_MS, pass } from '../steps.ts';

// fsync fails once with EIO and the kernel drops the dirty pages (Linux, "fsyncgate"). The write
// must fail (transient) and be written again from the runtime's own copy, never retried-and-trusted.
export default scenario({
  id: 'fsync-eio',
  title: 'fsync EIO drops the data: the write fails and is redone, never trusted',
  proves: 'A failed fsync is a failed write',
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }],
  steps: [
    pass('eio', { faults: [{ fsyncEio: { nth: 3 } }] }),
    { advanceMs: PAST_BACKOFF_MS },
    pass('retry'),
    {
      expect: {
        ...CLEAN,
        jobs: { j1: { status: 'complete', attempts: 2 } },
        events: [{ event: 'job.retry_scheduled', jobId: 'j1', count: 1 }],
      },
    },
  ],
});
