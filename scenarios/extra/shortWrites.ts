import { scenario } from '../../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, pass } from '../steps.ts';

export default scenario({
  id: 'short-writes',
  title: 'Every write returns short (at most 37 bytes): artifacts still complete and byte-exact',
  proves: 'writeFileAtomic loops on short writes',
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'notes.txt' }],
  steps: [
    pass('runner', { faults: [{ shortWritesMaxBytes: 37 }] }),
    { expect: { ...CLEAN, jobs: { j1: { status: 'complete' } } } },
  ],
});
