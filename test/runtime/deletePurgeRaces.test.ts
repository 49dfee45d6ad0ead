// Deletion and purge when another process acts in the window between two of our calls, on the real
// filesystem (the `before` hook of recordingFs takes the rival's step just before our call reaches the
// disk): two deleters at once, a job finished or purged while the deleter waits for its lock, a
// session lock whose check fails with a real error, a job directory that vanishes under purge's tmp
// sweep. Each test names the outcome; the same window with a real error instead of the rival throws.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { dirname as dirOf, join } from 'node:path';
import { enqueue } from '../../src/enqueue.ts';
import { runPass } from '../../src/runnerPass.ts';
import { deleteJob } from '../../src/deleteJob.ts';
import { purge } from '../../src/purge.ts';
import { retryJob } from '../../src/retryJob.ts';
import { UsageError } from '../../src/errors.ts';
import { holdSessionLock, makeRealWorld, SRT, bytes, stampTree, type TestWorld } from '../support/realIo.ts';
import { errno, firstCall, racingIo, type FsCall } from '../support/recordingFs.ts';

let world: TestWorld;
beforeEach(async () => {
  world = await makeRealWorld({ ttlMs: 3600_000 });
});
afterEach(() => world.cleanup());

const root = () => world.config.root;
const jobDir = (id: string) => join(root(), 'jobs', id);
const add = (id: string, sessionId = 's1') =>
  enqueue(world.io, world.config, { jobId: id, sessionId, inputName: 'talk.srt', inputBytes: bytes(SRT) });
/** Two hours pass: every file, stamped with the test clock first, is as old as the clock says. */
const expire = async () => {
  await stampTree(world.root, world.clock.wallMs);
  world.clock.advance(2 * 3600_000);
};
const stateOf = async (id: string) =>
  JSON.parse(await readFile(join(jobDir(id), 'state.json'), 'utf8')) as { status: string };
const isTombstoneRename = (call: FsCall) =>
  call.op === 'rename' && (call.to ?? '').endsWith(join('jobs', 'a', 'deleted'));
const isSessionLink = (call: FsCall) =>
  call.op === 'link' && (call.to ?? '').endsWith(join('sessions', 's1', 'session.lock'));

describe('two deleters at once', () => {
  it("our tombstone's tmp file was removed under us, but the other deleter's tombstone is there: the deletion goes on", async () => {
    await add('a');
    await runPass(world.io, world.config);
    const first = firstCall(isTombstoneRename);
    const { io } = racingIo(world, 2, {
      before: async (call) => {
        if (!first(call)) return;
        await writeFile(join(jobDir('a'), 'deleted'), '{"deletedAt":1}\n'); // the other deleter's tombstone
        await unlink(call.path); // and its runner's tmp sweep took ours
      },
    });
    expect(await deleteJob(io, world.config, 'a')).toBe('deleted');
    expect((await stateOf('a')).status).toBe('deleted');
    expect((await readdir(jobDir('a'))).sort()).toEqual(['deleted', 'state.json']);
  });

  it('a tombstone write that fails with no tombstone written by anyone is thrown, and nothing is deleted', async () => {
    await add('a');
    await runPass(world.io, world.config);
    const { io } = racingIo(world, 2, {
      fail: (call) => (isTombstoneRename(call) ? errno('EACCES', 'rename') : undefined),
    });
    await expect(deleteJob(io, world.config, 'a')).rejects.toMatchObject({ code: 'EACCES' });
    expect((await stateOf('a')).status).toBe('complete');
    expect((await readdir(jobDir('a'))).filter((n) => n === 'deleted')).toEqual([]);
  });

  it('a removal under the lock that fails with a real error (not a takeover) is thrown, not reported pending; the tombstone stays and the next pass finishes', async () => {
    await add('a');
    await runPass(world.io, world.config);
    const input = join(jobDir('a'), 'input.srt');
    const { io } = racingIo(world, 2, {
      fail: (call) => (call.op === 'rename' && call.path === input ? errno('EACCES', 'rename') : undefined),
    });
    await expect(deleteJob(io, world.config, 'a')).rejects.toMatchObject({ code: 'EACCES' });
    expect((await stateOf('a')).status).toBe('complete');
    expect(await readdir(jobDir('a'))).toContain('deleted');
    await runPass(world.io, world.config);
    expect((await stateOf('a')).status).toBe('deleted');
    expect((await readdir(jobDir('a'))).sort()).toEqual(['deleted', 'state.json']);
  });

  it('the other deleter finishes while we wait for the session lock: already deleted, nothing done twice', async () => {
    await add('a');
    await runPass(world.io, world.config);
    const first = firstCall(isSessionLink);
    const { io } = racingIo(world, 2, {
      before: async (call) => {
        if (first(call)) expect(await deleteJob(world.withPid(3), world.config, 'a')).toBe('deleted');
      },
    });
    world.events.length = 0;
    expect(await deleteJob(io, world.config, 'a')).toBe('already-deleted');
    // Only the other deleter's job.deleted: ours removed and logged nothing.
    expect(world.events.filter((e) => e.event === 'job.deleted').map((e) => e.pid)).toEqual([3]);
  });

  it('the job is purged while we wait for the session lock: already deleted', async () => {
    await add('a');
    await runPass(world.io, world.config);
    const first = firstCall(isSessionLink);
    const { io } = racingIo(world, 2, {
      before: async (call) => {
        if (first(call)) await rm(jobDir('a'), { recursive: true });
      },
    });
    expect(await deleteJob(io, world.config, 'a')).toBe('already-deleted');
  });

  it('a session held by a live runner: the tombstone is written and the deletion is left to that runner (pending)', async () => {
    await add('a');
    const holder = await holdSessionLock(world, 's1', 5);
    expect(await deleteJob(world.io, world.config, 'a')).toBe('pending');
    expect((await stateOf('a')).status).toBe('queued');
    expect((await readdir(jobDir('a'))).sort()).toEqual(['deleted', 'input.srt', 'state.json']);
    await holder.release();
    // The next runner pass finishes it.
    await runPass(world.io, world.config);
    expect((await stateOf('a')).status).toBe('deleted');
  });

  it('a job already deleted is reported so at once, even while a live runner holds its session', async () => {
    await add('a');
    expect(await deleteJob(world.io, world.config, 'a')).toBe('deleted');
    const holder = await holdSessionLock(world, 's1', 5);
    expect(await deleteJob(world.io, world.config, 'a')).toBe('already-deleted');
    await holder.release();
  });
});

