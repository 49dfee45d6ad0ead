// Enqueue: a new job directory with its input and a queued state.json. The state is written last, so
// a job becomes visible to runners only once its input is durable; a directory left without state by
// a crash is an incomplete enqueue, which purge removes.
import type { Io } from './ports/io.ts';
import type { RuntimeConfig } from './config.ts';
import { Layout } from './layout.ts';
import { ensureDir, ensureRoot } from './ensureDir.ts';
import { checkId } from './ids.ts';
import { writeFileAtomic } from './writeFileAtomic.ts';
import { writeJobState, type JobState } from './jobState.ts';
import { UsageError } from './errors.ts';
import { extensionOf } from './defaultHandlers.ts';

export interface EnqueueRequest {
  readonly sessionId: string;
  /** The original file name; its extension decides how the input is read (.txt, .srt, .vtt). */
  readonly inputName: string;
  readonly inputBytes: Uint8Array;
  /** Optional caller-chosen id (validated); a fresh random one otherwise. */
  readonly jobId?: string;
}

export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

export function storedInputName(originalName: string): string {
  const ext = extensionOf(originalName);
  return /^[a-z0-9]{1,8}$/.test(ext) ? `input.${ext}` : 'input.bin';
}

export async function enqueue(io: Io, config: RuntimeConfig, request: EnqueueRequest): Promise<string> {
  const sessionId = checkId('session', request.sessionId);
  const jobId = checkId('job', request.jobId ?? `job-${io.random.hex(8)}`);
  if (request.inputBytes.length > MAX_INPUT_BYTES)
    throw new UsageError(`input is ${request.inputBytes.length} bytes; the limit is ${MAX_INPUT_BYTES}`);
  const layout = new Layout(config.root);
  await ensureRoot(io.fs, layout.root);
  await ensureDir(io.fs, layout.jobsDir, layout.root);
  const jobDir = layout.jobDir(jobId);
  try {
    await io.fs.mkdir(jobDir);
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') throw new UsageError(`job ${jobId} already exists`);
    throw error;
  }
  // The new directory's entry in jobs/ must survive a power loss before anything inside it matters.
  await io.fs.syncDir(layout.jobsDir);
  const input = storedInputName(request.inputName);
  await writeFileAtomic(io, `${jobDir}/${input}`, request.inputBytes);
  const nowMs = io.clock.nowMs();
  const state: JobState = {
    version: 1,
    jobId,
    sessionId,
    input,
    status: 'queued',
    stage: 'init',
    createdAt: nowMs,
    updatedAt: nowMs,
    attempts: 0,
    nextAttemptAt: null,
    error: null,
    artifacts: {},
  };
  await writeJobState(io, jobDir, state);
  io.log.emit('job.enqueued', { jobId, sessionId, input, sizeBytes: request.inputBytes.length });
  return jobId;
}
