// Deletion and purge details with exact counts: what deletion keeps (state, tombstone), when the
// shared session transcript goes with a deleted job, and purge's handling of abandoned enqueues,
// unreadable jobs, sessions in use, fresh transcripts and symlinked session directories.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { enqueue } from '../../src/enqueue.ts';
import { runPass } from '../../src/runnerPass.ts';
import { deleteJob } from '../../src/deleteJob.ts';
import { purge } from '../../src/purge.ts';
import { UsageError } from '../../src/errors.ts';
import { crc32 } from '../../src/checksum.ts';
import { withCrc32 } from '../support/crc32Collision.ts';
import { holdSessionLock, makeRealWorld, SRT, bytes, stampTree, type TestWorld } from '../support/realIo.ts';

let world: TestWorld;
beforeEach(async () => {
  world = await makeRealWorld({ ttlMs: 3600_000 });
});
afterEach(() => world.cleanup());

const root = () => world.config.root;
const add = (id: string, sessionId: string, text = SRT) =>
  enqueue(world.io, world.config, { jobId: id, sessionId, inputName: 'talk.srt', inputBytes: bytes(text) });
const sessionTranscript = (s: string) => join(root(), 'sessions', s, 'transcript.txt');
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('deletion', () => {
  it('keeps state and tombstone, logs what it removed, and keeps the session transcript while another job of the session lives', async () => {
    await add('a', 's1');
    await add('b', 's1');
    await runPass(world.io, world.config);
    expect(await deleteJob(world.io, world.config, 'a')).toBe('deleted');
    expect((await readdir(join(root(), 'jobs', 'a'))).sort()).toEqual(['deleted', 'state.json']);
    expect(JSON.parse(await readFile(join(root(), 'jobs', 'a', 'state.json'), 'utf8'))).toMatchObject({
      status: 'deleted',
      nextAttemptAt: null,
    });
    const inputBytes = SRT.length;
    const artifacts = (
      await Promise.all(['transcript.txt', 'draft.md', 'export.html'].map((n) => stat(join(root(), 'jobs', 'b', n))))
    ).reduce((sum, s) => sum + s.size, 0);
    expect(world.events.filter((e) => e.event === 'job.deleted')).toEqual([
      {
        event: 'job.deleted',
        jobId: 'a',
        sessionId: 's1',
        removedFiles: 4,
        removedBytes: inputBytes + artifacts,
        pid: 1000,
      },
    ]);
    expect(await exists(sessionTranscript('s1'))).toBe(true);
    // The last live job of the session takes the session transcript with it.
    world.events.length = 0;
    expect(await deleteJob(world.io, world.config, 'b')).toBe('deleted');
    expect(await exists(sessionTranscript('s1'))).toBe(false);
    expect(world.events.find((e) => e.event === 'job.deleted')).toMatchObject({ removedFiles: 5 });
    expect(await deleteJob(world.io, world.config, 'b')).toBe('already-deleted');
    await expect(deleteJob(world.io, world.config, 'zzz')).rejects.toThrow(new UsageError('unknown job zzz'));
  });

  it("a session transcript that is not the deleted job's (another job rewrote it) stays", async () => {
    await add('a', 's1');
    await runPass(world.io, world.config);
    await writeFile(sessionTranscript('s1'), 'a newer transcript of the session\n');
    expect(await deleteJob(world.io, world.config, 'a')).toBe('deleted');
    expect(await readFile(sessionTranscript('s1'), 'utf8')).toBe('a newer transcript of the session\n');
  });

  it("a session transcript of the same size but other bytes is not the deleted job's: it stays; the job's own goes, counted in bytes", async () => {
    await add('a', 's1');
    await runPass(world.io, world.config);
    const own = await readFile(sessionTranscript('s1'));
    const other = Buffer.from(own.map((byte) => (byte === 0x41 ? 0x42 : 0x41))); // same length, other bytes
    await writeFile(sessionTranscript('s1'), other);
    expect(await deleteJob(world.io, world.config, 'a')).toBe('deleted');
    expect(await readFile(sessionTranscript('s1'))).toEqual(other);
    // The same again with the job's own transcript in place: it goes, and its bytes are counted.
    await add('b', 's2');
    await runPass(world.io, world.config);
    const jobFiles = await Promise.all(
      ['input.srt', 'transcript.txt', 'draft.md', 'export.html'].map((n) => stat(join(root(), 'jobs', 'b', n))),
    );
    const transcriptBytes = (await stat(sessionTranscript('s2'))).size;
    world.events.length = 0;
    expect(await deleteJob(world.io, world.config, 'b')).toBe('deleted');
    expect(await exists(sessionTranscript('s2'))).toBe(false);
    expect(world.events.find((e) => e.event === 'job.deleted')).toMatchObject({
      removedFiles: 5,
      removedBytes: jobFiles.reduce((sum, s) => sum + s.size, 0) + transcriptBytes,
    });
  });

  it("a session transcript with the job's CRC but another length is not the deleted job's: it stays", async () => {
    await add('a', 's1');
    await runPass(world.io, world.config);
    const own = await readFile(sessionTranscript('s1'));
    const other = withCrc32(Buffer.from('a rewritten transcript of the session\n'), crc32(own));
    expect(other.length).not.toBe(own.length);
    await writeFile(sessionTranscript('s1'), other);
    expect(await deleteJob(world.io, world.config, 'a')).toBe('deleted');
    expect(await readFile(sessionTranscript('s1'))).toEqual(other);
  });

  it('a deleter whose session lock is taken over before it writes the deleted state commits nothing (fenced) and reports pending', async () => {
    await add('a', 's1');
    await runPass(world.io, world.config);
    const { recordingFs } = await import('../support/recordingFs.ts');
    const { nodeFileSystem } = await import('../../src/adapters/nodeFileSystem.ts');
    const { rename: renameReal } = await import('node:fs/promises');
    const sessionDir = join(root(), 'sessions', 's1');
    let taken = false;
    // The state write's tmp file is closed: just before its commit, a taker retires the deleter's lock.
    const { fs } = recordingFs(nodeFileSystem, {
      before: async (call) => {
        if (
          taken ||
          call.op !== 'close' ||
          !call.path.startsWith(join(sessionDir, '.tmp-work-')) ||
          call.path.endsWith('owner.json')
        )
          return;
        taken = true;
        const work = call.path.slice(sessionDir.length + 1).split('/')[0]!;
        await renameReal(
          join(sessionDir, work),
          join(sessionDir, `.tmp-reap-${work.slice('.tmp-work-'.length)}-by-00000000deadbeef`),
        );
      },
    });
    // The tombstone is durable: whoever holds the lock next finishes the deletion.
    expect(await deleteJob({ ...world.io, fs }, world.config, 'a')).toBe('pending');
    expect(taken).toBe(true);
    expect(world.events.map((e) => e.event)).toContain('lock.lost');
    expect(JSON.parse(await readFile(join(root(), 'jobs', 'a', 'state.json'), 'utf8'))).toMatchObject({
      status: 'complete',
    });
  });

  it('only a live job of the same session keeps the session transcript; a job still being enqueued keeps it too', async () => {
    await add('a', 's1');
    await add('b', 's2');
    await runPass(world.io, world.config);
    // b lives in another session: a's deletion takes s1's transcript; its lock events name the job.
    world.events.length = 0;
    expect(await deleteJob(world.io, world.config, 'a')).toBe('deleted');
    expect(await exists(sessionTranscript('s1'))).toBe(false);
    expect(world.events.find((e) => e.event === 'lock.acquired')).toMatchObject({
      lock: 'session',
      sessionId: 's1',
      jobId: 'a',
    });
    // A job directory with no state yet (an enqueue in progress) may be of the same session: keep, to be safe.
    await mkdir(join(root(), 'jobs', 'half'));
    expect(await deleteJob(world.io, world.config, 'b')).toBe('deleted');
    expect(await exists(sessionTranscript('s2'))).toBe(true);
  });

  it('the last job of a session is deleted even when the session transcript is already gone', async () => {
    await add('a', 's1');
    await runPass(world.io, world.config);
    const { rm } = await import('node:fs/promises');
    await rm(sessionTranscript('s1'));
    world.events.length = 0;
    expect(await deleteJob(world.io, world.config, 'a')).toBe('deleted');
    expect(world.events.find((e) => e.event === 'job.deleted')).toMatchObject({ removedFiles: 4 });
  });

  it('a job still being enqueued (no state yet) is an unknown job to delete and to retry', async () => {
    await mkdir(join(root(), 'jobs', 'half'), { recursive: true });
    const { retryJob } = await import('../../src/retryJob.ts');
    await expect(deleteJob(world.io, world.config, 'half')).rejects.toThrow(new UsageError('unknown job half'));
    await expect(retryJob(world.io, world.config, 'half')).rejects.toThrow(new UsageError('unknown job half'));
  });

  it('deleting a job that never got a transcript leaves the session transcript alone', async () => {
    await add('a', 's1');
    await runPass(world.io, world.config);
    await add('q', 's1');
    expect(await deleteJob(world.io, world.config, 'a')).toBe('deleted');
    expect(await deleteJob(world.io, world.config, 'q')).toBe('deleted');
    expect(await exists(sessionTranscript('s1'))).toBe(true);
  });
});