describe('a deleter fenced out mid-deletion', () => {
  it('removes nothing more once its session lock is taken over, and reports the deletion pending', async () => {
    await add('a');
    await runPass(world.io, world.config);
    const transcript = join(jobDir('a'), 'transcript.txt');
    const first = firstCall((call) => call.op === 'rename' && call.path === transcript);
    // A taker retires our work directory just before we move the job's transcript out.
    const { io } = racingIo(world, 2, {
      before: async (call) => {
        if (first(call)) await rm(dirOf(call.to ?? ''), { recursive: true });
      },
    });
    expect(await deleteJob(io, world.config, 'a')).toBe('pending');
    expect((await readdir(jobDir('a'))).sort()).toContain('transcript.txt');
    expect((await readFile(join(root(), 'sessions', 's1', 'transcript.txt'))).length).toBeGreaterThan(0);
    // The next holder finishes the deletion the tombstone asks for.
    await runPass(world.io, world.config);
    expect((await stateOf('a')).status).toBe('deleted');
  });
});

describe('purge', () => {
  it('a move of an expired job that fails with a real error (not a takeover) is thrown', async () => {
    await add('a');
    await runPass(world.io, world.config);
    await expire();
    const { io } = racingIo(world, 2, {
      fail: (call) => (call.op === 'rename' && call.path === jobDir('a') ? errno('EIO', 'rename') : undefined),
    });
    await expect(purge(io, world.config, undefined)).rejects.toMatchObject({ code: 'EIO' });
    expect(await readdir(join(root(), 'jobs'))).toEqual(['a']);
  });

  it('fenced out (its session lock taken over) before it moves an expired job: the job stays, nothing is counted', async () => {
    await add('a');
    await runPass(world.io, world.config);
    await expire();
    const first = firstCall((call) => call.op === 'rename' && call.path === jobDir('a'));
    // A taker retires our work directory just before the move: the move fails in the kernel (ENOENT).
    const { io } = racingIo(world, 2, {
      before: async (call) => {
        if (first(call)) await rm(dirOf(call.to ?? ''), { recursive: true });
      },
    });
    expect(await purge(io, world.config, undefined)).toMatchObject({ jobs: 0, files: 0 });
    expect((await stateOf('a')).status).toBe('complete');
    expect(world.events.map((e) => e.event)).toContain('lock.lost');
  });

  it('fenced out before it removes the session transcript: the transcript stays', async () => {
    await add('a');
    await runPass(world.io, world.config);
    await rm(jobDir('a'), { recursive: true }); // no job refers to the session any more
    await expire();
    const transcript = join(root(), 'sessions', 's1', 'transcript.txt');
    const first = firstCall((call) => call.op === 'rename' && call.path === transcript);
    const { io } = racingIo(world, 2, {
      before: async (call) => {
        if (first(call)) await rm(dirOf(call.to ?? ''), { recursive: true });
      },
    });
    expect(await purge(io, world.config, undefined)).toMatchObject({ files: 0 });
    expect((await readFile(transcript)).length).toBeGreaterThan(0);
  });

  it('an enqueue that commits while purge judges it incomplete is put back whole', async () => {
    await mkdir(jobDir('late'), { recursive: true });
    await expire();
    const capture = firstCall((call) => call.op === 'rename' && call.path === jobDir('late'));
    // The slow enqueue commits its input and state just before purge captures the directory.
    const { io } = racingIo(world, 2, {
      before: async (call) => {
        if (!capture(call)) return;
        await writeFile(join(jobDir('late'), 'input.srt'), SRT);
        await writeFile(join(jobDir('late'), 'state.json'), JSON.stringify({ status: 'queued' }));
      },
    });
    expect(await purge(io, world.config, undefined)).toMatchObject({ incompleteJobs: 0, files: 0 });
    expect((await readdir(jobDir('late'))).sort()).toEqual(['input.srt', 'state.json']);
    expect(world.events.map((e) => e.event)).toContain('purge.restored');
  });

  it('a captured enqueue that a crash left with its state.json is put back by the next purge; one without is removed', async () => {
    await mkdir(join(root(), 'jobs', '.tmp-unborn-kept.ab12'), { recursive: true });
    await writeFile(join(root(), 'jobs', '.tmp-unborn-kept.ab12', 'state.json'), '{}');
    await mkdir(join(root(), 'jobs', '.tmp-unborn-gone.cd34'), { recursive: true });
    await writeFile(join(root(), 'jobs', '.tmp-unborn-gone.cd34', 'input.srt'), SRT);
    await expire();
    expect(await purge(world.io, world.config, undefined)).toMatchObject({ tmp: 1, files: 1 });
    expect(await readdir(join(root(), 'jobs'))).toEqual(['kept']);
  });

  it("a kept job's directory that vanishes before its tmp sweep is skipped; one that cannot be listed is an error", async () => {
    await add('a');
    await add('b', 's2');
    await runPass(world.io, world.config);
    const first = firstCall((call) => call.op === 'readdir' && call.path === jobDir('a'));
    const vanish = racingIo(world, 2, {
      before: async (call) => {
        if (first(call)) await rm(jobDir('a'), { recursive: true });
      },
    });
    // b's directory holds a tmp file two hours old (by the test clock): still swept after a's vanished.
    const leftover = join(jobDir('b'), '.tmp-left-behind');
    await writeFile(leftover, '12345');
    const twoHoursAgo = new Date(world.clock.wallMs - 2 * 3600_000);
    await utimes(leftover, twoHoursAgo, twoHoursAgo);
    expect(await purge(vanish.io, world.config, undefined)).toEqual({
      jobs: 0,
      incompleteJobs: 0,
      sessions: 0,
      files: 1,
      bytes: 5,
      tmp: 1,
      locks: 0,
    });
    expect(await readdir(jobDir('b'))).not.toContain('.tmp-left-behind');
    const denied = racingIo(world, 2, {
      fail: (call) => (call.op === 'readdir' && call.path === jobDir('b') ? errno('EACCES', 'scandir') : undefined),
    });
    await expect(purge(denied.io, world.config, undefined)).rejects.toMatchObject({ code: 'EACCES' });
  });

  it('an expired job removed by another process while purge waits for its session lock is skipped, not counted', async () => {
    await add('a');
    await add('b');
    await runPass(world.io, world.config);
    await expire();
    const first = firstCall(isSessionLink);
    const { io } = racingIo(world, 2, {
      before: async (call) => {
        if (first(call)) await rm(jobDir('a'), { recursive: true });
      },
    });
    expect(await purge(io, world.config, undefined)).toMatchObject({ jobs: 1 });
    expect(await readdir(join(root(), 'jobs'))).toEqual([]);
  });

  it("a session directory removed by another process between purge's sweep of it and its removal is left alone", async () => {
    await add('a');
    await runPass(world.io, world.config);
    await rm(jobDir('a'), { recursive: true }); // s1 now has no job: its transcript is the session's last trace
    let looks = 0;
    const { io } = racingIo(world, 2, {
      before: async (call) => {
        // The first look is before the lock sweep; the second, purgeSession's own check, comes after it.
        if (call.op === 'lstat' && call.path === join(root(), 'sessions', 's1') && ++looks === 2)
          await rm(join(root(), 'sessions', 's1'), { recursive: true });
      },
    });
    expect(await purge(io, world.config, undefined)).toMatchObject({ sessions: 0, files: 0 });
    expect(looks).toBe(2);
  });
});

describe('manual retry', () => {
  it('a job removed while the retry waits for its session lock is an unknown job', async () => {
    await add('a');
    const { writeFile: write } = await import('node:fs/promises');
    const failed = { ...(await stateOf('a')), status: 'failed' };
    await write(join(jobDir('a'), 'state.json'), JSON.stringify(failed));
    const first = firstCall(isSessionLink);
    const { io } = racingIo(world, 2, {
      before: async (call) => {
        if (first(call)) await rm(jobDir('a'), { recursive: true });
      },
    });
    await expect(retryJob(io, world.config, 'a')).rejects.toThrow(new UsageError('unknown job a'));
  });
});
