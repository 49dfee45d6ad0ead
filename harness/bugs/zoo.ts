// The bug zoo: durability bugs that real systems ship, each written the way a maintainer would slip
// it into src/: a source patch of the one function it breaks (a copy of the runtime with that edit,
// harness/bugs/patchedRuntime.ts), a decision swapped in the Policy port, a FileSystem or clock view,
// or a stage handler with a bug.
// `npm run zoo` shows that the harness catches every one of them, and with what.
import { errorText, inAtomicWrite, outputsValidFirst, patch, retireFirst } from './zooPatch.ts';
import { PRODUCTION_ROOT_BUGS } from './zooProductionRoot.ts';
import { OBSERVABLE_BUGS } from './zooObservable.ts';
import { WORLD_BUGS } from './zooWorlds.ts';
import { LONG_HOLD_BUGS } from './zooLongHolds.ts';
import type { ZooBug } from './zooBug.ts';
import { ORACLE_CLASS_BUGS } from './zooOracleClasses.ts';

export type { ZooBug };

const CRASH_CLASS_BUGS: readonly ZooBug[] = [
  {
    id: 'no-file-fsync',
    title: 'no fsync of the file before rename',
    seenIn: 'steno; countless hand-rolled writers; the ext4 2009 zero-length-file reports',
    expect: ['I2', 'I6'],
    variant: { patches: [inAtomicWrite("    step = 'fsync';\n    await handle.sync();\n", "    step = 'fsync';\n")] },
  },
  {
    id: 'no-dir-fsync',
    title: 'no fsync of the directory after rename',
    seenIn: 'write-file-atomic, steno, atomically',
    expect: ['I6', 'I2'],
    variant: {
      patches: [
        inAtomicWrite(
          "    step = 'fsync directory';\n    await io.fs.syncDir(targetDir);\n",
          "    step = 'fsync directory';\n",
        ),
      ],
    },
  },
  {
    id: 'overwrite-in-place',
    title: 'overwrite the final file in place instead of tmp + rename',
    seenIn: 'fs.writeFile for "final" files; ALICE found it in several mature systems',
    expect: ['I2', 'I6'],
    variant: {
      patches: [
        inAtomicWrite(
          '  const tmpPath = joinPath(options.tmpDir ?? targetDir, `${TMP_PREFIX}${io.random.hex(8)}`);',
          '  const tmpPath = targetPath;',
        ),
        inAtomicWrite(
          "handle = await io.fs.open(tmpPath, 'wx', 0o644);",
          "handle = await io.fs.open(tmpPath, 'w', 0o644);",
        ),
        inAtomicWrite('    await io.fs.rename(tmpPath, targetPath);\n', ''),
        inAtomicWrite("    if (step !== 'fsync directory') await io.fs.unlink(tmpPath).catch(() => undefined);\n", ''),
      ],
    },
  },
  {
    id: 'tmp-without-wx',
    title: 'tmp file with a predictable name opened without O_EXCL (follows a planted symlink)',
    seenIn: 'CWE-377 insecure temporary file; many "atomic write" snippets use `${file}.tmp`',
    // hostile-tmp-symlink's own expectation (the file outside the data root is untouched) is the check
    // built for this bug: it sees the clobbered file before any invariant does.
    expect: ['expect', 'I3', 'I2'],
    variant: {
      patches: [
        inAtomicWrite(
          '  const tmpPath = joinPath(options.tmpDir ?? targetDir, `${TMP_PREFIX}${io.random.hex(8)}`);',
          '  const tmpPath = joinPath(targetDir, `${TMP_PREFIX}${targetPath.slice(targetDir.length + 1)}`);',
        ),
        inAtomicWrite(
          "handle = await io.fs.open(tmpPath, 'wx', 0o644);",
          "handle = await io.fs.open(tmpPath, 'w', 0o644);",
        ),
      ],
    },
  },
  {
    id: 'short-write-ignored',
    title: 'a short write is taken as complete',
    seenIn: 'write(2) callers that ignore the returned count; Node FileHandle.write users',
    expect: ['I2', 'I6'],
    variant: {
      patches: [
        inAtomicWrite(
          "    await writeAll(handle, bytes);\n    step = 'fsync';",
          "    await handle.write(bytes, 0);\n    step = 'fsync';",
        ),
      ],
    },
  },
  {
    id: 'state-before-artifact',
    title: 'state marked done before the artifact is written (ordering)',
    seenIn: 'job runners that flip a status column, then write the file',
    expect: ['I1', 'I2', 'I6'],
    variant: {
      patches: [
        patch(
          'pipeline.ts',
          '  await writeJobState(c.io, c.jobDir, c.next, c.commit);\n  if (c.next.status',
          '  if (c.next.status',
        ),
        patch(
          'pipeline.ts',
          '  if (c.produced) {\n    for (const path of c.outputs)',
          '  await writeJobState(c.io, c.jobDir, c.next, c.commit);\n  if (c.produced) {\n ' +
            '   for (const path of c.outputs)',
        ),
      ],
    },
  },
  {
    id: 'ack-before-durable',
    title: 'success acknowledged before the state is durable',
    seenIn: 'APIs that answer 200 and persist afterwards; PostgreSQL synchronous_commit=off (by choice)',
    expect: ['I6'],
    variant: {
      patches: [
        patch(
          'pipeline.ts',
          "  await writeJobState(c.io, c.jobDir, c.next, c.commit);\n  if (c.next.status === 'complete') " +
            "c.io.log.emit('job.complete', { ...fields, attempts: c.next.attempts });",
          "  if (c.next.status === 'complete') c.io.log.emit('job.complete', { ...fields, attempts: c.next.attempts " +
            '});\n  await writeJobState(c.io, c.jobDir, c.next, c.commit);',
        ),
      ],
    },
  },
  {
    id: 'lock-check-then-create',
    title: 'lock acquired by "does it exist? no → create it" (not atomic)',
    seenIn: 'pid-file and lock-file code without O_EXCL or link',
    expect: ['I4'],
    variant: {
      patches: [
        patch(
          'ownerLock.ts',
          "import { writeNewFile } from './writeFileAtomic.ts';",
          "import { writeNewFile } from './writeFileAtomic.ts';\nimport { writeAll } from './writeAll.ts';",
        ),
        patch(
          'ownerLock.ts',
          '      await io.fs.link(recordPath, options.path);\n',
          [
            '      if ((await io.fs.stat(options.path).catch(() => undefined)) !== undefined) ' +
              'throw Object.assign(new ' +
              "Error('lock exists'), { code: 'EEXIST' });",
            "      const created = await io.fs.open(options.path, 'w', 0o644);",
            '      await writeAll(created, new TextEncoder().encode(`${JSON.stringify(record)}\\n`));',
            '      await created.close();',
            '',
          ].join('\n'),
        ),
      ],
    },
  },
  {
    id: 'stale-takeover-no-token-check',
    title: 'stale takeover by unlink → create, without checking whose lock is unlinked',
    seenIn: 'proper-lockfile (stat → rmdir → mkdir): two processes can hold one lock',
    expect: ['I4'],
    variant: {
      patches: [
        retireFirst(
          [
            '  await io.fs.unlink(options.path).catch(() => undefined);',
            '  await removeTree(io.fs, workDirOf(options.path, staleToken)).catch(() => undefined);',
            "  if (myToken !== '') return 'retired';",
          ].join('\n'),
        ),
      ],
    },
  },
  {
    id: 'no-fencing',
    title: 'no fencing: a taken-over owner keeps committing',
    seenIn: 'every lease without a fencing token (Kleppmann, "How to do distributed locking")',
    expect: ['expect', 'I4'],
    variant: {
      patches: [
        patch(
          'pipeline.ts',
          'const ctx: JobContext = { io, config, lock, layout, jobDir, commit: fenced };',
          'const ctx: JobContext = { io, config, lock, layout, jobDir, commit: {} };',
        ),
      ],
    },
  },
  {
    id: 'lock-kept-on-failure',
    title: 'session lock not released on a failure path',
    seenIn: "release() outside finally; the plan's own history (runner.lock before 08b7313)",
    expect: ['I3'],
    variant: {
      patches: [
        patch(
          'sessionLock.ts',
          '  try {\n    return { acquired: true, value: await work(result.lock) };\n  } finally ' +
            '{\n    await result.lock.release();\n  }',
          [
            '  // Released on the success path only: release() after the work instead of in finally,',
            "  // with the job's failure outcomes taking an early return.",
            '  const value = await work(result.lock);',
            "  if ((value as unknown) === 'failed' || (value as unknown) === 'retry_scheduled') " +
              'return { acquired: true, value };',
            '  await result.lock.release();',
            '  return { acquired: true, value };',
          ].join('\n'),
        ),
      ],
    },
  },
  {
    id: 'tmp-kept-on-error',
    title: 'tmp file not removed when the write fails',
    seenIn: 'write-file-atomic before 2.x; most ad-hoc tmp+rename helpers',
    expect: ['I3', 'I5'],
    variant: {
      patches: [
        inAtomicWrite("    if (step !== 'fsync directory') await io.fs.unlink(tmpPath).catch(() => undefined);\n", ''),
      ],
    },
  },
  {
    id: 'skip-trusts-existing-file',
    title: 'stage skip that trusts any non-empty file (torn or foreign)',
    seenIn: 'the plan\'s own Patch 3 ("exists and is non-empty")',
    expect: ['I1', 'I2'],
    variant: {
      patches: [
        outputsValidFirst("  if (jobOutput !== '') return ((await readOptional(io, jobOutput))?.length ?? 0) > 0;"),
      ],
    },
  },
  {
    id: 'skip-ignores-session-transcript',
    title: 'transcript skip that ignores the session transcript',
    seenIn: 'the consistency guard the plan had to add in Patch 3',
    expect: ['expect', 'I1', 'I6'],
    variant: {
      patches: [
        patch(
          'pipeline.ts',
          '  if (sessionOutput === undefined) return true;\n  const session',
          '  if (sessionOutput !== null) return true;\n  const session',
        ),
      ],
    },
  },
  {
    id: 'deletion-never-checked',
    title: 'the deletion flag is never checked',
    seenIn: 'the plan\'s "Job deleted during execution: Undefined"',
    expect: ['expect', 'I3'],
    variant: {
      patches: [
        patch(
          'tombstone.ts',
          '  try {\n    await io.fs.stat(tombstonePath(jobDir));',
          "  if (jobDir !== '') return false;\n  try {\n    await io.fs.stat(tombstonePath(jobDir));",
        ),
      ],
    },
  },
  {
    id: 'deletion-leaves-artifacts',
    title: 'deletion marks the job deleted and leaves its files',
    seenIn: 'soft deletes that never clean up',
    expect: ['expect', 'I3'],
    variant: {
      patches: [
        patch(
          'deleteJob.ts',
          '  for (const name of await io.fs.readdir(jobDir)) {\n    if (isKept(name)) continue;',
          [
            "  if (jobDir !== '') {",
            "    await writeJobState(io, jobDir, { ...state, status: 'deleted', updatedAt: io.clock.nowMs() " +
              '}, { tmpDir: lock.workDir });',
            "    io.log.emit('job.deleted', { jobId: state.jobId, sessionId: state.sessionId });",
            '    return;',
            '  }',
            '  for (const name of await io.fs.readdir(jobDir)) {',
            '    if (KEEP.has(name)) continue;',
          ].join('\n'),
        ),
      ],
    },
  },
  {
    id: 'permanent-retried',
    title: 'permanent errors are retried automatically',
    seenIn: 'retry wrappers that retry every exception',
    expect: ['expect', 'I7'],
    variant: {
      policy: { classifyError: (error) => ({ kind: 'transient', ...errorText(error), basis: 'retry everything' }) },
    },
  },
  {
    id: 'transient-never-retried',
    title: 'transient errors fail the job for good',
    seenIn: 'no retry policy at all; the plan before Phase 2',
    expect: ['expect', 'I7'],
    variant: {
      policy: { classifyError: (error) => ({ kind: 'permanent', ...errorText(error), basis: 'retry nothing' }) },
    },
  },
  {
    id: 'backoff-ignored',
    title: 'backoff not honoured: a scheduled retry runs on the next pass',
    seenIn: 'queues that store nextAttemptAt and never read it',
    expect: ['I7'],
    variant: { policy: { isDue: () => true } },
  },
  {
    id: 'purge-by-clock-distance',
    title: 'purge by |now − updatedAt|: a backward clock step purges fresh work',
    seenIn: 'TTL code using absolute age or Math.abs on clock differences',
    expect: ['expect', 'I3'],
    variant: { policy: { isExpired: (nowMs, updatedAtMs, ttlMs) => Math.abs(nowMs - updatedAtMs) > ttlMs } },
  },
  {
    id: 'fsync-eio-retried',
    title: 'fsync EIO retried and the second success trusted',
    seenIn: 'PostgreSQL before 2018 ("fsyncgate"); many storage engines',
    expect: ['expect', 'I2', 'I6'],
    variant: {
      patches: [
        inAtomicWrite(
          "    await handle.sync();\n    step = 'close';",
          [
            '    const syncing = handle;',
            '    await syncing.sync().catch(async (error: unknown) => {',
            "      if (errorCode(error) !== 'EIO') throw error;",
            '      await syncing.sync();',
            '    });',
            "    step = 'close';",
          ].join('\n'),
        ),
      ],
    },
  },
];

export const ZOO: readonly ZooBug[] = [
  ...CRASH_CLASS_BUGS,
  ...ORACLE_CLASS_BUGS,
  ...PRODUCTION_ROOT_BUGS,
  ...OBSERVABLE_BUGS,
  ...WORLD_BUGS,
  ...LONG_HOLD_BUGS,
];
