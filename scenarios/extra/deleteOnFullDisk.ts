import { scenario } from '../../harness/scenarioRunner/scenarioTypes.ts';
import { pass } from '../steps.ts';

// `delete` cannot even write its tombstone on a full disk: it must fail loudly, leave no tmp file,
// and leave the job exactly as it was; deleting again once space is free works.
export default scenario({
  id: 'delete-on-full-disk',
  title: 'Delete on a full disk fails loudly, leaves no tmp file, and works once space frees',
  proves: 'Every failed write removes its tmp file',
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }],
  steps: [
    pass('runner'),
    { spawn: { name: 'delete-full', task: { delete: 'j1' }, faults: [{ diskQuotaBytes: 10 }] } },
    {
      expect: {
        noTmp: true,
        jobs: { j1: { status: 'complete' } },
        goldenArtifacts: true,
        processes: { 'delete-full': 'ENOSPC' },
      },
    },
    { freeDisk: true },
    { spawn: { name: 'delete', task: { delete: 'j1' } } },
    { expect: { noTmp: true, noLocks: true, jobs: { j1: { status: 'deleted' } } } },
  ],
});