describe('purge', () => {
  it('removes an abandoned enqueue (no state) once stale, never an unreadable job; counts each', async () => {
    await mkdir(join(root(), 'jobs', 'abandoned'), { recursive: true });
    await writeFile(join(root(), 'jobs', 'abandoned', 'input.txt'), 'half');
    await mkdir(join(root(), 'jobs', 'unreadable'));
    await writeFile(join(root(), 'jobs', 'unreadable', 'state.json'), '{');
    const aged = new Date(world.clock.wallMs - 3 * 3600_000);
    for (const dir of ['abandoned', 'unreadable']) await utimes(join(root(), 'jobs', dir), aged, aged);
    expect(await purge(world.io, world.config, undefined)).toMatchObject({
      jobs: 0,
      incompleteJobs: 1,
      files: 1,
      bytes: 4,
    });
    expect(await readdir(join(root(), 'jobs'))).toEqual(['unreadable']);
    // A fresh abandoned enqueue may still be in progress: kept.
    await mkdir(join(root(), 'jobs', 'fresh'));
    await stampTree(join(root(), 'jobs', 'fresh'), world.clock.wallMs);
    expect((await purge(world.io, world.config, undefined)).incompleteJobs).toBe(0);
  });

  it('keeps a session with a live job, a fresh transcript, and a symlinked session directory', async () => {
    await add('a', 's1');
    await runPass(world.io, world.config);
    await mkdir(join(root(), 'sessions', 'orphan'));
    await writeFile(join(root(), 'sessions', 'orphan', 'transcript.txt'), 'x');
    await mkdir(join(world.root, 'elsewhere'));
    await writeFile(join(world.root, 'elsewhere', 'transcript.txt'), 'outside');
    await symlink(join(world.root, 'elsewhere'), join(root(), 'sessions', 'linked'));
    // The orphan's transcript is fresh by the test clock: kept; s1 has a live job: kept.
    await stampTree(world.root, world.clock.wallMs);
    expect(await purge(world.io, world.config, undefined)).toMatchObject({ jobs: 0, sessions: 0, files: 0 });
    // Two hours past both the job's last update and the transcript's mtime.
    world.clock.advance(2 * 3600_000);
    const report = await purge(world.io, world.config, undefined);
    // Now job a is past its TTL (its updatedAt is the test clock's), and the orphan's transcript too.
    expect(report).toMatchObject({ jobs: 1, sessions: 2 });
    expect((await readdir(join(root(), 'sessions'))).sort()).toEqual(['linked']);
    expect(await readFile(join(world.root, 'elsewhere', 'transcript.txt'), 'utf8')).toBe('outside');
  });
});

