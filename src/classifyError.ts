// Transient or permanent: the one place that decides, for every error the runtime can meet.
// Transient means the same work may succeed later, so it is retried with backoff up to maxAttempts;
// permanent means retrying cannot help, so the job fails at once with the error recorded.
//
// A programming error (TypeError, RangeError, ReferenceError, SyntaxError, or our own AssertionError)
// is a bug, and a bug is loud: it is permanent, so the job fails at once with the bug's name and
// message recorded, never retried as if the world might change. (A TypeError that carries a network
// errno as its cause is how fetch reports a dropped connection: that one is transient.) Other unknown
// errors (an error with no code) are transient: a retry is cheap, the error is recorded on the job,
// and maxAttempts bounds the cost, whereas wrongly failing a job that would have succeeded needs a
// human.
import { z } from 'zod';
import { FileError, HttpStatusError, PermanentError, TransientError, errorMessage } from './errors.ts';
import type { ErrorKind } from './errors.ts';
import { errorCode } from './ports/fileSystem.ts';

export interface Classified {
  readonly kind: ErrorKind;
  readonly name: string;
  readonly message: string;
  /** The upstream asked us to wait at least this long (Retry-After). */
  readonly retryAfterMs?: number;
  /** Why: the error class, `HTTP <status>`, `errno <code>`, or `unknown error` (bounded by maxAttempts). */
  readonly basis: string;
}

const TRANSIENT_CODES = [
  'ENOSPC',
  'EDQUOT',
  'EIO',
  'EMFILE',
  'ENFILE',
  'EBUSY',
  'EAGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
];
const PROGRAMMING_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'AssertionError']);
const PERMANENT_CODES = [
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOTDIR',
  'EISDIR',
  'ELOOP',
  'ENAMETOOLONG',
  'EINVAL',
  'ENOENT',
  'EEXIST',
  'EXDEV',
];
/** The errno codes whose kind is known; any other code is classified like an error with none. */
const ERRNO_KINDS: ReadonlyMap<string, ErrorKind> = new Map([
  ...TRANSIENT_CODES.map((code) => [code, 'transient'] as const),
  ...PERMANENT_CODES.map((code) => [code, 'permanent'] as const),
]);

/** HTTP: 408 Request Timeout, 425 Too Early, 429 Too Many Requests and 5xx are worth retrying. */
export function classifyHttpStatus(status: number): ErrorKind {
  return status === 408 || status === 425 || status === 429 || status >= 500 ? 'transient' : 'permanent';
}

export function classifyError(error: unknown): Classified {
  const name = error instanceof Error ? error.name : 'Error';
  const message = errorMessage(error);
  const result = (
    kind: ErrorKind,
    basis: string,
    extra: { name?: string; retryAfterMs?: number | undefined } = {},
  ): Classified => ({
    kind,
    name: extra.name ?? name,
    message,
    basis,
    ...(extra.retryAfterMs !== undefined ? { retryAfterMs: extra.retryAfterMs } : {}),
  });
  if (error instanceof TransientError)
    return result('transient', 'TransientError', { retryAfterMs: error.retryAfterMs });
  if (error instanceof PermanentError) return result('permanent', error.name);
  if (error instanceof HttpStatusError) {
    const kind = classifyHttpStatus(error.status);
    return result(kind, `HTTP ${error.status}`, {
      retryAfterMs: kind === 'transient' ? error.retryAfterMs : undefined,
    });
  }
  if (error instanceof z.ZodError) return result('permanent', 'schema violation', { name: 'SchemaError' });
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
    return result('transient', error.name);
  const code =
    error instanceof FileError
      ? error.code
      : (errorCode(error) ?? errorCode(error instanceof Error ? error.cause : undefined));
  const errnoKind = ERRNO_KINDS.get(code ?? '');
  if (errnoKind !== undefined) return result(errnoKind, `errno ${code}`);
  if (PROGRAMMING_ERRORS.has(name)) return result('permanent', 'programming error');
  return result('transient', 'unknown error');
}
