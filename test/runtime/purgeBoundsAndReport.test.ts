// Purge's exact edges on the real filesystem: the TTL and stale bounds are strict (exactly the bound
// is not yet expired), what it logs for the locks it reaps and takes (lock name and ids), how it counts
// tmp files in job directories and in the data root, and the session directories it must leave alone
// (a file named like a session, a session whose lock is held, a listing it cannot read).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { enqueue } from '../../src/enqueue.ts';
import { runPass } from '../../src/runnerPass.ts';
import { purge } from '../../src/purge.ts';
import { acquireLock } from '../../src/ownerLock.ts';
import { nodeFileSystem } from '../../src/adapters/nodeFileSystem.ts';
import { makeRealWorld, SRT, bytes, stampTree, type TestWorld } from '../support/realIo.ts';
import { errno, recordingFs } from '../support/recordingFs.ts';

const TTL_MS = 3600_000;
let world: TestWorld;
beforeEach(async () => {
  world = await makeRealWorld({ ttlMs: TTL_MS });
});
afterEach(() => world.cleanup());

const root = () => world.config.root;
const add = (id: string, sessionId = 's1') =>
  enqueue(world.io, world.config, { jobId: id, sessionId, inputName: 'talk.srt', inputBytes: bytes(SRT) });
const eventsNamed = (name: string) => world.events.filter((e) => e.event === name);
/** Sets a path's mtime to `ms` (whole milliseconds, so the test clock can stand exactly on a bound). */
const setMtime = (path: string, ms: number) => utimes(path, new Date(ms), new Date(ms));
const lockOptions = (path: string) => ({
  name: 'session' as const,
  path,
  staleAfterMs: 60_000,
  heartbeatEveryMs: 10_000,
});

describe('bounds are strict', () => {
  it('a finished job exactly at its TTL is kept; one millisecond later it goes', async () => {
    await add('a');
    await runPass(world.io, world.config);
    const updatedAt = world.clock.wallMs;
    world.clock.wallMs = updatedAt + TTL_MS;
    expect((await purge(world.io, world.config, undefined)).jobs).toBe(0);
    world.clock.wallMs = updatedAt + TTL_MS + 1;
    expect((await purge(world.io, world.config, undefined)).jobs).toBe(1);
  });

  it('an abandoned enqueue (no state) exactly at the stale bound is kept; one millisecond later it goes', async () => {
    const dir = join(root(), 'jobs', 'half');
    await mkdir(dir, { recursive: true });
    const mtimeMs = 1_700_000_000_000;
    await setMtime(dir, mtimeMs);
    world.clock.wallMs = mtimeMs + world.config.staleAfterMs;
    expect((await purge(world.io, world.config, undefined)).incompleteJobs).toBe(0);
    world.clock.wallMs = mtimeMs + world.config.staleAfterMs + 1;
    expect((await purge(world.io, world.config, undefined)).incompleteJobs).toBe(1);
  });
});

describe('what purge logs and counts', () => {
  it('names the lock and session of every lock it reaps, and the job of the session lock it takes', async () => {
    await add('a');
    await runPass(world.io, world.config);
    await stampTree(world.root, world.clock.wallMs); // s1's transcript ages by the test clock
    const sessionLock = await acquireLock(
      world.withPid(71),
      lockOptions(join(root(), 'sessions', 's1', 'session.lock')),
    );
    const runnerLock = await acquireLock(world.withPid(72), {
      ...lockOptions(join(root(), 'runner.lock')),
      name: 'runner',
    });
    expect(sessionLock.acquired && runnerLock.acquired).toBe(true);
    world.dead.add(71);
    world.dead.add(72);
    world.events.length = 0;
    expect(await purge(world.io, world.config, undefined)).toMatchObject({ jobs: 0, locks: 2 });
    expect(
      eventsNamed('lock.reaped').map(({ lock, sessionId, by, reason }) => ({ lock, sessionId, by, reason })),
    ).toEqual([
      { lock: 'session', sessionId: 's1', by: 'purge', reason: 'owner process is dead' },
      { lock: 'runner', sessionId: undefined, by: 'purge', reason: 'owner process is dead' },
    ]);
    // Past the TTL: the session lock purge takes to remove job a names the session and the job.
    world.clock.wallMs += 2 * TTL_MS;
    world.events.length = 0;
    expect(await purge(world.io, world.config, undefined)).toMatchObject({ jobs: 1 });
    expect(eventsNamed('lock.acquired')).toEqual([
      expect.objectContaining({ lock: 'session', sessionId: 's1', jobId: 'a' }),
      expect.objectContaining({ lock: 'session', sessionId: 's1' }),
    ]);
  });

  it('counts stale tmp files and their bytes in kept job directories and in the data root', async () => {
    await add('a');
    await runPass(world.io, world.config);
    await stampTree(world.root, world.clock.wallMs);
    const old = world.clock.wallMs - 3 * 60_000;
    await writeFile(join(root(), 'jobs', 'a', '.tmp-left-behind'), '12345');
    await setMtime(join(root(), 'jobs', 'a', '.tmp-left-behind'), old);
    await writeFile(join(root(), '.tmp-root-leftover'), '123');
    await setMtime(join(root(), '.tmp-root-leftover'), old);
    expect(await purge(world.io, world.config, undefined)).toEqual({
      jobs: 0,
      incompleteJobs: 0,
      sessions: 0,
      files: 2,
      bytes: 8,
      tmp: 2,
      locks: 0,
    });
    expect((await readdir(root())).sort()).toEqual(['jobs', 'sessions']);
  });
});

