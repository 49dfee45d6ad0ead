import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, pass, recover } from './steps.ts';

// Swept over every call of the pass: the machine loses power there (pessimistic POSIX model: only
// what fsync made durable survives), then reboots and recovers. Every job acknowledged before the
// power loss must still be complete with its artifacts (I6); every final file must be whole (I2).
export default scenario({
  id: 'power-loss-after-ack',
  title: 'Power loss at every point of a pass: nothing acknowledged complete is lost',
  proves: 'Acknowledged means durable (I6) under the pessimistic power-loss model',
  jobs: [
    { jobId: 'j1', sessionId: 's1', input: 'talk.srt' },
    { jobId: 'j2', sessionId: 's2', input: 'captions.vtt' },
  ],
  sweep: { process: 'victim', when: ['before'] },
  steps: [
    pass('victim'),
    { powerLoss: 'pessimistic' },
    { expect: { invariants: ['I2', 'I6'] } },
    ...recover('after-reboot'),
    { expect: { ...CLEAN, jobs: { j1: { status: 'complete' }, j2: { status: 'complete' } }, invariants: ['I3'] } },
  ],
});
