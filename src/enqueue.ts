// Enqueue: a new job directory with its input and a queued state.json. Both are written and made
// durable in a private staging directory (`jobs/.tmp-enqueue-<jobId>.<hex>`), which one rename then
// puts at the job's name. The rename is the commit: it fails if the name holds a job, so two enqueues
// of one id can never write into one directory (even when a purge captured the first one's directory
// mid-write and the second made a new one), and a runner never sees a job without its input. A
// staging directory left by a crash is a stale `.tmp-` entry, which purge removes. Before any of it,
// the stage handlers judge the input (size, encoding, words): what they refuse is never stored.
import type { Io } from './ports/io.ts';
import type { RuntimeConfig } from './config.ts';
import { Layout } from './layout.ts';
import { ensureDir, ensureRoot } from './ensureDir.ts';
import { errorCode } from './ports/fileSystem.ts';
import { ignoreNotFound, removeTree } from './removeTree.ts';
import { checkId } from './ids.ts';
import { writeFileAtomic } from './writeFileAtomic.ts';
import { writeJobState, type JobState } from './jobState.ts';
import { InvalidInputError, UsageError } from './errors.ts';
import { extensionOf } from './defaultHandlers.ts';

export interface EnqueueRequest {
  readonly sessionId: string;
  /** The original file name; its extension decides how the input is read (.txt, .srt, .vtt). */
  readonly inputName: string;
  readonly inputBytes: Uint8Array;
  /** Optional caller-chosen id (validated); a fresh random one otherwise. */
  readonly jobId?: string;
}

export function storedInputName(originalName: string): string {
  const ext = extensionOf(originalName);
  return /^[a-z0-9]{1,8}$/.test(ext) ? `input.${ext}` : 'input.bin';
}

export async function enqueue(io: Io, config: RuntimeConfig, request: EnqueueRequest): Promise<string> {
  const sessionId = checkId('session', request.sessionId);
  const jobId = checkId('job', request.jobId ?? `job-${io.random.hex(8)}`);
  checkOffered(io, request);
  const layout = new Layout(config.root);
  await ensureRoot(io.fs, layout.root);
  await ensureDir(io.fs, layout.jobsDir, layout.root);
  const jobDir = layout.jobDir(jobId);
  // A cheap early refusal; the commit rename below is what decides.
  if ((await ignoreNotFound(io.fs.lstat(jobDir))) !== undefined) throw new UsageError(`job ${jobId} already exists`);
  const staging = layout.enqueueStaging(jobId, io.random.hex(4));
  await io.fs.mkdir(staging);
  const input = storedInputName(request.inputName);
  await writeFileAtomic(io, `${staging}/${input}`, request.inputBytes);
  await writeJobState(io, staging, queuedState(jobId, sessionId, input, io.clock.nowMs()));
  await commitStaging(io, staging, jobDir, jobId);
  // The job's entry in jobs/ must survive a power loss before the enqueue is acknowledged.
  await io.fs.syncDir(layout.jobsDir);
  io.log.emit('job.enqueued', { jobId, sessionId, input, sizeBytes: request.inputBytes.length });
  return jobId;
}

/** Refuses an input over the handlers' limit, or one they say transcribe could never read. */
function checkOffered(io: Io, request: EnqueueRequest): void {
  const limit = io.handlers.maxInputBytes;
  if (request.inputBytes.length > limit)
    throw new UsageError(`input is ${request.inputBytes.length} bytes; the limit is ${limit}`);
  try {
    io.handlers.checkInput({ inputName: request.inputName, inputBytes: request.inputBytes });
  } catch (error) {
    if (error instanceof InvalidInputError)
      throw new UsageError(`cannot enqueue ${request.inputName}: ${error.message}`, { cause: error });
    throw error;
  }
}

function queuedState(jobId: string, sessionId: string, input: string, nowMs: number): JobState {
  return {
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
}

/** Renames the staged job to its name; a name that holds a job refuses it (and the staging goes). */
async function commitStaging(io: Io, staging: string, jobDir: string, jobId: string): Promise<void> {
  try {
    await io.fs.rename(staging, jobDir);
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    await removeTree(io.fs, staging);
    throw new UsageError(`job ${jobId} already exists`);
  }
}