describe('job directories purge leaves alone', () => {
  it('a symlinked job directory is never swept, nor is an unreadable job (its files are the evidence)', async () => {
    const elsewhere = join(world.root, 'elsewhere');
    await mkdir(elsewhere);
    await writeFile(join(elsewhere, '.tmp-outside'), 'not ours');
    await mkdir(join(root(), 'jobs', 'broken'), { recursive: true });
    await writeFile(join(root(), 'jobs', 'broken', 'state.json'), '{');
    await writeFile(join(root(), 'jobs', 'broken', '.tmp-last-write'), 'maybe the newest state');
    await stampTree(world.root, world.clock.wallMs);
    const old = world.clock.wallMs - 2 * TTL_MS;
    for (const path of [join(elsewhere, '.tmp-outside'), join(root(), 'jobs', 'broken', '.tmp-last-write')])
      await setMtime(path, old);
    const { symlink } = await import('node:fs/promises');
    await symlink(elsewhere, join(root(), 'jobs', 'linked'));
    world.clock.advance(2 * TTL_MS);
    expect(await purge(world.io, world.config, undefined)).toMatchObject({ tmp: 0, files: 0 });
    expect(await readdir(elsewhere)).toEqual(['.tmp-outside']);
    expect((await readdir(join(root(), 'jobs', 'broken'))).sort()).toEqual(['.tmp-last-write', 'state.json']);
  });
});

describe('session directories purge leaves alone', () => {
  it('a file named like a session is not a session directory: untouched', async () => {
    await mkdir(join(root(), 'sessions'), { recursive: true });
    await writeFile(join(root(), 'sessions', 'plain'), 'not a directory');
    await stampTree(world.root, world.clock.wallMs);
    world.clock.advance(2 * TTL_MS);
    expect(await purge(world.io, world.config, undefined)).toMatchObject({ sessions: 0, files: 0 });
    expect((await stat(join(root(), 'sessions', 'plain'))).isFile()).toBe(true);
  });

  it('a symlinked session directory is never swept: stale tmp files and locks it leads to stay where they are', async () => {
    const elsewhere = join(world.root, 'elsewhere');
    await mkdir(elsewhere);
    await writeFile(join(elsewhere, '.tmp-outside'), 'not ours');
    await setMtime(join(elsewhere, '.tmp-outside'), world.clock.wallMs - 2 * TTL_MS);
    await mkdir(join(root(), 'sessions'), { recursive: true });
    const { symlink } = await import('node:fs/promises');
    await symlink(elsewhere, join(root(), 'sessions', 'linked'));
    world.clock.advance(2 * TTL_MS);
    expect(await purge(world.io, world.config, undefined)).toMatchObject({ sessions: 0, files: 0, tmp: 0 });
    expect(await readdir(elsewhere)).toEqual(['.tmp-outside']);
  });

  it('a session with no job left whose lock is held by a live process is kept, not counted', async () => {
    await mkdir(join(root(), 'sessions', 'orphan'), { recursive: true });
    await writeFile(join(root(), 'sessions', 'orphan', 'transcript.txt'), 'old');
    await setMtime(join(root(), 'sessions', 'orphan', 'transcript.txt'), world.clock.wallMs - 2 * TTL_MS);
    const holder = await acquireLock(
      world.withPid(73),
      lockOptions(join(root(), 'sessions', 'orphan', 'session.lock')),
    );
    expect(holder.acquired).toBe(true);
    expect(await purge(world.io, world.config, undefined)).toMatchObject({ sessions: 0, files: 0 });
    expect(await readdir(join(root(), 'sessions', 'orphan'))).toContain('transcript.txt');
    if (holder.acquired) await holder.lock.release();
    expect(await purge(world.io, world.config, undefined)).toMatchObject({ sessions: 1, files: 1, bytes: 3 });
  });

  it('a sessions/ listing that fails with anything but ENOENT is thrown', async () => {
    await add('a');
    const { fs } = recordingFs(nodeFileSystem, {
      fail: (call) =>
        call.op === 'readdir' && call.path === join(root(), 'sessions') ? errno('EACCES', 'scandir') : undefined,
    });
    await expect(purge({ ...world.io, fs }, world.config, undefined)).rejects.toMatchObject({ code: 'EACCES' });
  });
});
