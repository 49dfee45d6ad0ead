// Every row of the classification table: transient or permanent, and the Retry-After it carries.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classifyError, classifyHttpStatus } from '../../src/classifyError.ts';
import {
  AssertionError,
  CorruptFileError,
  FileError,
  HttpStatusError,
  InvalidInputError,
  PermanentError,
  TransientError,
} from '../../src/errors.ts';
import { parseRetryAfterMs } from '../../src/retryAfter.ts';
import { retryDelayMs, isDue } from '../../src/backoff.ts';
import { SeededRandom } from '../../harness/seededRandom.ts';

const errno = (code: string) => Object.assign(new Error(code), { code });
const zodError = (() => {
  try {
    z.object({ a: z.string() }).parse({});
  } catch (error) {
    return error;
  }
  throw new Error('zod did not throw');
})();

describe('classifyError', () => {
  it.each([
    ['TransientError', new TransientError('x'), 'transient'],
    ['PermanentError', new PermanentError('x'), 'permanent'],
    ['invalid audio', new InvalidInputError('invalid audio'), 'permanent'],
    ['corrupt state.json', new CorruptFileError('/s.json', 'bad'), 'permanent'],
    ['zod schema violation', zodError, 'permanent'],
    ['AbortError', Object.assign(new Error('aborted'), { name: 'AbortError' }), 'transient'],
    ['TimeoutError', Object.assign(new Error('timeout'), { name: 'TimeoutError' }), 'transient'],
    ...[
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
      'EPIPE',
      'ENOTFOUND',
      'EAI_AGAIN',
    ].map((code) => [`errno ${code}`, errno(code), 'transient'] as const),
    ...['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ELOOP', 'ENAMETOOLONG', 'EINVAL', 'ENOENT'].map(
      (code) => [`errno ${code}`, errno(code), 'permanent'] as const,
    ),
    ['FileError ENOSPC', new FileError('ENOSPC', 'write', '/x'), 'transient'],
    ['FileError EROFS', new FileError('EROFS', 'open', '/x'), 'permanent'],
    [
      'fetch failed with a network cause',
      Object.assign(new TypeError('fetch failed'), { cause: errno('ECONNRESET') }),
      'transient',
    ],
    ['unknown error (bounded by maxAttempts)', new Error('something odd'), 'transient'],
    ['a TypeError (a bug)', new TypeError("Cannot read properties of undefined (reading 'x')"), 'permanent'],
    ['a RangeError (a bug)', new RangeError('Invalid array length'), 'permanent'],
    ['a ReferenceError (a bug)', new ReferenceError('x is not defined'), 'permanent'],
    ['an AssertionError (a broken invariant)', new AssertionError('lock token mismatch'), 'permanent'],
    ['a thrown string', 'boom', 'transient'],
  ] as const)('%s → %s', (_name, error, kind) => {
    expect(classifyError(error).kind).toBe(kind);
  });

  it.each([
    [200, 'permanent'],
    [400, 'permanent'],
    [401, 'permanent'],
    [403, 'permanent'],
    [404, 'permanent'],
    [408, 'transient'],
    [409, 'permanent'],
    [413, 'permanent'],
    [422, 'permanent'],
    [425, 'transient'],
    [429, 'transient'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [504, 'transient'],
  ] as const)('HTTP %i → %s', (status, kind) => {
    expect(classifyHttpStatus(status)).toBe(kind);
    expect(classifyError(new HttpStatusError(status, `HTTP ${status}`)).kind).toBe(kind);
  });

  it('keeps Retry-After on transient HTTP errors', () => {
    expect(classifyError(new HttpStatusError(429, 'slow down', 7_000))).toMatchObject({
      kind: 'transient',
      retryAfterMs: 7_000,
    });
    expect(classifyError(new TransientError('x', { retryAfterMs: 5 }))).toMatchObject({ retryAfterMs: 5 });
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['Sat, 28 Nov 2026 12:00:30 GMT', 30_000],
    ['Sat, 28 Nov 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    ['', undefined],
    [null, undefined],
    ['99999999', 24 * 3600_000],
  ] as const)('%j → %j ms', (header, ms) => {
    expect(parseRetryAfterMs(header, now)).toBe(ms);
  });
});

describe('backoff', () => {
  it('is full jitter under an exponential ceiling, capped, and never below Retry-After', () => {
    const random = new SeededRandom(1);
    for (let attempts = 1; attempts <= 12; attempts++) {
      for (let i = 0; i < 50; i++) {
        const delay = retryDelayMs(random, attempts, 1_000, 60_000);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(60_000, 1_000 * 2 ** (attempts - 1)));
      }
    }
    expect(retryDelayMs(random, 1, 1_000, 60_000, 30_000)).toBe(30_000);
    expect(retryDelayMs(random, 1, 1_000, 60_000, 10 * 60_000)).toBe(60_000);
  });

  it('a retry time further ahead than the cap (the clock stepped back) is due now', () => {
    expect(isDue(null, 0, 60_000)).toBe(true);
    expect(isDue(1_000, 999, 60_000)).toBe(false);
    expect(isDue(1_000, 1_000, 60_000)).toBe(true);
    expect(isDue(1_000_000, 0, 60_000)).toBe(true);
  });
});
