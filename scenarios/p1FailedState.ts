import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { pass } from './steps.ts';

export default scenario({
  id: 'p1-failed-state',
  title: 'A failed pipeline leaves state.json failed with the error name, message, kind and stage',
  proves: 'Phase 1 acceptance: failed pipeline shows failed with error details',
  jobs: [{ jobId: 'mp3', sessionId: 's1', input: 'song.mp3' }],
  steps: [
    pass('runner'),
    {
      expect: {
        noTmp: true,
        noLocks: true,
        jobs: {
          mp3: {
            status: 'failed',
            stage: 'transcribe',
            attempts: 1,
            errorKind: 'permanent',
            errorMatches: 'invalid audio: unsupported input type "\\.mp3"',
          },
        },
        events: [{ event: 'job.failed', jobId: 'mp3', stage: 'transcribe' }],
        absent: ['jobs/mp3/transcript.txt'],
      },
    },
  ],
});
