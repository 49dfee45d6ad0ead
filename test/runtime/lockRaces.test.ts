// The owner-lock protocol when another process wins a race in the window between two of our calls,
// on the real filesystem: the rival's step is taken just before our call reaches the disk (the
// `before` hook of recordingFs). Each window is one a real system has (a second retirer, a newer owner
// linking its lock, a taker finishing first); each test names the outcome and the calls made, and the
// same window with a real error instead of the rival must throw.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireLock, retire, type HeldLock, type LockOptions } from '../../src/ownerLock.ts';
import { sweepLockDirectory } from '../../src/lockSweep.ts';
import type { Io } from '../../src/ports/io.ts';
import { makeRealWorld, sessionLockDir, stampTree, type TestWorld } from '../support/realIo.ts';
import { errno, firstCall, racingIo } from '../support/recordingFs.ts';

let world: TestWorld;
let dir: string;
let options: LockOptions;
beforeEach(async () => {
  world = await makeRealWorld();
  ({ dir, options } = await sessionLockDir(world));
});
afterEach(() => world.cleanup());

const STALE = 'aaaaaaaaaaaaaaaa';
const NEWER = 'bbbbbbbbbbbbbbbb';
const record = (pid: number, token: string) =>
  `${JSON.stringify({ lock: 'session', pid, host: 'test-host', token, acquiredAt: world.clock.wallMs })}\n`;
/** What a power loss leaves: the lock file of a dead owner whose work directory never reached the disk. */
const powerLossLeftover = async () => {
  await writeFile(options.path, record(1, STALE));
  world.dead.add(1);
};
async function mustAcquire(io: Io): Promise<HeldLock> {
  const result = await acquireLock(io, options);
  if (!result.acquired) throw new Error('did not get the lock');
  return result.lock;
}

describe('retire: the stale lock file goes between our read and our removal (a rename into our reap directory)', () => {
  it('it was removed first: retired, and only what this retirer removed is counted', async () => {
    const stale = await mustAcquire(world.withPid(1));
    world.dead.add(1);
    const isLockUnlink = firstCall((call) => call.op === 'rename' && call.path === options.path);
    const { io } = racingIo(world, 2, {
      before: async (call) => {
        if (isLockUnlink(call)) await unlink(options.path);
      },
    });
    const removed = { files: 0, bytes: 0 };
    expect(await retire(io, options, stale.token, '2222222222222222', removed)).toBe('retired');
    expect(removed).toEqual({ files: 1, bytes: record(1, stale.token).length }); // the owner record in the reap directory
    expect(await readdir(dir)).toEqual([]);
  });

  it('a removal that fails with anything but ENOENT is thrown', async () => {
    const stale = await mustAcquire(world.withPid(1));
    world.dead.add(1);
    const { io } = racingIo(world, 2, {
      fail: (call) => (call.op === 'rename' && call.path === options.path ? errno('EACCES', 'rename') : undefined),
    });
    await expect(retire(io, options, stale.token, '2222222222222222')).rejects.toMatchObject({ code: 'EACCES' });
  });
});

describe('retire: the stale work directory is already gone (takeover)', () => {
  it('no retirer and a lock file naming another owner: retry at once, without touching that lock', async () => {
    const holder = await mustAcquire(world.withPid(1));
    const { io, calls } = racingIo(world, 2, {});
    expect(await retire(io, options, STALE, '2222222222222222')).toBe('retry');
    expect(calls.map((c) => `${c.op} ${c.path.slice(dir.length + 1)}`)).toEqual([
      `rename .tmp-work-${STALE}`,
      'readdir ',
      'lstat session.lock',
      'readFile session.lock',
    ]);
    expect(JSON.parse(await readFile(options.path, 'utf8'))).toMatchObject({ token: holder.token });
    await holder.release();
  });

  it("a dead retirer's reap directory taken by a rival first: retry; a second dead retirer's is then taken", async () => {
    await powerLossLeftover();
    const reap = (by: string) => join(dir, `.tmp-reap-${STALE}-by-${by}`);
    await mkdir(reap('0000000000000007'));
    await writeFile(join(reap('0000000000000007'), 'owner.json'), record(1, STALE));
    const firstRename = firstCall((call) => call.op === 'rename' && call.path === reap('0000000000000007'));
    const rival = async (call: { op: string; path: string }) => {
      if (firstRename(call)) await rename(reap('0000000000000007'), reap('0000000000000009'));
    };
    expect(await retire(racingIo(world, 2, { before: rival }).io, options, STALE, '2222222222222222')).toBe('retry');
    expect(await readdir(dir)).toEqual([`.tmp-reap-${STALE}-by-0000000000000009`, 'session.lock'].sort());
    // Two dead retirers left reap directories; the rival takes the first one just before us: we take the second.
    await mkdir(reap('0000000000000008'));
    const secondRival = firstCall((call) => call.op === 'rename' && call.path === reap('0000000000000008'));
    const taken = await retire(
      racingIo(world, 3, {
        before: async (call) => {
          if (secondRival(call)) await rename(reap('0000000000000008'), reap('000000000000000a'));
        },
      }).io,
      options,
      STALE,
      '3333333333333333',
    );
    expect(taken).toBe('retired');
    expect((await readdir(dir)).sort()).toEqual([`.tmp-reap-${STALE}-by-000000000000000a`]);
  });

  it("renaming a dead retirer's reap directory fails with a real error: thrown", async () => {
    await powerLossLeftover();
    await mkdir(join(dir, `.tmp-reap-${STALE}-by-0000000000000007`));
    const { io } = racingIo(world, 2, {
      fail: (call) =>
        call.op === 'rename' && call.path.includes('.tmp-reap-') ? errno('EACCES', 'rename') : undefined,
    });
    await expect(retire(io, options, STALE, '2222222222222222')).rejects.toMatchObject({ code: 'EACCES' });
  });
});

