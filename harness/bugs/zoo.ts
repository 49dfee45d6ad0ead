// The bug zoo: durability bugs that real systems ship, each a small variant of the one runtime
// function it breaks, swapped in through io.variants (src/variants.ts) or a FileSystem decorator.
// `npm run zoo` shows that the harness catches every one of them, and with what.
import type { FileHandle, FileSystem } from '../../src/ports/fileSystem.ts';
import type { RuntimeVariants } from '../../src/variants.ts';
import type { Io } from '../../src/ports/io.ts';
import { writeAll, writeFileAtomic, wrapFileError } from '../../src/writeFileAtomic.ts';
import { HeldLock, workDirOf, type OwnerRecord } from '../../src/ownerLock.ts';
import { ensureDir } from '../../src/ensureDir.ts';
import { Layout, TMP_PREFIX, baseName, dirName, joinPath } from '../../src/layout.ts';
import { acquireLock } from '../../src/ownerLock.ts';
import { writeJobState, type JobState } from '../../src/jobState.ts';
import { readOptional } from '../../src/pipeline.ts';
import { removeTree } from '../../src/removeTree.ts';
import { noDirFsync, noFileFsync } from './fsBugs.ts';
import { decorateFileSystem } from '../faults/decorateFileSystem.ts';

import type { ZooBug } from './zooBug.ts';
import { ORACLE_CLASS_BUGS } from './zooOracleClasses.ts';

export type { ZooBug };

const real = <T extends { variants?: RuntimeVariants }>(io: T): T => ({ ...io, variants: undefined });
const enc = new TextEncoder();
const toBytes = (content: Uint8Array | string) => (typeof content === 'string' ? enc.encode(content) : content);

/** writeFileAtomic run on a filesystem view that misbehaves only inside that call. */
const writeWith = (view: (fs: FileSystem) => FileSystem): RuntimeVariants['writeFileAtomic'] =>
  (io, path, content, options) => writeFileAtomic({ fs: view(io.fs), random: io.random }, path, content, options);

const handleView = (fs: FileSystem, wrap: (handle: FileHandle) => FileHandle): FileSystem => decorateFileSystem(fs, { handle: wrap });

