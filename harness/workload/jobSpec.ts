// A job of a workload: its id, session and input, chosen so ids are stable across runs.
import type { InputName } from './inputs.ts';

export interface JobSpec {
  readonly jobId: string;
  readonly sessionId: string;
  readonly input: InputName;
}

/** The standard workload: every input kind, two jobs sharing a session, one refused input. */
export const STANDARD_JOBS: readonly JobSpec[] = [
  { jobId: 'j1', sessionId: 's1', input: 'talk.srt' },
  { jobId: 'j2', sessionId: 's2', input: 'notes.txt' },
  { jobId: 'j3', sessionId: 's1', input: 'song.mp3' },
  { jobId: 'j4', sessionId: 's3', input: 'captions.vtt' },
];

export const SMALL_JOBS: readonly JobSpec[] = [
  { jobId: 'j1', sessionId: 's1', input: 'talk.srt' },
  { jobId: 'j2', sessionId: 's2', input: 'song.mp3' },
];