describe('capture of a lock file with no work directory (after a power loss)', () => {
  const isCapture = (call: { op: string; path: string; to?: string }) =>
    call.op === 'rename' && call.path === options.path && (call.to ?? '').includes('.tmp-capture-');

  it('the lock file vanishes before the capture: the next round links a new lock', async () => {
    await powerLossLeftover();
    const first = firstCall(isCapture);
    const { io } = racingIo(world, 2, {
      before: async (call) => {
        if (first(call)) await unlink(options.path);
      },
    });
    const lock = await mustAcquire(io);
    expect(JSON.parse(await readFile(options.path, 'utf8'))).toMatchObject({ pid: 2, token: lock.token });
    expect(await readdir(dir)).toEqual([`.tmp-work-${lock.token}`, 'session.lock']);
    await lock.release();
  });

  it('a capture rename that fails with a real error is thrown, and the lock file stays', async () => {
    await powerLossLeftover();
    const { io } = racingIo(world, 2, { fail: (call) => (isCapture(call) ? errno('EACCES', 'rename') : undefined) });
    await expect(acquireLock(io, options)).rejects.toMatchObject({ code: 'EACCES' });
    expect(await readFile(options.path, 'utf8')).toBe(record(1, STALE));
  });

  it('a newer owner linked its lock in the window: it is put back, and that owner keeps it', async () => {
    await powerLossLeftover();
    const first = firstCall(isCapture);
    // pid 7 is alive and its record is fresh: once put back, the lock is busy.
    const { io, calls } = racingIo(world, 2, {
      before: async (call) => {
        if (first(call)) await writeFile(options.path, record(7, NEWER));
      },
    });
    const result = await acquireLock(io, options);
    expect(result).toEqual({ acquired: false, holder: JSON.parse(record(7, NEWER)) });
    expect(await readFile(options.path, 'utf8')).toBe(record(7, NEWER));
    expect(
      calls.filter((c) => c.op === 'link' && c.to === options.path && c.path.includes('.tmp-capture-')),
    ).toHaveLength(1);
    expect(await readdir(dir)).toEqual(['session.lock']);
  });

  it('while it is being put back, a third owner linked its own: that one stays (link never replaces)', async () => {
    await powerLossLeftover();
    const capture = firstCall(isCapture);
    const putBack = firstCall((call) => call.op === 'link' && call.path.includes('.tmp-capture-'));
    const { io } = racingIo(world, 2, {
      before: async (call) => {
        if (capture(call)) await writeFile(options.path, record(7, NEWER));
        else if (putBack(call)) await writeFile(options.path, record(8, 'cccccccccccccccc'));
      },
    });
    const result = await acquireLock(io, options);
    expect(result).toEqual({ acquired: false, holder: JSON.parse(record(8, 'cccccccccccccccc')) });
    expect(await readdir(dir)).toEqual(['session.lock']);
  });

  it('putting it back fails with a real error: thrown', async () => {
    await powerLossLeftover();
    const first = firstCall(isCapture);
    const { io } = racingIo(world, 2, {
      before: async (call) => {
        if (first(call)) await writeFile(options.path, record(7, NEWER));
      },
      fail: (call) => (call.op === 'link' && call.path.includes('.tmp-capture-') ? errno('EACCES', 'link') : undefined),
    });
    await expect(acquireLock(io, options)).rejects.toMatchObject({ code: 'EACCES' });
  });
});

