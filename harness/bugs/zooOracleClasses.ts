// The second wave of the bug zoo: one or more bugs in each class of behaviour the oracle judges beyond
// crash atomicity: the retry policy (I7's reference model), results and loud bugs (I8), the lock
// protocol (I4 on every call), every user-facing operation (the operation explorer), error paths
// (fault, then crash), swarmed options, and time (clock steps). Each is written the way a maintainer
// would slip it into src/: a policy swapped for a plausible wrong one, a source patch of one function,
// a FileSystem view that drops one call, a clock view, or a stage handler with a bug; `expect` names the invariants
// that must catch it.
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import type { StageHandlers } from '../../src/ports/stageHandlers.ts';
import { retryDelayMs } from '../../src/backoff.ts';
import { classifyError } from '../../src/classifyError.ts';
import { HttpStatusError } from '../../src/errors.ts';
import { baseName } from '../../src/layout.ts';
import { isValidId } from '../../src/ids.ts';
import { DOOMED_PREFIX } from '../../src/fencedRemoval.ts';
import type { ZooBug } from './zooBug.ts';
import { inAtomicWrite, outputsValidFirst, retireFirst } from './zooPatch.ts';
import { decorateFileSystem } from '../faults/decorateFileSystem.ts';

/** A view of `fs` with some calls replaced; every other call goes to `fs` itself. */
const view = (fs: FileSystem, replaced: Partial<FileSystem>): FileSystem => decorateFileSystem(fs, { calls: replaced });

/** Skips `syncDir(dir)` when the previous call of the process matched `after` (a forgotten fsync). */
const forgetDirSyncAfter =
  (dirSuffix: string, after: (op: string, path: string) => boolean) =>
  (fs: FileSystem): FileSystem => {
    let last = { op: '', path: '' };
    const note = <T>(op: string, path: string, result: Promise<T>) => {
      last = { op, path };
      return result;
    };
    return view(fs, {
      mkdir: (path, options) => note('mkdir', path, fs.mkdir(path, options)),
      rename: (from, to) => note('rename', to, fs.rename(from, to)),
      syncDir: async (path) => {
        if (path.endsWith(dirSuffix) && after(last.op, last.path)) return;
        return fs.syncDir(path);
      },
    });
  };

/** The draft stage with a bug that throws for the jobs of one session. */
const draftBug =
  (bug: () => never) =>
  (handlers: StageHandlers): StageHandlers => ({
    ...handlers,
    draft: async (input) => (input.sessionId === 's1' ? bug() : handlers.draft(input)),
  });