const CRASH_CLASS_BUGS: readonly ZooBug[] = [
  {
    id: 'no-file-fsync',
    title: 'no fsync of the file before rename',
    seenIn: 'steno; countless hand-rolled writers; the ext4 2009 zero-length-file reports',
    expect: ['I2', 'I6'],
    variant: { variants: { writeFileAtomic: writeWith(noFileFsync) } },
  },
  {
    id: 'no-dir-fsync',
    title: 'no fsync of the directory after rename',
    seenIn: 'write-file-atomic, steno, atomically',
    expect: ['I6', 'I2'],
    variant: { variants: { writeFileAtomic: writeWith(noDirFsync) } },
  },
  {
    id: 'overwrite-in-place',
    title: 'overwrite the final file in place instead of tmp + rename',
    seenIn: 'fs.writeFile for "final" files; ALICE found it in several mature systems',
    expect: ['I2', 'I6'],
    variant: {
      variants: {
        writeFileAtomic: async (io, path, content) => {
          const handle = await io.fs.open(path, 'w', 0o644);
          const bytes = toBytes(content);
          await writeAll(handle, bytes);
          await handle.sync();
          await handle.close();
        },
      },
    },
  },
  {
    id: 'tmp-without-wx',
    title: 'tmp file with a predictable name opened without O_EXCL (follows a planted symlink)',
    seenIn: 'CWE-377 insecure temporary file; many "atomic write" snippets use `${file}.tmp`',
    expect: ['I3', 'I2'],
    variant: {
      variants: {
        writeFileAtomic: async (io, path, content) => {
          const tmp = joinPath(dirName(path), `${TMP_PREFIX}${baseName(path)}`);
          const handle = await io.fs.open(tmp, 'w', 0o644);
          const bytes = toBytes(content);
          await writeAll(handle, bytes);
          await handle.sync();
          await handle.close();
          await io.fs.rename(tmp, path);
          await io.fs.syncDir(dirName(path));
        },
      },
    },
  },
  {
    id: 'short-write-ignored',
    title: 'a short write is taken as complete',
    seenIn: 'write(2) callers that ignore the returned count; Node FileHandle.write users',
    expect: ['I2', 'I6'],
    variant: { variants: { writeFileAtomic: writeWith((fs) => handleView(fs, (h) => ({ ...h, write: async (data, position) => { await h.write(data, position); return data.length; } }))) } },
  },
  {
    id: 'state-before-artifact',
    title: 'state marked done before the artifact is written (ordering)',
    seenIn: 'job runners that flip a status column, then write the file',
    expect: ['I1', 'I2', 'I6'],
    variant: {
      variants: {
        commitStage: async (c) => {
          await writeJobState(c.io, c.jobDir, c.next, c.commit);
          if (c.produced) for (const path of c.outputs) await writeFileAtomic(c.io, path, c.bytes, c.commit);
          if (c.next.status === 'complete') c.io.log.emit('job.complete', { jobId: c.next.jobId, sessionId: c.next.sessionId, attempts: c.next.attempts });
        },
      },
    },
  },
  {
    id: 'ack-before-durable',
    title: 'success acknowledged before the state is durable',
    seenIn: 'APIs that answer 200 and persist afterwards; PostgreSQL synchronous_commit=off (by choice)',
    expect: ['I6'],
    variant: {
      variants: {
        commitStage: async (c, commitStage) => {
          if (c.next.status === 'complete') c.io.log.emit('job.complete', { jobId: c.next.jobId, sessionId: c.next.sessionId, attempts: c.next.attempts });
          await commitStage({ ...c, next: { ...c.next, status: c.next.status === 'complete' ? 'running' : c.next.status } as JobState });
          if (c.next.status === 'complete') await writeJobState(c.io, c.jobDir, c.next, c.commit);
        },
      },
    },
  },
  {
    id: 'lock-check-then-create',
    title: 'lock acquired by "does it exist? no → create it" (not atomic)',
    seenIn: 'pid-file and lock-file code without O_EXCL or link',
    expect: ['I4'],
    variant: {
      variants: {
        acquireLock: async (io, options) => {
          if ((await io.fs.stat(options.path).catch(() => undefined)) !== undefined) return acquireLock(real(io), options);
          const token = io.random.hex(8);
          const record: OwnerRecord = { lock: options.name, pid: io.processes.pid, host: io.processes.host, token, acquiredAt: io.clock.nowMs() };
          const workDir = workDirOf(options.path, token);
          await io.fs.mkdir(workDir);
          const handle = await io.fs.open(options.path, 'w', 0o644);
          const bytes = enc.encode(JSON.stringify(record));
          await writeAll(handle, bytes);
          await handle.close();
          const lock = new HeldLock(real(io), options, record, workDir);
          io.log.emit('lock.acquired', { lock: options.name, ...options.logFields, token });
          return { acquired: true, lock };
        },
      },
    },
  },
  {
    id: 'stale-takeover-no-token-check',
    title: 'stale takeover by unlink → create, without checking whose lock is unlinked',
    seenIn: 'proper-lockfile (stat → rmdir → mkdir): two processes can hold one lock',
    expect: ['I4'],
    variant: {
      variants: {
        retire: async (io, options, staleToken) => {
          await io.fs.unlink(options.path).catch(() => undefined);
          await removeTree(io.fs, workDirOf(options.path, staleToken)).catch(() => undefined);
          return 'retired';
        },
      },
    },
  },
  {
    id: 'no-fencing',
    title: 'no fencing: a taken-over owner keeps committing',
    seenIn: 'every lease without a fencing token (Kleppmann, "How to do distributed locking")',
    expect: ['expect', 'I4'],
    variant: { variants: { commitOptions: () => ({}) } },
  },
  {
    id: 'lock-kept-on-failure',
    title: 'session lock not released on a failure path',
    seenIn: 'release() outside finally; the plan\'s own history (runner.lock before 08b7313)',
    expect: ['I3'],
    variant: {
      variants: {
        withSessionLock: async (io, config, sessionId, logFields, work) => {
          const layout = new Layout(config.root);
          await ensureDir(io.fs, layout.sessionDir(sessionId), layout.root);
          const result = await acquireLock(io, { name: 'session', path: layout.sessionLock(sessionId), staleAfterMs: config.staleAfterMs, heartbeatEveryMs: config.heartbeatEveryMs, logFields: { sessionId, ...logFields } });
          if (!result.acquired) return { acquired: false, holder: result.holder };
          // Released on the success path only: `release()` after the work instead of in `finally`,
          // with the job's failure outcomes taking an early return.
          const value = await work(result.lock);
          if ((value as unknown) === 'failed' || (value as unknown) === 'retry_scheduled') return { acquired: true, value };
          await result.lock.release();
          return { acquired: true, value };
        },
      },
    },
  },
  {
    id: 'tmp-kept-on-error',
    title: 'tmp file not removed when the write fails',
    seenIn: 'write-file-atomic before 2.x; most ad-hoc tmp+rename helpers',
    expect: ['I3', 'I5'],
    variant: { variants: { writeFileAtomic: writeWith((fs) => ({ ...handleView(fs, (h) => h), unlink: async (path) => { if (!baseName(path).startsWith(TMP_PREFIX)) await fs.unlink(path); } })) } },
  },
  {
    id: 'skip-trusts-existing-file',
    title: 'stage skip that trusts any non-empty file (torn or foreign)',
    seenIn: 'the plan\'s own Patch 3 ("exists and is non-empty")',
    expect: ['I1', 'I2'],
    variant: { variants: { outputsValid: async (io, jobOutput) => ((await readOptional(io as Io, jobOutput))?.length ?? 0) > 0 } },
  },
  {
    id: 'skip-ignores-session-transcript',
    title: 'transcript skip that ignores the session transcript',
    seenIn: 'the consistency guard the plan had to add in Patch 3',
    expect: ['expect', 'I1', 'I6'],
    variant: {
      variants: {
        outputsValid: async (io, jobOutput, _session, expected) => {
          const bytes = await readOptional(io as Io, jobOutput);
          return bytes !== undefined && bytes.length === expected.sizeBytes;
        },
      },
    },
  },
  {
    id: 'deletion-never-checked',
    title: 'the deletion flag is never checked',
    seenIn: 'the plan\'s "Job deleted during execution: Undefined"',
    expect: ['expect', 'I3'],
    variant: { variants: { hasTombstone: async () => false } },
  },
  {
    id: 'deletion-leaves-artifacts',
    title: 'deletion marks the job deleted and leaves its files',
    seenIn: 'soft deletes that never clean up',
    expect: ['expect', 'I3'],
    variant: {
      variants: {
        finishDeletion: async (io, config, lock, state) => {
          await writeJobState(io, new Layout(config.root).jobDir(state.jobId), { ...state, status: 'deleted', updatedAt: io.clock.nowMs() }, { tmpDir: lock.workDir });
          io.log.emit('job.deleted', { jobId: state.jobId, sessionId: state.sessionId });
        },
      },
    },
  },
  {
    id: 'permanent-retried',
    title: 'permanent errors are retried automatically',
    seenIn: 'retry wrappers that retry every exception',
    expect: ['expect', 'I7'],
    variant: { variants: { classifyError: (error) => ({ kind: 'transient', name: (error as Error).name ?? 'Error', message: String((error as Error).message ?? error), basis: 'retry everything' }) } },
  },
  {
    id: 'transient-never-retried',
    title: 'transient errors fail the job for good',
    seenIn: 'no retry policy at all; the plan before Phase 2',
    expect: ['expect', 'I7'],
    variant: { variants: { classifyError: (error) => ({ kind: 'permanent', name: (error as Error).name ?? 'Error', message: String((error as Error).message ?? error), basis: 'retry nothing' }) } },
  },
  {
    id: 'backoff-ignored',
    title: 'backoff not honoured: a scheduled retry runs on the next pass',
    seenIn: 'queues that store nextAttemptAt and never read it',
    expect: ['I7'],
    variant: { variants: { isDue: () => true } },
  },
  {
    id: 'purge-by-clock-distance',
    title: 'purge by |now − updatedAt|: a backward clock step purges fresh work',
    seenIn: 'TTL code using absolute age or Math.abs on clock differences',
    expect: ['expect', 'I3'],
    variant: { variants: { isExpired: (nowMs, updatedAtMs, ttlMs) => Math.abs(nowMs - updatedAtMs) > ttlMs } },
  },
  {
    id: 'fsync-eio-retried',
    title: 'fsync EIO retried and the second success trusted',
    seenIn: 'PostgreSQL before 2018 ("fsyncgate"); many storage engines',
    expect: ['expect', 'I2', 'I6'],
    variant: {
      variants: {
        writeFileAtomic: writeWith((fs) => handleView(fs, (h) => ({
          ...h,
          sync: async () => {
            try {
              await h.sync();
            } catch (error) {
              if ((error as { code?: string }).code !== 'EIO') throw wrapFileError(error, 'fsync', '');
              await h.sync();
            }
          },
        }))),
      },
    },
  },
];

export const ZOO: readonly ZooBug[] = [...CRASH_CLASS_BUGS, ...ORACLE_CLASS_BUGS];
