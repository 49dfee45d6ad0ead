// The owner-lock protocol's rarer paths, on the real filesystem: what a power loss leaves (a lock file
// without its work directory, a torn lock file), killed retirers (live or dead), owners killed
// mid-acquire, failing calls, heartbeats, and purge's sweep of a lock directory. Each test names the
// exact outcome (events with their fields, counts, what is left on disk), written against the
// surviving mutants of ownerLock.ts, lockSweep.ts and sessionLock.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, rename, stat, utimes, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireLock, judgeHolder, retire, type HeldLock, type LockOptions } from '../../src/ownerLock.ts';
import { sweepLockDirectory, olderThan } from '../../src/lockSweep.ts';
import { withSessionLock } from '../../src/sessionLock.ts';
import { AssertionError, LockLostError } from '../../src/errors.ts';
import { nodeFileSystem } from '../../src/adapters/nodeFileSystem.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import type { Io } from '../../src/ports/io.ts';
import { makeRealWorld, sessionLockDir, stampTree, type TestWorld } from '../support/realIo.ts';
import { errno, racingIo, type FailRule } from '../support/recordingFs.ts';

let world: TestWorld;
let dir: string;
let options: LockOptions;
beforeEach(async () => {
  world = await makeRealWorld();
  ({ dir, options } = await sessionLockDir(world));
});
afterEach(() => world.cleanup());

async function mustAcquire(pid: number, io: Io = world.withPid(pid)): Promise<HeldLock> {
  const result = await acquireLock(io, options);
  if (!result.acquired) throw new Error(`pid ${pid} did not get the lock`);
  return result.lock;
}

const record = (pid: number, token: string, acquiredAt = world.clock.wallMs) =>
  `${JSON.stringify({ lock: 'session', pid, host: 'test-host', token, acquiredAt })}\n`;
const eventsNamed = (name: string) => world.events.filter((e) => e.event === name);
/** An Io whose filesystem fails the calls `fail` picks (and records every call). */
const failing = (pid: number, fail: FailRule) => racingIo(world, pid, { fail });

