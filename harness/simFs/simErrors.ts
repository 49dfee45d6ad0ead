// Node-style errno errors for the simulated filesystem: same `code`, `syscall`, `path` and message
// shape as node:fs, so runtime code cannot tell them apart.
const MESSAGES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'file already exists',
  ENOTDIR: 'not a directory',
  EISDIR: 'illegal operation on a directory',
  ENOTEMPTY: 'directory not empty',
  EINVAL: 'invalid argument',
  EPERM: 'operation not permitted',
  EBADF: 'bad file descriptor',
  ELOOP: 'too many symbolic links encountered',
  EBUSY: 'resource busy or locked',
};

export interface SimErrnoError extends Error {
  code: string;
  syscall: string;
  path: string;
  dest?: string;
}

export function simError(code: string, syscall: string, path: string, dest?: string): SimErrnoError {
  const where = dest === undefined ? `'${path}'` : `'${path}' -> '${dest}'`;
  // Like node:fs promise errors, which come from libuv with no JavaScript frames: no stack is captured
  // (capturing one through the simulated call chain was the costliest part of a simulated ENOENT).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const error = new Error(`${code}: ${MESSAGES[code] ?? 'error'}, ${syscall} ${where}`) as SimErrnoError;
  Error.stackTraceLimit = stackTraceLimit;
  error.code = code;
  error.syscall = syscall;
  error.path = path;
  if (dest !== undefined) error.dest = dest;
  return error;
}
