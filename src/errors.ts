// Typed errors. Every failure the runtime reports is one of these, so that the pipeline can decide
// what happens next (retry, fail, abort) and the user reads a message that names the file or job.

export type ErrorKind = 'transient' | 'permanent';

export class JobsError extends Error {
  override readonly name: string = 'JobsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Worth retrying: the same work may succeed later (network, disk full, busy). */
export class TransientError extends JobsError {
  override readonly name: string = 'TransientError';
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** Retrying cannot help: bad input, a refused permission, a malformed file. */
export class PermanentError extends JobsError {
  override readonly name: string = 'PermanentError';
}

/** An upstream HTTP service answered with a non-success status; classifyError decides its kind. */
export class HttpStatusError extends JobsError {
  override readonly name: string = 'HttpStatusError';
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The job's input is not something the pipeline can transcribe. The plan calls it "invalid audio". */
export class InvalidInputError extends PermanentError {
  override readonly name: string = 'InvalidInputError';
}

/** A file the runtime reads (state.json, a lock record) does not parse or fails its schema. */
export class CorruptFileError extends PermanentError {
  override readonly name: string = 'CorruptFileError';
  constructor(
    readonly path: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${path} is corrupt: ${detail}`, options);
  }
}

/** A filesystem call failed; `code` is the errno name and `step` says which part of the work. */
export class FileError extends JobsError {
  override readonly name: string = 'FileError';
  constructor(
    readonly code: string,
    readonly step: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`${step} ${path} failed: ${code}`, options);
  }
}

/** Fencing: this process no longer holds the lock it worked under, so it must commit nothing more. */
export class LockLostError extends JobsError {
  override readonly name: string = 'LockLostError';
}

/** The job was deleted (tombstone found) while this runner worked on it. */
export class JobDeletedError extends JobsError {
  override readonly name: string = 'JobDeletedError';
}

/** A caller asked for something that cannot be done as asked (bad id, unknown job, wrong status). */
export class UsageError extends JobsError {
  override readonly name: string = 'UsageError';
}

/** An internal invariant did not hold. This is a bug in durable-jobs, never a user error. */
export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
