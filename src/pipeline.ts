// One job through init → transcribe → draft → export, under its session lock.
//
// Each stage reads its inputs, runs its handler and commits its artifact with writeFileAtomic (tmp
// file in the lock's work directory, so a taken-over owner's commit fails). state.json is rewritten
// at every stage boundary and records each artifact's size and CRC, so a later run can tell a valid
// output from a missing, torn or foreign one and skip only stages whose output is valid. The
// transcript stage is skipped only when both the job and the session transcript are valid (the plan's
// consistency guard). A complete job whose outputs are all valid is left byte- and mtime-identical.
// `job.complete` is logged only after the complete state is durable, so what is acknowledged survives.
import type { Io } from './ports/io.ts';
import type { RuntimeConfig } from './config.ts';
import type { HeldLock } from './ownerLock.ts';
import { isNotFound } from './ports/fileSystem.ts';
import { STAGES, writeJobState, type ArtifactRecord, type JobState, type Stage } from './jobState.ts';
import { FILE, Layout, joinPath } from './layout.ts';
import { JobDeletedError, LockLostError, TransientError, assert, errorMessage } from './errors.ts';
import { writeFileAtomic, wrapFileError, type AtomicWriteOptions } from './writeFileAtomic.ts';
import { readNoFollow } from './readNoFollow.ts';
import { crc32 } from './checksum.ts';
import { hasTombstone } from './tombstone.ts';
import { finishDeletion } from './deleteJob.ts';

export type JobOutcome = 'complete' | 'unchanged' | 'failed' | 'retry_scheduled' | 'aborted' | 'deleted';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

interface JobContext {
  readonly io: Io;
  readonly config: RuntimeConfig;
  readonly lock: HeldLock;
  readonly layout: Layout;
  readonly jobDir: string;
  readonly commit: AtomicWriteOptions;
}

export async function runJob(io: Io, config: RuntimeConfig, lock: HeldLock, initial: JobState): Promise<JobOutcome> {
  const layout = new Layout(config.root);
  const jobDir = layout.jobDir(initial.jobId);
  const fields = { jobId: initial.jobId, sessionId: initial.sessionId };
  const fenced: AtomicWriteOptions = {
    tmpDir: lock.workDir,
    beforeCommit: async () => {
      await lock.assertHeld();
      if (await hasTombstone(io, jobDir)) throw new JobDeletedError(`job ${initial.jobId} was deleted`);
    },
  };
  const ctx: JobContext = { io, config, lock, layout, jobDir, commit: fenced };
  let state = initial;
  try {
    if (await hasTombstone(io, jobDir)) throw new JobDeletedError(`job ${initial.jobId} was deleted`);
    if (state.status === 'complete' && (await allStagesValid(ctx, state))) {
      for (const stage of STAGES) io.log.emit('stage.skipped', { ...fields, stage, reason: 'output valid' });
      return 'unchanged';
    }
    state = newAttempt(ctx, state);
    // Assigned before the write: a failed write is settled as a failure of this attempt.
    await writeJobState(io, jobDir, state, ctx.commit);
    io.log.emit('job.started', { ...fields, attempt: state.attempts });
    for (const [index, stage] of STAGES.entries()) state = await runStage(ctx, state, index, stage);
    return 'complete';
  } catch (error) {
    return await settleFailure(ctx, state, error);
  }
}

/** The state of a new attempt (running, attempts + 1), to be recorded before any stage runs. */
function newAttempt(ctx: JobContext, state: JobState): JobState {
  assert(state.status !== 'deleted' && state.status !== 'failed', `runJob called on a ${state.status} job`);
  if (state.status === 'running' && state.attempts >= ctx.config.maxAttempts) {
    // Every earlier attempt died mid-run (a poison job that kills its runner): stop here.
    throw new TransientError(`attempt ${state.attempts} was interrupted during ${state.stage} (the runner stopped)`);
  }
  return {
    ...state,
    status: 'running',
    stage: state.stage === 'init' ? 'transcribe' : state.stage,
    attempts: state.attempts + 1,
    nextAttemptAt: null,
    updatedAt: ctx.io.clock.nowMs(),
  };
}