describe('an adversary that makes every acquire round see a lock that is gone by the time it is read', () => {
  // Before each of our links the rival links a lock; before each of our reads of it the rival removes it.
  const flapping = (pid: number) =>
    racingIo(world, pid, {
      before: async (call) => {
        if (call.op === 'link' && call.to === options.path) await writeFile(options.path, record(7, NEWER));
        if (call.op === 'readFile' && call.path === options.path) await unlink(options.path).catch(() => undefined);
      },
    });

  it('acquire gives up after a bounded number of rounds: busy, with no holder to name', async () => {
    const { io, calls } = flapping(2);
    expect(await acquireLock(io, options)).toEqual({ acquired: false, holder: undefined });
    // It linked for the lock again after the first round (how many rounds is the runtime's to tune).
    expect(calls.filter((c) => c.op === 'link').length).toBeGreaterThan(1);
    // A lock that is gone when read is simply linked for again: nothing is retired in between.
    expect(calls.filter((c) => c.op === 'rename')).toEqual([]);
    const busy = world.events.filter((e) => e.event === 'lock.busy');
    expect(busy).toEqual([
      { event: 'lock.busy', lock: 'session', sessionId: 's', holderPid: undefined, holderHost: undefined, pid: 2 },
    ]);
    expect(await readdir(dir)).toEqual([]); // the rival removed its lock last; our work directory is gone
  });

  it('a manual retry that meets it says the session is busy, holder unknown', async () => {
    const { enqueue } = await import('../../src/enqueue.ts');
    const { retryJob, JobBusyError } = await import('../../src/retryJob.ts');
    const config = { ...world.config };
    await enqueue(world.io, config, {
      jobId: 'j',
      sessionId: 's9',
      inputName: 'a.txt',
      inputBytes: new TextEncoder().encode('words'),
    });
    const statePath = join(config.root, 'jobs', 'j', 'state.json');
    await writeFile(statePath, JSON.stringify({ ...JSON.parse(await readFile(statePath, 'utf8')), status: 'failed' }));
    await mkdir(join(config.root, 'sessions', 's9'), { recursive: true });
    options = { ...options, path: join(config.root, 'sessions', 's9', 'session.lock') };
    const { io } = flapping(3);
    await expect(retryJob(io, config, 'j')).rejects.toThrow(
      new JobBusyError('job j: session s9 is locked by pid ?; try again'),
    );
  });
});

describe('heartbeat and sweep errors', () => {
  it('a heartbeat whose rename fails with a real error throws it and does not mark the lock lost', async () => {
    const { io } = racingIo(world, 1, {
      fail: (call) => (call.op === 'rename' && call.path.includes('.tmp-hb-') ? errno('EACCES', 'rename') : undefined),
    });
    const lock = await mustAcquire(io);
    await expect(lock.heartbeat()).rejects.toMatchObject({ code: 'EACCES' });
    expect(lock.isLost).toBe(false);
    await lock.assertHeld();
    expect((await readdir(lock.workDir)).sort()).toEqual(['owner.json']);
    await lock.release();
  });

  it('a sweep whose directory listing fails with anything but ENOENT throws it', async () => {
    const { io } = racingIo(world, 50, {
      fail: (call) => (call.op === 'readdir' && call.path === dir ? errno('EACCES', 'scandir') : undefined),
    });
    await expect(sweepLockDirectory(io, options, undefined)).rejects.toMatchObject({ code: 'EACCES' });
  });

  it('an orphan work directory of a live owner in the middle of its acquire is kept, however old', async () => {
    const orphan = join(dir, `.tmp-work-${STALE}`);
    await mkdir(orphan);
    await writeFile(join(orphan, 'owner.json'), record(9, STALE)); // pid 9 is alive: it is about to link
    world.clock.wallMs += 30_000; // within the stale bound of its record
    expect(await sweepLockDirectory(world.withPid(50), options, undefined)).toEqual({
      locks: 0,
      tmp: 0,
      files: 0,
      bytes: 0,
    });
    expect(await readdir(dir)).toEqual([`.tmp-work-${STALE}`]);
  });

  it('a busy lock costs one link: a fresh holder ends the acquire at once', async () => {
    const holder = await mustAcquire(world.withPid(1));
    const { io, calls } = racingIo(world, 2, {});
    expect((await acquireLock(io, options)).acquired).toBe(false);
    expect(calls.filter((c) => c.op === 'link')).toHaveLength(1);
    expect(calls.filter((c) => c.op === 'rename')).toEqual([]);
    await holder.release();
  });

  it('an orphan work directory with the record of a dead owner is retired at once, however new', async () => {
    const orphan = join(dir, `.tmp-work-${STALE}`);
    await mkdir(orphan);
    await writeFile(join(orphan, 'owner.json'), record(9, STALE));
    world.dead.add(9);
    await stampTree(dir, world.clock.wallMs); // new by the test clock
    expect(await sweepLockDirectory(world.withPid(50), options, undefined)).toEqual({
      locks: 0,
      tmp: 1,
      files: 1,
      bytes: record(9, STALE).length,
    });
    expect(await readdir(dir)).toEqual([]);
  });
});
