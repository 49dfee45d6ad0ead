import { scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, PAST_STALE_MS, pass } from './steps.ts';

export default scenario({
  id: 'crash-during-stage',
  title: 'Runner killed inside transcribe, draft and export; each next run cleans up and completes',
  proves: 'Failure mode "process crash during stage": temp files cleaned, attempt recorded, next run retries',
  jobs: [
    { jobId: 'j1', sessionId: 's1', input: 'notes.txt' },
    { jobId: 'j2', sessionId: 's2', input: 'talk.srt' },
    { jobId: 'j3', sessionId: 's3', input: 'captions.vtt' },
  ],
  steps: [
    pass('killed-in-transcribe', {
      killAt: { afterEvent: { event: 'stage.start', stage: 'transcribe', jobId: 'j1', callsLater: 3 } },
    }),
    { expect: { jobs: { j1: { status: 'running', stage: 'transcribe', attempts: 1 } } } },
    { advanceMs: PAST_STALE_MS },
    pass('killed-in-draft', {
      killAt: { afterEvent: { event: 'stage.start', stage: 'draft', jobId: 'j2', callsLater: 4 } },
    }),
    {
      expect: {
        jobs: { j1: { status: 'complete', attempts: 2 }, j2: { status: 'running', stage: 'draft', attempts: 1 } },
      },
    },
    { advanceMs: PAST_STALE_MS },
    pass('killed-in-export', {
      killAt: { afterEvent: { event: 'stage.start', stage: 'export', jobId: 'j3', callsLater: 5 } },
    }),
    { advanceMs: PAST_STALE_MS },
    pass('recovery'),
    {
      expect: {
        ...CLEAN,
        jobs: {
          j1: { status: 'complete', attempts: 2 },
          j2: { status: 'complete', attempts: 2 },
          j3: { status: 'complete', stage: 'export', attempts: 2, errorKind: null },
        },
        events: [
          { event: 'stage.skipped', jobId: 'j2', stage: 'transcribe', process: 'killed-in-export' },
          { event: 'stage.skipped', jobId: 'j3', stage: 'draft', process: 'recovery' },
          { event: 'lock.reaped', process: 'killed-in-draft' },
        ],
        invariants: ['I2', 'I3'],
      },
    },
  ],
});