/** One stage: skipped when its output is valid, else produced; then committed. The state after it. */
async function runStage(ctx: JobContext, state: JobState, index: number, stage: Stage): Promise<JobState> {
  const { io, jobDir } = ctx;
  const fields = { jobId: state.jobId, sessionId: state.sessionId };
  await ctx.commit.beforeCommit?.();
  let artifact = state.artifacts[stage];
  let bytes: Uint8Array | undefined;
  if (artifact !== undefined && (await stageOutputValid(ctx, state, stage))) {
    io.log.emit('stage.skipped', { ...fields, stage, reason: 'output valid' });
  } else {
    io.log.emit('stage.start', { ...fields, stage });
    bytes = await produce(ctx, state, stage);
    artifact = { sizeBytes: bytes.length, crc32: crc32(bytes) };
  }
  const next = STAGES[index + 1];
  const last = next === undefined;
  const nextState: JobState = {
    ...state,
    status: last ? 'complete' : 'running',
    stage: last ? stage : next,
    artifacts: { ...state.artifacts, [stage]: artifact },
    error: last ? null : state.error,
    updatedAt: io.clock.nowMs(),
  };
  await commitStage({
    io,
    jobDir,
    outputs: outputPaths(ctx, state, stage),
    bytes: bytes ?? new Uint8Array(0),
    produced: bytes !== undefined,
    next: nextState,
    commit: ctx.commit,
    stage,
  });
  return nextState;
}

/** What the pipeline commits when a stage is done: its outputs, then the state that records them. */
export interface StageCommit {
  readonly io: Io;
  readonly jobDir: string;
  readonly outputs: readonly string[];
  readonly bytes: Uint8Array;
  /** False when the stage was skipped (its outputs are valid already). */
  readonly produced: boolean;
  readonly next: JobState;
  readonly commit: AtomicWriteOptions;
  readonly stage: Stage;
}

/**
 * Commits a finished stage: its outputs first (each durable), then the state that records them, and
 * only after the complete state is durable the acknowledgement. That order is what makes a skip safe
 * (state never names an output that is not on disk) and an acknowledgement true (I6).
 */
export async function commitStage(c: StageCommit): Promise<void> {
  const fields = { jobId: c.next.jobId, sessionId: c.next.sessionId };
  // Check the data before it is committed: the state must record exactly the bytes written.
  const recorded = c.next.artifacts[c.stage];
  assert(
    !c.produced || (recorded?.sizeBytes === c.bytes.length && recorded.crc32 === crc32(c.bytes)),
    `stage ${c.stage} of ${c.next.jobId}: the state records ${JSON.stringify(recorded)}, ` +
      `not the ${c.bytes.length} bytes produced`,
  );
  if (c.produced) {
    for (const path of c.outputs) await writeFileAtomic(c.io, path, c.bytes, c.commit);
    c.io.log.emit('stage.done', { ...fields, stage: c.stage, sizeBytes: c.bytes.length });
  }
  await writeJobState(c.io, c.jobDir, c.next, c.commit);
  if (c.next.status === 'complete') c.io.log.emit('job.complete', { ...fields, attempts: c.next.attempts });
}

async function settleFailure(ctx: JobContext, state: JobState, error: unknown): Promise<JobOutcome> {
  const { io, config, lock } = ctx;
  const fields = { jobId: state.jobId, sessionId: state.sessionId, stage: state.stage };
  if (!(error instanceof LockLostError) && !lock.isLost) {
    // A commit that failed with ENOENT may mean the work directory was retired under us: check.
    await lock.assertHeld().catch(() => undefined);
  }
  if (error instanceof LockLostError || lock.isLost) {
    io.log.emit('job.aborted', { ...fields, reason: 'lock lost', error: errorMessage(error) });
    return 'aborted';
  }
  if (error instanceof JobDeletedError) {
    io.log.emit('job.aborted', { ...fields, reason: 'deleted', error: errorMessage(error) });
    await finishDeletion(io, config, lock, state);
    return 'deleted';
  }
  const { next, recorded, failed, delayMs } = decideAfterFailure(ctx, state, error);
  try {
    await writeJobState(io, ctx.jobDir, next, ctx.commit);
  } catch (writeError) {
    // The state stays "running" on disk; the next pass treats it as an interrupted attempt.
    io.log.emit(failed ? 'job.failed' : 'job.retry_scheduled', {
      ...fields,
      error: recorded,
      stateWriteError: errorMessage(writeError),
      durable: false,
    });
    if (writeError instanceof LockLostError) return 'aborted';
    if (writeError instanceof JobDeletedError) {
      await finishDeletion(io, config, lock, state);
      return 'deleted';
    }
    return failed ? 'failed' : 'retry_scheduled';
  }
  if (failed) {
    io.log.emit('job.failed', { ...fields, error: recorded, attempts: state.attempts });
    return 'failed';
  }
  io.log.emit('job.retry_scheduled', {
    ...fields,
    error: recorded,
    attempts: state.attempts,
    nextAttemptAt: next.nextAttemptAt,
    delayMs,
  });
  return 'retry_scheduled';
}

