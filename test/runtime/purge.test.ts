// Purge on the real filesystem: what it removes, what it must keep, and that its counts are exact.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { enqueue } from '../../src/enqueue.ts';
import { runPass } from '../../src/runnerPass.ts';
import { purge } from '../../src/purge.ts';
import { acquireLock } from '../../src/ownerLock.ts';
import { bytes, makeRealWorld, stampTree, type TestWorld } from '../support/realIo.ts';

let world: TestWorld;
beforeEach(async () => {
  world = await makeRealWorld({ ttlMs: 3600_000 });
});
afterEach(() => world.cleanup());
const DAY_MS = 24 * 3600_000;

describe('purge', () => {
  it('removes finished jobs past their TTL and their session, and reports exact counts', async () => {
    const done = await enqueue(world.io, world.config, {
      sessionId: 's1',
      inputName: 'a.txt',
      inputBytes: bytes('alpha'),
    });
    await runPass(world.io, world.config);
    const jobDir = join(world.config.root, 'jobs', done);
    let expectedBytes = 0;
    for (const name of await readdir(jobDir)) expectedBytes += (await stat(join(jobDir, name))).size;
    expectedBytes += (await stat(join(world.config.root, 'sessions/s1/transcript.txt'))).size;
    await stampTree(world.root, world.clock.wallMs); // the session transcript ages by the test clock
    world.clock.advance(2 * 3600_000);
    const report = await purge(world.io, world.config, undefined);
    expect(report).toMatchObject({ jobs: 1, sessions: 1, files: 6, bytes: expectedBytes, locks: 0, tmp: 0 });
    expect(await readdir(join(world.config.root, 'jobs'))).toEqual([]);
    expect(await readdir(join(world.config.root, 'sessions'))).toEqual([]);
  });

  it('keeps queued work whatever its age, and keeps everything when the clock stepped backwards', async () => {
    await enqueue(world.io, world.config, { sessionId: 's1', inputName: 'a.txt', inputBytes: bytes('alpha') });
    world.clock.advance(30 * DAY_MS);
    expect(await purge(world.io, world.config, undefined)).toMatchObject({ jobs: 0, files: 0 });
    await runPass(world.io, world.config);
    world.clock.wallMs -= 10 * DAY_MS;
    expect(await purge(world.io, world.config, undefined)).toMatchObject({ jobs: 0, files: 0, sessions: 0 });
  });

  it('removes stale tmp files and stale locks, keeps fresh ones, and counts each', async () => {
    const id = await enqueue(world.io, world.config, {
      sessionId: 's1',
      inputName: 'a.txt',
      inputBytes: bytes('alpha'),
    });
    const jobDir = join(world.config.root, 'jobs', id);
    await writeFile(join(jobDir, '.tmp-deadbeefdeadbeef'), 'partial');
    await writeFile(join(jobDir, '.tmp-0123456789abcdef'), 'fresh');
    // Everything is fresh by the test clock but one tmp file, an hour old.
    await stampTree(world.root, world.clock.wallMs);
    const hourAgo = new Date(world.clock.wallMs - 3600_000);
    await utimes(join(jobDir, '.tmp-deadbeefdeadbeef'), hourAgo, hourAgo);
    await mkdir(join(world.config.root, 'sessions/s1'), { recursive: true });
    const dead = await acquireLock(world.withPid(77), {
      name: 'session',
      path: join(world.config.root, 'sessions/s1/session.lock'),
      staleAfterMs: 60_000,
      heartbeatEveryMs: 10_000,
    });
    expect(dead.acquired).toBe(true);
    world.dead.add(77);
    const report = await purge(world.io, world.config, undefined);
    // The stale lock's files count too: the lock file and its work directory's owner record.
    expect(report).toMatchObject({ locks: 1, tmp: 1, files: 3, jobs: 0 });
    expect(report.bytes).toBeGreaterThan('partial'.length + 2 * 90);
    expect(await readdir(join(world.config.root, 'sessions/s1'))).toEqual([]);
    expect((await readdir(jobDir)).sort()).toEqual(['.tmp-0123456789abcdef', 'input.txt', 'state.json']);
  });

  it("takes each session lock once for all of its expired jobs, and leaves a busy session's jobs for a later pass", async () => {
    const s1: string[] = [];
    for (const name of ['a.txt', 'b.txt', 'c.txt'])
      s1.push(
        await enqueue(world.io, world.config, {
          sessionId: 's1',
          inputName: name,
          inputBytes: bytes(`text of ${name}`),
        }),
      );
    const busy = await enqueue(world.io, world.config, {
      sessionId: 's2',
      inputName: 'd.txt',
      inputBytes: bytes('delta'),
    });
    await runPass(world.io, world.config);
    await stampTree(world.root, world.clock.wallMs);
    world.clock.advance(2 * 3600_000);
    // A live owner (this process's pid, fresh heartbeat) holds s2.
    const holder = await acquireLock(world.io, {
      name: 'session',
      path: join(world.config.root, 'sessions/s2/session.lock'),
      staleAfterMs: 60_000,
      heartbeatEveryMs: 10_000,
    });
    expect(holder.acquired).toBe(true);
    world.events.length = 0;
    const report = await purge(world.io, world.config, undefined);
    const acquired = world.events.filter(
      (e) => e.event === 'lock.acquired' && (e as { lock?: string }).lock === 'session',
    );
    expect(acquired.map((e) => (e as { sessionId?: string }).sessionId)).toEqual(['s1', 's1']); // once for the jobs, once for the session's transcript
    expect(report).toMatchObject({ jobs: 3, sessions: 1 });
    expect(await readdir(join(world.config.root, 'jobs'))).toEqual([busy]);
    for (const id of s1)
      await expect(stat(join(world.config.root, 'jobs', id))).rejects.toMatchObject({ code: 'ENOENT' });
    if (holder.acquired) await holder.lock.release();
    expect(await purge(world.io, world.config, undefined)).toMatchObject({ jobs: 1, sessions: 1 });
  });
});
