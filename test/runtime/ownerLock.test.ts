// The owner-lock protocol on the real filesystem: exclusivity, staleness, race-free takeover, fencing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireLock, type HeldLock, type LockOptions } from '../../src/ownerLock.ts';
import { writeFileAtomic } from '../../src/writeFileAtomic.ts';
import { LockLostError } from '../../src/errors.ts';
import { makeRealWorld, type TestWorld } from '../support/realIo.ts';

let world: TestWorld;
let options: LockOptions;
beforeEach(async () => {
  world = await makeRealWorld();
  await mkdir(join(world.root, 's'));
  options = {
    name: 'session',
    path: join(world.root, 's', 'session.lock'),
    staleAfterMs: 60_000,
    heartbeatEveryMs: 10_000,
  };
});
afterEach(() => world.cleanup());

async function mustAcquire(pid: number): Promise<HeldLock> {
  const result = await acquireLock(world.withPid(pid), options);
  if (!result.acquired) throw new Error(`pid ${pid} did not get the lock`);
  return result.lock;
}

describe('owner lock', () => {
  it('is exclusive: a second acquirer is told who holds it, and release leaves the directory empty', async () => {
    const first = await mustAcquire(1);
    const second = await acquireLock(world.withPid(2), options);
    expect(second).toMatchObject({ acquired: false, holder: { pid: 1, host: 'test-host', lock: 'session' } });
    await first.release();
    expect(await readdir(join(world.root, 's'))).toEqual([]);
    const third = await mustAcquire(2);
    await third.release();
  });

  it('many concurrent acquirers on the real filesystem: exactly one wins', async () => {
    const results = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((pid) => acquireLock(world.withPid(pid), options)));
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
  });

  it('takes over a lock whose owner pid is dead on this host, without waiting for the stale bound', async () => {
    const old = await mustAcquire(1);
    world.dead.add(1);
    const taker = await mustAcquire(2);
    await expect(old.assertHeld()).rejects.toBeInstanceOf(LockLostError);
    expect(world.events.some((e) => e.event === 'lock.reaped')).toBe(true);
    await taker.release();
  });

  it('takes over a live-pid lock only once its heartbeat is older than the stale bound', async () => {
    const old = await mustAcquire(1);
    world.clock.advance(59_000);
    expect((await acquireLock(world.withPid(2), options)).acquired).toBe(false);
    await old.heartbeat();
    world.clock.advance(59_000);
    expect((await acquireLock(world.withPid(2), options)).acquired).toBe(false);
    world.clock.advance(2_000);
    const taker = await mustAcquire(2);
    await taker.release();
  });

  it('never judges a lock stale because the wall clock stepped backwards', async () => {
    const old = await mustAcquire(1);
    world.clock.wallMs -= 24 * 3600_000;
    expect((await acquireLock(world.withPid(2), options)).acquired).toBe(false);
    await old.release();
  });

  it('fences a taken-over owner: its commit fails and nothing lands in the target directory', async () => {
    const old = await mustAcquire(1);
    world.dead.add(1);
    const taker = await mustAcquire(2);
    const target = join(world.root, 'artifact.txt');
    await expect(writeFileAtomic(world.io, target, 'late', { tmpDir: old.workDir })).rejects.toMatchObject({
      code: 'ENOENT',
    });
    await expect(old.assertHeld()).rejects.toBeInstanceOf(LockLostError);
    expect((await readdir(world.root)).includes('artifact.txt')).toBe(false);
    await old.release();
    expect(await taker.assertHeld()).toBeUndefined();
    await taker.release();
  });

  it('two takers of one stale lock: exactly one wins, on every one of 30 races', async () => {
    for (let round = 0; round < 30; round++) {
      const old = await mustAcquire(100 + round);
      world.dead.add(100 + round);
      const results = await Promise.all([1, 2, 3].map((pid) => acquireLock(world.withPid(pid), options)));
      const winners = results.filter((r) => r.acquired);
      expect(winners).toHaveLength(1);
      await expect(old.assertHeld()).rejects.toBeInstanceOf(LockLostError);
      for (const w of winners) if (w.acquired) await w.lock.release();
      expect(await readdir(join(world.root, 's'))).toEqual([]);
    }
  });

  it('finishes a retirement that a killed retirer started (work directory renamed, lock file left)', async () => {
    const old = await mustAcquire(1);
    world.dead.add(1);
    // The retirer (pid 9, now dead) renamed the work directory and was killed before unlinking the lock.
    await rename(old.workDir, join(world.root, 's', `.tmp-reap-${old.token}-by-00000000deadbeef`));
    const taker = await mustAcquire(2);
    await taker.release();
    expect(await readdir(join(world.root, 's'))).toEqual([]);
  });

  it('a release after being taken over reports the loss and removes nothing of the new owner', async () => {
    const old = await mustAcquire(1);
    world.dead.add(1);
    const taker = await mustAcquire(2);
    world.dead.delete(1);
    await old.release();
    expect(world.events.some((e) => e.event === 'lock.lost' && e.token === old.token)).toBe(true);
    await taker.assertHeld();
    await taker.release();
  });
});