/** What a failed attempt leaves: failed for good (permanent, or attempts spent), or queued after a delay. */
function decideAfterFailure(ctx: JobContext, state: JobState, error: unknown) {
  const { io, config } = ctx;
  const classified = io.policy.classifyError(error);
  const exhausted = classified.kind === 'transient' && io.policy.isExhausted(state.attempts, config.maxAttempts);
  const nowMs = io.clock.nowMs();
  const recorded = {
    name: exhausted ? 'AttemptsExhausted' : classified.name,
    message: exhausted
      ? `attempts exhausted after ${state.attempts} attempts; last error: ${classified.message}`
      : classified.message,
    kind: classified.kind,
    stage: state.stage,
  };
  const failed = classified.kind === 'permanent' || exhausted;
  const delayMs = failed
    ? 0
    : io.policy.retryDelayMs(
        io.random,
        state.attempts,
        config.backoffBaseMs,
        config.backoffCapMs,
        classified.retryAfterMs,
      );
  const next: JobState = {
    ...state,
    status: failed ? 'failed' : 'queued',
    error: recorded,
    nextAttemptAt: failed ? null : nowMs + delayMs,
    updatedAt: nowMs,
  };
  return { next, recorded, failed, delayMs };
}

async function allStagesValid(ctx: JobContext, state: JobState): Promise<boolean> {
  for (const stage of STAGES) if (!(await stageOutputValid(ctx, state, stage))) return false;
  return true;
}

function outputPaths(ctx: JobContext, state: JobState, stage: Stage): string[] {
  switch (stage) {
    case 'transcribe':
      return [joinPath(ctx.jobDir, FILE.transcript), ctx.layout.sessionTranscript(state.sessionId)];
    case 'draft':
      return [joinPath(ctx.jobDir, FILE.draft)];
    case 'export':
      return [joinPath(ctx.jobDir, FILE.export)];
  }
}

/**
 * True when the job's output of `stage` exists and matches the size and CRC recorded when it was made.
 * For transcribe, the session transcript must also exist and be non-empty (the plan's consistency
 * guard). It need not equal this job's transcript: it holds the session's most recent transcript, and
 * demanding equality would make re-running an older complete job of the session rewrite its files.
 */
async function stageOutputValid(ctx: JobContext, state: JobState, stage: Stage): Promise<boolean> {
  const expected = state.artifacts[stage];
  if (expected === undefined) return false;
  const [jobOutput, sessionOutput] = outputPaths(ctx, state, stage);
  return outputsValid(ctx.io, jobOutput!, sessionOutput, expected);
}

async function outputsValid(
  io: Io,
  jobOutput: string,
  sessionOutput: string | undefined,
  expected: ArtifactRecord,
): Promise<boolean> {
  const bytes = await readOptional(io, jobOutput);
  if (bytes === undefined || bytes.length !== expected.sizeBytes || crc32(bytes) !== expected.crc32) return false;
  if (sessionOutput === undefined) return true;
  const session = await readOptional(io, sessionOutput);
  return session !== undefined && session.length > 0;
}

/** An output that is missing, or is a symlink planted in its place (never followed): undefined. */
async function readOptional(io: Io, path: string): Promise<Uint8Array | undefined> {
  try {
    if ((await io.fs.lstat(path)).isSymbolicLink) return undefined;
    return await io.fs.readFile(path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw wrapFileError(error, 'read', path);
  }
}

async function readRequired(ctx: JobContext, path: string): Promise<Uint8Array> {
  try {
    return await readNoFollow(ctx.io.fs, path);
  } catch (error) {
    throw wrapFileError(error, 'read', path);
  }
}

async function readText(ctx: JobContext, path: string): Promise<string> {
  return decoder.decode(await readRequired(ctx, path));
}

/** Runs the stage's handler on its input; the bytes it returns are the stage's output. */
async function produce(ctx: JobContext, state: JobState, stage: Stage): Promise<Uint8Array> {
  const { io } = ctx;
  const base = { jobId: state.jobId, sessionId: state.sessionId };
  let text: string;
  switch (stage) {
    case 'transcribe': {
      const inputBytes = await readRequired(ctx, joinPath(ctx.jobDir, state.input));
      text = await io.handlers.transcribe({ ...base, inputName: state.input, inputBytes });
      break;
    }
    case 'draft':
      text = await io.handlers.draft({
        ...base,
        transcript: await readText(ctx, joinPath(ctx.jobDir, FILE.transcript)),
      });
      break;
    case 'export':
      text = await io.handlers.export({ ...base, draft: await readText(ctx, joinPath(ctx.jobDir, FILE.draft)) });
      break;
  }
  return encoder.encode(text);
}
