// The stage handlers of the harness's standard deployment: the built-in ones, with a transcriber
// that takes audio (as a deployment with JOBS_UPSTREAM_URL has), so the workload's `song.mp3` is
// enqueued and then fails permanently in transcribe: the plan's "invalid audio". Text inputs are
// judged at enqueue exactly as in production.
import { acceptingAudio, defaultHandlers } from '../../src/defaultHandlers.ts';

export const STANDARD_HANDLERS = acceptingAudio(defaultHandlers);
