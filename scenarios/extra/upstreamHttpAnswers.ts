import { scenario } from '../../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, PAST_BACKOFF_MS, pass } from '../steps.ts';

// Transcription through the real HTTP adapter, one answer per job: 408 and 503 and a dropped
// connection are retried, a 429 waits at least its Retry-After (given as an HTTP-date), a 404 and an
// empty transcript fail for good. Each answer's meaning is the oracle's own model of HTTP (I7).
export default scenario({
  id: 'upstream-http-answers',
  title:
    'HTTP answers of a transcription service, through the real adapter: transient ones retried, permanent ones failed',
  proves:
    'Phase 2: network errors, timeouts, 408/425/429/5xx are transient (Retry-After honoured); ' +
    'other 4xx and an empty answer are permanent',
  jobs: [
    { jobId: 'j408', sessionId: 's1', input: 'talk.srt' },
    { jobId: 'j503', sessionId: 's2', input: 'notes.txt' },
    { jobId: 'j429', sessionId: 's3', input: 'captions.vtt' },
    { jobId: 'jreset', sessionId: 's4', input: 'short.txt' },
    { jobId: 'j404', sessionId: 's5', input: 'talk.srt' },
    { jobId: 'jempty', sessionId: 's6', input: 'notes.txt' },
  ],
  steps: [
    pass('first', {
      upstreamViaHttp: true,
      upstream: [
        { stage: 'transcribe', jobId: 'j408', kind: 'transient', status: 408 },
        { stage: 'transcribe', jobId: 'j503', kind: 'transient', status: 503 },
        { stage: 'transcribe', jobId: 'j429', kind: 'rate-limited', retryAfterMs: 50_000, retryAfterForm: 'date' },
        { stage: 'transcribe', jobId: 'jreset', kind: 'timeout', network: 'ECONNRESET' },
        { stage: 'transcribe', jobId: 'j404', kind: 'permanent', status: 404 },
        { stage: 'transcribe', jobId: 'jempty', kind: 'invalid-input' },
      ],
    }),
    {
      expect: {
        jobs: {
          j408: { status: 'queued', errorKind: 'transient', errorMatches: 'HTTP 408' },
          j503: { status: 'queued', errorKind: 'transient', errorMatches: 'HTTP 503' },
          j429: { status: 'queued', errorKind: 'transient', errorMatches: 'HTTP 429' },
          jreset: { status: 'queued', errorKind: 'transient', errorMatches: 'ECONNRESET' },
          j404: { status: 'failed', errorKind: 'permanent', errorMatches: 'HTTP 404' },
          jempty: { status: 'failed', errorKind: 'permanent', errorMatches: 'invalid audio' },
        },
      },
    },
    { advanceMs: PAST_BACKOFF_MS },
    pass('second', { upstreamViaHttp: true }),
    {
      expect: {
        ...CLEAN,
        goldenArtifacts: false,
        jobs: {
          j408: { status: 'complete' },
          j503: { status: 'complete' },
          j429: { status: 'complete' },
          jreset: { status: 'complete' },
          j404: { status: 'failed' },
          jempty: { status: 'failed' },
        },
      },
    },
  ],
});