describe('purge under the session lock', () => {
  const expireAll = async () => {
    await stampTree(world.root, world.clock.wallMs);
    world.clock.advance(2 * 3600_000);
  };

  it('re-reads each job under the lock: a job retried (queued again) or moved meanwhile is kept', async () => {
    await add('a', 's1');
    await add('b', 's1');
    await runPass(world.io, world.config);
    await expireAll();
    const { nodeFileSystem } = await import('../../src/adapters/nodeFileSystem.ts');
    let changed = false;
    const fs = {
      ...nodeFileSystem,
      // Just before purge takes s1's lock, a manual retry requeues a and b moves to another session.
      link: async (from: string, to: string) => {
        if (!changed && to.endsWith(join('sessions', 's1', 'session.lock'))) {
          changed = true;
          const a = JSON.parse(await readFile(join(root(), 'jobs', 'a', 'state.json'), 'utf8'));
          await writeFile(join(root(), 'jobs', 'a', 'state.json'), JSON.stringify({ ...a, status: 'queued' }));
          const b = JSON.parse(await readFile(join(root(), 'jobs', 'b', 'state.json'), 'utf8'));
          await writeFile(join(root(), 'jobs', 'b', 'state.json'), JSON.stringify({ ...b, sessionId: 's9' }));
        }
        return nodeFileSystem.link(from, to);
      },
    };
    const report = await purge({ ...world.io, fs }, world.config, undefined);
    expect(changed).toBe(true);
    expect(report.jobs).toBe(0);
    expect((await readdir(join(root(), 'jobs'))).sort()).toEqual(['a', 'b']);
  });

  it('a busy session keeps its expired jobs and its transcript for a later pass; junk names in sessions/ are left alone', async () => {
    await add('a', 's1');
    await runPass(world.io, world.config);
    await expireAll();
    await mkdir(join(root(), 'sessions', 'not a session'));
    const holder = await holdSessionLock(world, 's1', 5);
    expect(await purge(world.io, world.config, undefined)).toMatchObject({ jobs: 0, sessions: 0, files: 0 });
    expect(await exists(sessionTranscript('s1'))).toBe(true);
    await holder.release();
    expect(await purge(world.io, world.config, undefined)).toMatchObject({ jobs: 1, sessions: 1 });
    expect((await readdir(join(root(), 'sessions'))).sort()).toEqual(['not a session']);
  });

  it('stops removing when its session lock is taken over, and reports only what it removed', async () => {
    for (const id of ['a', 'b', 'c']) await add(id, 's1');
    await runPass(world.io, world.config);
    await expireAll();
    const { nodeFileSystem } = await import('../../src/adapters/nodeFileSystem.ts');
    let movedDirs = 0;
    const fs = {
      ...nodeFileSystem,
      rename: async (from: string, to: string) => {
        await nodeFileSystem.rename(from, to);
        // After the first job directory is moved out, another process retires purge's session lock.
        if (/\/jobs\/[abc]$/.test(from) && ++movedDirs === 1) {
          const dir = join(root(), 'sessions', 's1');
          const work = (await readdir(dir)).find((n) => n.startsWith('.tmp-work-'))!;
          await (
            await import('node:fs/promises')
          ).rename(join(dir, work), join(dir, `.tmp-reap-${work.slice(10)}-by-00000000deadbeef`));
        }
      },
    };
    const report = await purge({ ...world.io, fs }, world.config, undefined);
    expect(report.jobs).toBe(1);
    expect(await readdir(join(root(), 'jobs'))).toHaveLength(2);
  });
});

