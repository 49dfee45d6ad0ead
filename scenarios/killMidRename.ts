import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, pass, recover } from './steps.ts';

export default scenario({
  id: 'kill-mid-rename',
  title: 'Runner killed just before and just after every rename of a pipeline',
  proves: 'Atomic commit: every rename is a safe crash point; recovery converges to the golden artifacts',
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }],
  sweep: { process: 'victim', op: 'rename', when: ['before', 'after'] },
  steps: [
    pass('victim'),
    { expect: { invariants: ['I2', 'I6'] } },
    ...recover('recovery'),
    { expect: { ...CLEAN, jobs: { j1: { status: 'complete', stage: 'export' } }, invariants: ['I3'] } },
  ],
});