describe('acquire: what it reports', () => {
  it('a busy lock names its holder in the result and in lock.busy; acquire and release are logged with their fields', async () => {
    const held = await mustAcquire(1);
    expect(eventsNamed('lock.acquired')).toEqual([
      { event: 'lock.acquired', lock: 'session', sessionId: 's', token: held.token, pid: 1 },
    ]);
    const busy = await acquireLock(world.withPid(2), options);
    expect(busy).toEqual({
      acquired: false,
      holder: { lock: 'session', pid: 1, host: 'test-host', token: held.token, acquiredAt: world.clock.wallMs },
    });
    expect(eventsNamed('lock.busy')).toEqual([
      { event: 'lock.busy', lock: 'session', sessionId: 's', holderPid: 1, holderHost: 'test-host', pid: 2 },
    ]);
    await held.release();
    expect(eventsNamed('lock.released')).toEqual([
      { event: 'lock.released', lock: 'session', sessionId: 's', token: held.token, pid: 1 },
    ]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a heartbeat interval that is zero or more than half the stale bound', async () => {
    const message = 'the heartbeat interval must be at most half the stale bound';
    await expect(acquireLock(world.io, { ...options, heartbeatEveryMs: 30_001 })).rejects.toThrow(
      new AssertionError(message),
    );
    await expect(acquireLock(world.io, { ...options, heartbeatEveryMs: 0 })).rejects.toThrow(
      new AssertionError(message),
    );
    const sixth = await acquireLock(world.io, options); // 10 s of 60 s is fine
    expect(sixth).toMatchObject({
      acquired: true,
      lock: { options: { heartbeatEveryMs: 10_000, staleAfterMs: 60_000 } },
    });
    if (sixth.acquired) await sixth.lock.release();
    const half = await acquireLock(world.io, { ...options, heartbeatEveryMs: 30_000 });
    expect(half).toMatchObject({ acquired: true, lock: { options: { heartbeatEveryMs: 30_000 } } });
  });

  it('a link that fails with anything but EEXIST is thrown, and the work directory is removed', async () => {
    const { io } = failing(1, (call) => (call.op === 'link' ? errno('EACCES', 'link') : undefined));
    await expect(acquireLock(io, options)).rejects.toMatchObject({ code: 'EACCES' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('an unreadable lock file (not ENOENT) is an error, not a free lock', async () => {
    await writeFile(options.path, record(1, 'aaaaaaaaaaaaaaaa'));
    const { io } = failing(2, (call) =>
      call.op === 'readFile' && call.path === options.path ? errno('EIO', 'read') : undefined,
    );
    await expect(acquireLock(io, options)).rejects.toMatchObject({ code: 'EIO' });
    expect(await readFile(options.path, 'utf8')).toBe(record(1, 'aaaaaaaaaaaaaaaa'));
  });

  it('says why it reaped: a dead owner process, or a heartbeat past the stale bound', async () => {
    const dead = await mustAcquire(1);
    world.dead.add(1);
    const taker = await mustAcquire(2);
    expect(eventsNamed('lock.reaped')).toEqual([
      {
        event: 'lock.reaped',
        lock: 'session',
        sessionId: 's',
        token: dead.token,
        by: taker.token,
        reason: 'owner process is dead',
        pid: 2,
      },
    ]);
    world.clock.advance(60_001);
    const next = await mustAcquire(3);
    expect(eventsNamed('lock.reaped')[1]).toMatchObject({
      token: taker.token,
      by: next.token,
      reason: 'heartbeat older than the stale bound',
    });
    await next.release();
  });
});

describe('acquire after a power loss', () => {
  it('a lock file with no work directory and no retirer is captured and removed, then acquired', async () => {
    await writeFile(options.path, record(77, 'bbbbbbbbbbbbbbbb'));
    world.dead.add(77);
    const lock = await mustAcquire(2);
    expect(JSON.parse(await readFile(options.path, 'utf8'))).toMatchObject({ pid: 2, token: lock.token });
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('a torn lock file is reaped at once with the reason, whatever its age', async () => {
    await writeFile(options.path, '{"lock":"sess');
    const lock = await mustAcquire(2);
    const reaped = eventsNamed('lock.reaped');
    expect(reaped).toHaveLength(1);
    expect(reaped[0]).toMatchObject({ lock: 'session', sessionId: 's', pid: 2 });
    expect(String(reaped[0]!.reason)).toMatch(/^corrupt lock file: .*session\.lock is corrupt: not valid JSON/);
    await lock.release();
  });

  it('a lock record that fails its schema (bad token, unknown lock name) counts as torn', async () => {
    for (const bad of [
      record(1, 'NOT-HEX-TOKEN!').replace('session', 'session'),
      record(1, 'aaaa'),
      record(1, 'cccccccccccccccc').replace('"session"', '"other"'),
    ]) {
      await writeFile(options.path, bad);
      const lock = await mustAcquire(2);
      await lock.release();
    }
    expect(eventsNamed('lock.reaped').map((e) => String(e.reason).startsWith('corrupt lock file: '))).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('a torn read of a lock that is in fact whole puts it back: the owner keeps its lock', async () => {
    const owner = await mustAcquire(1);
    const whole = await readFile(options.path);
    let reads = 0;
    // The first read of the lock file returns a torn prefix (as if caught mid-power-loss state).
    const torn = {
      ...nodeFileSystem,
      readFile: async (path: string) =>
        path === options.path && reads++ === 0 ? whole.subarray(0, 10) : nodeFileSystem.readFile(path),
    };
    const result = await judgeHolder(world.withPid(2, torn), options);
    expect(result).toEqual({ verdict: 'gone', holder: undefined });
    expect(await readFile(options.path)).toEqual(whole);
    await owner.assertHeld();
    await owner.release();
  });
});

describe('retire', () => {
  it("retires the work directory of an owner killed mid-acquire without touching the real holder's lock", async () => {
    const holder = await mustAcquire(1);
    // pid 9 made its work directory and owner record, then died before its link.
    const orphan = join(dir, '.tmp-work-9999999999999999');
    await mkdir(orphan);
    await writeFile(join(orphan, 'owner.json'), record(9, '9999999999999999'));
    expect(await retire(world.withPid(3), options, '9999999999999999', '3333333333333333')).toBe('retired');
    expect(JSON.parse(await readFile(options.path, 'utf8'))).toMatchObject({ pid: 1, token: holder.token });
    expect((await readdir(dir)).sort()).toEqual([`.tmp-work-${holder.token}`, 'session.lock']);
    await holder.release();
  });

  it('counts what it removed, and a rename failing with anything but ENOENT is thrown', async () => {
    const stale = await mustAcquire(1);
    const removed = { files: 0, bytes: 0 };
    expect(await retire(world.withPid(2), options, stale.token, '2222222222222222', removed)).toBe('retired');
    // The lock file and the owner record (one inode, two names: counted once each).
    expect(removed.files).toBe(2);
    expect(removed.bytes).toBe(2 * record(1, stale.token).length);
    const again = await mustAcquire(4);
    // Only the first rename (of the owner's work directory) fails: retire must not go on as if it were gone.
    let renames = 0;
    const { io, calls } = failing(5, (call) =>
      call.op === 'rename' && renames++ === 0 ? errno('EACCES', 'rename') : undefined,
    );
    await expect(retire(io, options, again.token, '5555555555555555')).rejects.toMatchObject({ code: 'EACCES' });
    expect(calls.map((c) => c.op)).toEqual(['rename']);
    await again.release();
  });

  it("a lock file that turns torn between rename and unlink is left alone (it is not the stale token's)", async () => {
    const stale = await mustAcquire(1);
    // retire reads the lock file only after its rename: that read finds it torn.
    const tornRead = {
      ...nodeFileSystem,
      readFile: async (path: string) =>
        path === options.path ? new TextEncoder().encode('{') : nodeFileSystem.readFile(path),
    };
    expect(await retire(world.withPid(2, tornRead), options, stale.token, '2222222222222222')).toBe('retired');
    expect(await readdir(dir)).toEqual(['session.lock']);
  });

  it('a live retirer that started a takeover makes the lock busy (retire tried once); a dead one is finished', async () => {
    const stale = await mustAcquire(1);
    world.dead.add(1);
    const retirer = await acquireLock(world.withPid(8), { ...options, path: join(dir, 'other.lock') });
    if (!retirer.acquired) throw new Error('setup');
    // pid 8 (alive, fresh: its owner record is in its work directory, same directory) renamed the stale work dir.
    await rename(stale.workDir, join(dir, `.tmp-reap-${stale.token}-by-${retirer.lock.token}`));
    const { io, calls } = failing(2, () => undefined);
    expect((await acquireLock(io, options)).acquired).toBe(false);
    expect(calls.filter((c) => c.op === 'rename' && c.path === stale.workDir)).toHaveLength(1);
    world.dead.add(8);
    const taker = await mustAcquire(2);
    await taker.release();
    expect((await readdir(dir)).filter((n) => n.includes(stale.token))).toEqual([]);
  });

  it("takeover of a killed retirer renames only that retirer's reap directory, never other tmp files", async () => {
    const stale = await mustAcquire(1);
    world.dead.add(1);
    await writeFile(join(dir, '.tmp-a-planted'), 'keep me');
    await rename(stale.workDir, join(dir, `.tmp-reap-${stale.token}-by-00000000deadbeef`));
    const taker = await mustAcquire(2);
    await taker.release();
    expect(await readdir(dir)).toEqual(['.tmp-a-planted']);
  });
});

describe('heartbeats, loss and release', () => {
  /**
   * A clock whose `every` timers the test fires by hand, and a real filesystem that reports each
   * heartbeat.json rename once it has landed on disk: `fire` returns when the ticked heartbeat is
   * written, so the test waits on that event, never on wall-clock time.
   */
  const timerClock = (base: Clock) => {
    const ticks: { intervalMs: number; tick: () => void }[] = [];
    let landed: () => void = () => undefined;
    const fs: FileSystem = {
      ...nodeFileSystem,
      rename: async (from, to) => {
        await nodeFileSystem.rename(from, to);
        if (to.endsWith('/heartbeat.json')) landed();
      },
    };
    const clock: Clock = {
      nowMs: () => base.nowMs(),
      monotonicMs: () => base.monotonicMs(),
      sleep: (ms) => base.sleep(ms),
      every: (intervalMs, tick) => {
        const timer = { intervalMs, tick };
        ticks.push(timer);
        return { cancel: () => ticks.splice(ticks.indexOf(timer), 1) };
      },
    };
    const fire = async () => {
      const written = new Promise<void>((resolve) => {
        landed = resolve;
      });
      for (const { tick } of [...ticks]) tick();
      await written;
    };
    return { clock, fs, fire, ticks };
  };

  it('the heartbeat timer refreshes heartbeat.json, which keeps a live-pid owner fresh past the stale bound', async () => {
    const timers = timerClock(world.clock);
    const lock = await mustAcquire(1, { ...world.withPid(1, timers.fs), clock: timers.clock });
    expect(timers.ticks.map((t) => t.intervalMs)).toEqual([options.heartbeatEveryMs]);
    world.clock.advance(50_000);
    await timers.fire();
    expect(JSON.parse(await readFile(join(lock.workDir, 'heartbeat.json'), 'utf8'))).toEqual({
      heartbeatAt: world.clock.wallMs,
    });
    world.clock.advance(50_000);
    expect((await acquireLock(world.withPid(2), options)).acquired).toBe(false);
    await lock.release();
    expect(timers.ticks).toEqual([]);
  });

  it('a heartbeat after a takeover marks the lock lost once; assertHeld then names the lock and token', async () => {
    const old = await mustAcquire(1);
    world.dead.add(1);
    const taker = await mustAcquire(2);
    expect(old.isLost).toBe(false);
    await old.heartbeat();
    await old.heartbeat();
    expect(old.isLost).toBe(true);
    expect(eventsNamed('lock.lost')).toEqual([
      { event: 'lock.lost', lock: 'session', sessionId: 's', token: old.token, pid: 1 },
    ]);
    await expect(old.assertHeld()).rejects.toThrow(
      new LockLostError(
        `session lock session.lock was taken over (token ${old.token}); this owner commits nothing more`,
      ),
    );
    await old.release();
    expect(eventsNamed('lock.lost')).toHaveLength(1);
    await taker.release();
  });

  it('a heartbeat after release does nothing; a second release does nothing', async () => {
    const lock = await mustAcquire(1);
    await lock.release();
    await lock.heartbeat();
    await lock.release();
    expect(eventsNamed('lock.lost')).toEqual([]);
    expect(eventsNamed('lock.released')).toHaveLength(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('assertHeld: a work directory replaced by a file is an assertion; a stat error other than ENOENT is thrown', async () => {
    const lock = await mustAcquire(1);
    await rm(lock.workDir, { recursive: true });
    await writeFile(lock.workDir, 'not a directory');
    await expect(lock.assertHeld()).rejects.toThrow(new AssertionError(`${lock.workDir} is not a directory`));
    await rm(lock.workDir);
    const broken = failing(2, (call) => (call.op === 'stat' ? errno('EIO', 'stat') : undefined));
    const viaBroken = await acquireLock(broken.io, { ...options, path: join(dir, 'x.lock') });
    if (!viaBroken.acquired) throw new Error('setup');
    await expect(viaBroken.lock.assertHeld()).rejects.toMatchObject({ code: 'EIO' });
    expect(viaBroken.lock.isLost).toBe(false);
  });

  it('a release whose retire fails with a real error throws it', async () => {
    const broken = failing(1, (call) => (call.op === 'rename' ? errno('EACCES', 'rename') : undefined));
    const lock = await mustAcquire(1, broken.io);
    await expect(lock.release()).rejects.toMatchObject({ code: 'EACCES' });
  });
});

describe('withSessionLock', () => {
  it('logs with the session id, and a busy session returns its holder without running the work', async () => {
    const config = { ...world.config, root: world.root };
    await mkdir(join(world.root, 'sessions'), { recursive: true });
    let ran = 0;
    const outer = await withSessionLock(world.withPid(1), config, 's1', { jobId: 'j1' }, async () => {
      const inner = await withSessionLock(world.withPid(2), config, 's1', { jobId: 'j2' }, async () => {
        ran += 1;
      });
      expect(inner).toEqual({ acquired: false, holder: expect.objectContaining({ pid: 1, lock: 'session' }) });
      return 'done';
    });
    expect(outer).toEqual({ acquired: true, value: 'done' });
    expect(ran).toBe(0);
    expect(eventsNamed('lock.acquired')[0]).toMatchObject({ lock: 'session', sessionId: 's1', jobId: 'j1' });
    expect(eventsNamed('lock.busy')[0]).toMatchObject({ sessionId: 's1', jobId: 'j2', holderPid: 1 });
  });
});

describe('sweep of a lock directory (purge)', () => {
  const sweep = (keep?: string) => sweepLockDirectory(world.withPid(50), options, keep);

  it("retires a stale lock and logs why, but never the sweeper's own (kept) token", async () => {
    const mine = await mustAcquire(1);
    world.dead.add(1);
    expect(await sweep(mine.token)).toEqual({ locks: 0, tmp: 0, files: 0, bytes: 0 });
    expect((await readdir(dir)).sort()).toEqual([`.tmp-work-${mine.token}`, 'session.lock']);
    const counts = await sweep(undefined);
    expect(counts).toEqual({ locks: 1, tmp: 0, files: 2, bytes: 2 * record(1, mine.token).length });
    expect(eventsNamed('lock.reaped')).toEqual([
      {
        event: 'lock.reaped',
        lock: 'session',
        sessionId: 's',
        token: mine.token,
        by: 'purge',
        reason: 'owner process is dead',
        pid: 50,
      },
    ]);
    expect(await readdir(dir)).toEqual([]);
  });

  it("keeps a fresh lock, the holder's work directory and the kept token's; retires orphans of dead or silent owners", async () => {
    const holder = await mustAcquire(1);
    const orphanWithRecord = join(dir, '.tmp-work-dddddddddddddddd');
    await mkdir(orphanWithRecord);
    await writeFile(join(orphanWithRecord, 'owner.json'), record(9, 'dddddddddddddddd'));
    world.dead.add(9);
    const kept = join(dir, '.tmp-work-eeeeeeeeeeeeeeee');
    await mkdir(kept);
    await writeFile(join(kept, 'owner.json'), record(10, 'eeeeeeeeeeeeeeee'));
    world.dead.add(10);
    const noRecordFresh = join(dir, '.tmp-work-ffffffffffffffff');
    await mkdir(noRecordFresh);
    await stampTree(dir, world.clock.wallMs);
    const counts = await sweep('eeeeeeeeeeeeeeee');
    expect(counts).toEqual({ locks: 0, tmp: 1, files: 1, bytes: record(9, 'dddddddddddddddd').length });
    expect((await readdir(dir)).sort()).toEqual(
      [`.tmp-work-${holder.token}`, '.tmp-work-eeeeeeeeeeeeeeee', '.tmp-work-ffffffffffffffff', 'session.lock'].sort(),
    );
    // The record-less work directory goes once it is older than the stale bound, by its mtime.
    const pastStale = new Date(world.clock.wallMs - 60_001);
    await utimes(noRecordFresh, pastStale, pastStale);
    const later = await sweepLockDirectory(world.withPid(50), options, 'eeeeeeeeeeeeeeee');
    expect(later).toEqual({ locks: 0, tmp: 1, files: 0, bytes: 0 });
    expect((await readdir(dir)).includes('.tmp-work-ffffffffffffffff')).toBe(false);
    await holder.release();
  });

  it('removes reap directories of retired tokens at any age, keeps one naming the current lock; other tmp files by age', async () => {
    const holder = await mustAcquire(1);
    await mkdir(join(dir, '.tmp-reap-0123456701234567-by-89abcdef89abcdef'));
    await writeFile(join(dir, '.tmp-reap-0123456701234567-by-89abcdef89abcdef', 'owner.json'), 'x');
    await mkdir(join(dir, `.tmp-reap-${holder.token}-by-89abcdef89abcdef`));
    await writeFile(join(dir, '.tmp-old'), 'old!');
    await writeFile(join(dir, '.tmp-new'), 'new');
    await writeFile(join(dir, 'not-tmp'), 'never touched');
    await stampTree(dir, world.clock.wallMs);
    const hourAgo = new Date(world.clock.wallMs - 3600_000);
    await utimes(join(dir, '.tmp-old'), hourAgo, hourAgo);
    expect(await sweep(undefined)).toEqual({ locks: 0, tmp: 2, files: 2, bytes: 5 });
    expect((await readdir(dir)).sort()).toEqual([
      '.tmp-new',
      `.tmp-reap-${holder.token}-by-89abcdef89abcdef`,
      `.tmp-work-${holder.token}`,
      'not-tmp',
      'session.lock',
    ]);
    await holder.release();
  });

  it('a directory that does not exist sweeps to zero', async () => {
    expect(
      await sweepLockDirectory(
        world.withPid(50),
        { ...options, path: join(world.root, 'missing', 'session.lock') },
        undefined,
      ),
    ).toEqual({ locks: 0, tmp: 0, files: 0, bytes: 0 });
  });

  it('olderThan is strict: exactly the age is not older; a missing file is never old', async () => {
    const path = join(dir, '.tmp-age');
    await writeFile(path, 'x');
    const mtimeMs = (await stat(path)).mtimeMs;
    world.clock.wallMs = mtimeMs + 1_000;
    expect(await olderThan(world.io, path, 1_000)).toBe(false);
    world.clock.wallMs = mtimeMs + 1_001;
    expect(await olderThan(world.io, path, 1_000)).toBe(true);
    expect(await olderThan(world.io, join(dir, 'missing'), 0)).toBe(false);
  });
});