export const ORACLE_CLASS_BUGS: readonly ZooBug[] = [
  {
    id: 'backoff-exponent-off-by-one',
    title: 'backoff ceiling base·2^n instead of base·2^(n-1): every delay may be twice too long',
    seenIn: 'hand-written exponential backoff; attempt counters that start at 1 vs 0',
    expect: ['I7'],
    variant: {
      policy: {
        retryDelayMs: (random, attempts, baseMs, capMs, retryAfterMs) =>
          retryDelayMs(random, attempts + 1, baseMs, capMs, retryAfterMs),
      },
    },
  },
  {
    id: 'retry-after-ignored',
    title: 'Retry-After ignored: a 429 is retried on the jittered schedule, sooner than the server asked',
    seenIn: 'retry libraries that read the status and drop the headers',
    expect: ['I7'],
    variant: {
      policy: { retryDelayMs: (random, attempts, baseMs, capMs) => retryDelayMs(random, attempts, baseMs, capMs) },
    },
  },
  {
    id: 'attempts-off-by-one',
    title: 'attempts exhausted one attempt early (attempts + 1 >= maxAttempts)',
    seenIn: 'retry loops that count the first try twice',
    expect: ['I7'],
    variant: { policy: { isExhausted: (attempts, maxAttempts) => attempts + 1 >= maxAttempts } },
  },
  {
    id: 'disk-full-permanent',
    title: 'a full disk classified as permanent: the job fails for good instead of retrying',
    seenIn: 'error maps that treat every errno as fatal',
    expect: ['I7', 'expect'],
    variant: {
      policy: {
        classifyError: (error) =>
          (error as { code?: string }).code === 'ENOSPC' || String(error).includes('ENOSPC')
            ? { ...classifyError(error), kind: 'permanent' }
            : classifyError(error),
      },
    },
  },
  {
    id: 'stage-type-error',
    title: 'a bug in stage code (a TypeError) recorded and handled as a job failure',
    seenIn: 'catch-all handlers that turn every exception into a job status',
    expect: ['I8', 'I3'],
    variant: {
      wrapHandlers: draftBug(() => {
        throw new TypeError("Cannot read properties of undefined (reading 'paragraphs')");
      }),
    },
  },
  {
    id: 'stale-bound-in-seconds',
    title: 'lock staleness compares milliseconds with a bound taken for seconds: live owners are taken over',
    seenIn: 'unit mix-ups between config (seconds) and clocks (milliseconds)',
    expect: ['I4'],
    variant: { policy: { isStale: (nowMs, lastSeenAtMs, staleAfterMs) => nowMs - lastSeenAtMs > staleAfterMs / 1000 } },
  },
  {
    id: 'staleness-abs-clock',
    title: 'lock staleness by |now − heartbeat|: a backward clock step makes a live owner stale',
    seenIn: 'Math.abs on clock differences; NTP steps in production',
    expect: ['I4'],
    variant: {
      policy: { isStale: (nowMs, lastSeenAtMs, staleAfterMs) => Math.abs(nowMs - lastSeenAtMs) > staleAfterMs },
    },
  },
  {
    id: 'pass-deadline-on-wall-clock',
    title: 'the pass deadline measured on the wall clock: a forward NTP step ends a pass that has barely begun',
    seenIn: 'Date.now() used for elapsed time; deadlines that survive a clock step in the wrong direction',
    expect: ['I8'],
    variant: { wrapClock: (clock) => ({ ...clock, monotonicMs: () => clock.nowMs() }) },
  },
  {
    id: 'release-unlinks-first',
    title: "release unlinks the lock file before retiring its work directory (may unlink a newer owner's lock)",
    seenIn: 'the classic "rm lockfile" release; proper-lockfile\'s unlock after a compromised lock',
    expect: ['I4'],
    variant: {
      patches: [
        retireFirst(
          [
            '  await io.fs.unlink(options.path).catch(() => undefined);',
            '  const reap = joinPath(dirName(options.path), `${REAP_PREFIX}${staleToken}-by-${myToken}`);',
            '  await io.fs.rename(workDirOf(options.path, staleToken), reap).catch(() => undefined);',
            '  await removeTree(io.fs, reap);',
            "  if (myToken !== '') return 'retired';",
          ].join('\n'),
        ),
      ],
    },
  },
  {
    id: 'purge-ttl-in-seconds',
    title: 'purge compares milliseconds with a TTL it takes for seconds: fresh finished jobs vanish',
    seenIn: 'unit mix-ups between config (seconds) and clocks (milliseconds)',
    expect: ['I3'],
    variant: { policy: { isExpired: (nowMs, updatedAtMs, ttlMs) => nowMs - updatedAtMs > ttlMs / 1000 } },
  },
  {
    id: 'purge-move-not-durable',
    title: 'purge moves a job out without fsyncing jobs/ before emptying it: a power loss half-purges the job',
    seenIn: 'rename-then-delete cleanups that skip the directory fsync',
    expect: ['I2', 'I6'],
    variant: {
      decorate: [
        forgetDirSyncAfter('/jobs', (op, path) => op === 'rename' && baseName(path).startsWith(DOOMED_PREFIX)),
      ],
    },
  },
  {
    id: 'enqueue-dir-not-durable',
    title: 'enqueue does not fsync jobs/ after renaming the job directory into place: an acknowledged job can vanish',
    seenIn: 'a directory rename without a parent fsync (ext4 and XFS lose it on power loss)',
    expect: ['I6', 'I2'],
    variant: {
      decorate: [forgetDirSyncAfter('/jobs', (op, path) => op === 'rename' && isValidId(baseName(path)))],
    },
  },
  {
    id: 'deletion-tombstone-lost',
    title: 'deletion proceeds though its tombstone never reached the disk',
    seenIn: 'soft-delete flags written without checking the write',
    expect: ['expect', 'I2', 'I6', 'I3'],
    variant: {
      decorate: [
        (fs) => view(fs, { rename: (from, to) => (to.endsWith('/deleted') ? fs.unlink(from) : fs.rename(from, to)) }),
      ],
    },
  },
  {
    id: 'cleanup-removes-target',
    title: 'a failed atomic write cleans up the target instead of its tmp file',
    seenIn: 'error paths that compute the path to remove from the wrong variable',
    expect: ['expect', 'I3', 'I6', 'I2', 'I8'],
    variant: {
      patches: [
        inAtomicWrite(
          "    if (step !== 'fsync directory') await io.fs.unlink(tmpPath).catch(() => undefined);",
          "    if (step !== 'fsync directory') await io.fs.unlink(targetPath).catch(() => undefined);",
        ),
      ],
    },
  },
  {
    id: 'due-ignores-backward-step',
    title: 'a retry time far ahead (the clock stepped back) is waited out: the job is stuck for the step',
    seenIn: 'schedulers that trust nextAttemptAt across NTP corrections',
    expect: ['expect', 'I3'],
    variant: { policy: { isDue: (nextAttemptAt, nowMs) => nextAttemptAt === null || nextAttemptAt <= nowMs } },
  },
  {
    id: 'skip-never-skips',
    title: 'the stage skip never trusts a valid output: every retry redoes completed stages',
    seenIn: 'skip checks that read the wrong path or compare the wrong checksum',
    expect: ['expect', 'I7', 'I1'],
    variant: { patches: [outputsValidFirst("  if (jobOutput !== '') return false;")] },
  },
  {
    id: 'dir-fsync-before-rename',
    title: 'the directory is fsynced before the rename instead of after it',
    seenIn: 'atomic-write helpers that sync the directory "first, to be safe"',
    expect: ['I6', 'I2'],
    variant: {
      patches: [
        inAtomicWrite(
          "    step = 'rename';\n    await io.fs.rename(tmpPath, targetPath);\n    step = 'fsync " +
            "directory';\n    await io.fs.syncDir(targetDir);",
          "    step = 'fsync directory';\n    await io.fs.syncDir(targetDir);\n    step = 'rename';\n " +
            '   await io.fs.rename(tmpPath, targetPath);',
        ),
      ],
    },
  },
  {
    id: 'http-408-permanent',
    title: 'HTTP 408 Request Timeout classified as a permanent 4xx: the job fails for good',
    seenIn: "status maps that treat every 4xx as the client's fault",
    expect: ['I7'],
    variant: {
      policy: {
        classifyError: (error) =>
          error instanceof HttpStatusError && error.status === 408
            ? { ...classifyError(error), kind: 'permanent' }
            : classifyError(error),
      },
    },
  },
  {
    id: 'retry-after-seconds-as-ms',
    title: 'Retry-After in seconds taken for milliseconds: a 429 is retried a thousand times too soon',
    seenIn: 'header parsing that forgets the unit (RFC 9110 delay-seconds)',
    expect: ['I7'],
    variant: {
      policy: {
        classifyError: (error) => {
          const classified = classifyError(error);
          return classified.retryAfterMs === undefined
            ? classified
            : { ...classified, retryAfterMs: Math.round(classified.retryAfterMs / 1000) };
        },
      },
    },
  },
];
