// Ids become path segments, so they are validated before they touch a path: no separators, no dots,
// no empty or overlong names. A hostile id (`../x`, `a/b`, `.tmp-x`) is refused, never normalised.
import { UsageError } from './errors.ts';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Names the HTTP API uses for itself under /api/jobs/: a job with one of them could not be reached. */
const RESERVED_JOB_IDS: ReadonlySet<string> = new Set(['runner']);

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function checkId(kind: 'job' | 'session', id: string): string {
  if (!isValidId(id)) {
    throw new UsageError(`invalid ${kind} id ${JSON.stringify(id)}: ids are 1-64 characters of A-Z a-z 0-9 _ -`);
  }
  if (kind === 'job' && RESERVED_JOB_IDS.has(id))
    throw new UsageError(`invalid job id ${JSON.stringify(id)}: reserved for the HTTP route /api/jobs/${id}`);
  return id;
}
