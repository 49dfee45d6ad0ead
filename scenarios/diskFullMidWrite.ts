import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, PAST_BACKOFF_MS, pass } from './steps.ts';

// The quota lets the locks and the first state writes through and runs out inside an artifact write:
// the file system accepts a short write, then ENOSPC.
export default scenario({
  id: 'disk-full-mid-write',
  title: 'ENOSPC in the middle of a write: loud transient failure, no partial final file, retry after space frees',
  proves: 'Failure mode "disk full mid-write": temp first, atomic rename, fail loudly',
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'notes.txt' }],
  steps: [
    pass('disk-full', { faults: [{ diskQuotaBytes: 6_000 }] }),
    {
      expect: {
        noTmp: true,
        noLocks: true,
        // The failure itself cannot be recorded on a full disk: state.json keeps the attempt as running
        // (the next pass counts it as interrupted), and the failure is reported loudly in the log.
        jobs: { j1: { status: 'running', stage: 'transcribe', attempts: 1 } },
        events: [{ event: 'job.retry_scheduled', jobId: 'j1' }],
        absent: ['jobs/j1/transcript.txt', 'jobs/j1/draft.md', 'jobs/j1/export.html'],
        invariants: ['I2'],
      },
    },
    { freeDisk: true },
    { advanceMs: PAST_BACKOFF_MS },
    pass('after-space-freed'),
    {
      expect: {
        ...CLEAN,
        jobs: { j1: { status: 'complete', attempts: 2, errorKind: null } },
        events: [{ event: 'stage.start', jobId: 'j1', stage: 'transcribe', process: 'after-space-freed', count: 1 }],
      },
    },
  ],
});