describe('purge report and durability', () => {
  it('counts swept tmp files and locks into the report, logs it, and fsyncs jobs/ once expired jobs are moved out and again once they are removed (only then)', async () => {
    await add('a', 's1');
    await runPass(world.io, world.config);
    const { recordingFs } = await import('../support/recordingFs.ts');
    const { nodeFileSystem } = await import('../../src/adapters/nodeFileSystem.ts');
    await stampTree(world.root, world.clock.wallMs);
    // Nothing expired yet: no fsync of jobs/.
    const quiet = recordingFs(nodeFileSystem);
    await purge({ ...world.io, fs: quiet.fs }, world.config, undefined);
    expect(quiet.calls.filter((c) => c.op === 'fsyncDir' && c.path === join(root(), 'jobs'))).toEqual([]);
    // A stale runner lock of a dead pid, a stale tmp in a session directory and an expired job.
    const { acquireLock } = await import('../../src/ownerLock.ts');
    const dead = await acquireLock(world.withPid(77), {
      name: 'runner',
      path: join(root(), 'runner.lock'),
      staleAfterMs: 60_000,
      heartbeatEveryMs: 10_000,
    });
    expect(dead.acquired).toBe(true);
    world.dead.add(77);
    await writeFile(join(root(), 'sessions', 's1', '.tmp-stale'), 'abc');
    const hourAgo = new Date(world.clock.wallMs - 3600_000);
    await utimes(join(root(), 'sessions', 's1', '.tmp-stale'), hourAgo, hourAgo);
    world.clock.advance(2 * 3600_000);
    world.events.length = 0;
    const busy = recordingFs(nodeFileSystem);
    const report = await purge({ ...world.io, fs: busy.fs }, world.config, undefined);
    expect(report).toMatchObject({ jobs: 1, locks: 1, tmp: 1, sessions: 1 });
    expect(world.events.find((e) => e.event === 'purge.done')).toEqual({ event: 'purge.done', ...report, pid: 1000 });
    const calls = busy.calls.map((c) => `${c.op} ${c.path.slice(root().length)}`);
    // The job directory is moved into the session lock's work directory: the fence (fencedRemoval.ts).
    const moved = calls.findIndex((c) => /^rename \/jobs\/a$/.test(c));
    expect(busy.calls[moved]?.to).toMatch(/\/sessions\/s1\/\.tmp-work-[0-9a-f]+\/doomed-a-[0-9a-f]+$/);
    // jobs/ is fsynced once the move is made, before anything inside the moved directory is removed,
    // and again after the last removal.
    const at = (match: (c: string) => boolean) => calls.flatMap((c, i) => (match(c) ? [i] : []));
    const syncs = at((c) => c === 'fsyncDir /jobs');
    const removals = at((c) => /^(unlink|rmdir) \/sessions\/s1\/.*\/doomed-a-/.test(c));
    expect(moved).toBeGreaterThan(-1);
    expect(syncs).toHaveLength(2);
    expect(removals.length).toBeGreaterThan(0);
    expect([moved < syncs[0]!, syncs[0]! < removals[0]!, removals.at(-1)! < syncs[1]!]).toEqual([true, true, true]);
  });
});
