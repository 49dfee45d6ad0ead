import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, pass } from './steps.ts';

export default scenario({
  id: 'p1-no-tmp-after-success',
  title: 'No .tmp- file anywhere after a successful pipeline',
  proves: 'Phase 1 acceptance: no .tmp- files remain after a successful pipeline',
  jobs: [
    { jobId: 'j1', sessionId: 's1', input: 'notes.txt' },
    { jobId: 'j2', sessionId: 's2', input: 'captions.vtt' },
  ],
  steps: [pass('runner'), { expect: { ...CLEAN, jobs: { j1: { status: 'complete' }, j2: { status: 'complete' } } } }],
});
