import { scenario } from '../../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, pass } from '../steps.ts';

// The session transcript disappears (purged by hand, restored from an old backup...). Transcribe is
// skipped only when both the job's and the session's transcript exist, so a rerun writes it again.
export default scenario({
  id: 'session-transcript-lost',
  title: 'Session transcript gone: the rerun transcribes again instead of trusting the job transcript alone',
  proves: "The plan's consistency guard: transcript skip requires job AND session transcript",
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }],
  steps: [
    pass('first'),
    { remove: 'sessions/s1/transcript.txt' },
    { spawn: { name: 'rerun', task: { rerun: 'j1' } } },
    {
      expect: {
        ...CLEAN,
        present: ['sessions/s1/transcript.txt'],
        events: [{ event: 'stage.start', jobId: 'j1', stage: 'transcribe', process: 'rerun' }],
      },
    },
  ],
});
