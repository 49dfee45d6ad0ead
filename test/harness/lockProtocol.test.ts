// I4's lock-protocol rules, on every call: only a lock's retirer unlinks its lock file, and a live
// owner (alive, heartbeat within the bound as the retirer last saw it) is never retired.
import { describe, expect, it } from 'vitest';
import { World } from '../../harness/world/world.ts';
import { ConcurrencyMonitor } from '../../harness/invariants/i4ConcurrencySafety.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { acquireLock } from '../../src/ownerLock.ts';
import type { Io } from '../../src/ports/io.ts';

const config = simConfig(); // stale after 60 s, heartbeat every 10 s
const LOCK = '/data/sessions/s1/session.lock';
const options = {
  name: 'session' as const,
  path: LOCK,
  staleAfterMs: config.staleAfterMs,
  heartbeatEveryMs: config.heartbeatEveryMs,
};

/** p100 takes the lock and holds it for `holdMs`; `rival` runs 30 s later. */
async function race(rival: (io: Io, token: string) => Promise<void>, setup: (world: World) => void = () => undefined) {
  const world = new World({ seed: 1 });
  world.core.mkdir('/data/sessions/s1', true);
  const monitor = new ConcurrencyMonitor(config, new Map());
  monitor.attach(world);
  let token = '';
  const owner = world.spawn('owner', async (io) => {
    const locked = await acquireLock(io, options);
    if (!locked.acquired) throw new Error('not acquired');
    token = locked.lock.token;
    await io.clock.sleep(120_000);
    await locked.lock.release();
  });
  world.at(30_000, 'start rival', () => world.spawn('rival', (io) => rival(io, token)));
  setup(world);
  await world.run();
  return { monitor, owner };
}

const workDir = (token: string) => `/data/sessions/s1/.tmp-work-${token}`;

describe('I4 lock protocol', () => {
  it('passes a rival that finds the lock busy, and an owner that releases its own lock', async () => {
    const { monitor } = await race(async (io) => {
      expect((await acquireLock(io, options)).acquired).toBe(false);
    });
    expect(monitor.violations).toEqual([]);
  });

  it('catches a rival that retires a live owner after seeing its fresh heartbeat', async () => {
    const { monitor } = await race(async (io, token) => {
      await io.fs.readFile(`${workDir(token)}/heartbeat.json`);
      await io.fs.rename(workDir(token), `/data/sessions/s1/.tmp-reap-${token}-by-0123456789abcdef`);
    });
    expect(monitor.violations).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(
          /^p101 \(rival\) retired the live owner p100 of .* though its last look showed a heartbeat \d+ ms old/,
        ),
      }),
    );
  });

  it('catches a rival that retires a live owner without looking at its heartbeat', async () => {
    const { monitor } = await race(async (io, token) => {
      await io.fs.rename(workDir(token), `/data/sessions/s1/.tmp-reap-${token}-by-0123456789abcdef`);
    });
    expect(monitor.violations).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(/retired the live owner p100 .* without looking at its heartbeat/),
      }),
    );
  });

  it('catches a lock file unlinked by a process that did not retire it', async () => {
    const { monitor } = await race(async (io) => {
      await io.fs.unlink(LOCK);
    });
    expect(monitor.violations).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(
          /^p101 \(rival\) removed \/data\/sessions\/s1\/session.lock of owner [0-9a-f]+, which nobody retired/,
        ),
      }),
    );
  });

  it('lets a rival take over the lock of a dead owner: its retirement, then its unlink', async () => {
    const { monitor, owner } = await race(
      async (io) => {
        expect((await acquireLock(io, options)).acquired).toBe(true);
      },
      (world) => world.at(20_000, 'kill owner', () => world.kill(world.processes[0]!)),
    );
    expect(owner.status).toBe('killed');
    expect(monitor.violations).toEqual([]);
  });
});

describe('a live retirer is never robbed', () => {
  it('a taker that finds the purge sweep mid-retirement backs off; the sweep finishes its own unlink', async () => {
    const { sweepLockDirectory } = await import('../../src/lockSweep.ts');
    const world = new World({ seed: 3 });
    world.core.mkdir('/data/sessions/s1', true);
    const monitor = new ConcurrencyMonitor(config, new Map());
    monitor.attach(world);
    const owner = world.spawn('owner', async (io) => {
      await acquireLock(io, options);
      await io.clock.sleep(1_000_000);
    });
    let taker: { acquired: boolean } | undefined;
    world.at(5_000, 'kill owner', () => world.kill(owner));
    world.at(5_001, 'sweep', () => {
      const sweeper = world.spawn('sweeper', (io) => sweepLockDirectory(io, options, undefined));
      // The sweep stops for 30 s right after it renamed the dead owner's work directory to its reap name.
      world.interceptor = (process, op) =>
        process === sweeper &&
        op.op === 'readFile' &&
        op.path === LOCK &&
        world.processes.some((p) => p.name === 'taker') === false &&
        world.core.readdir('/data/sessions/s1').some((n) => n.startsWith('.tmp-reap-'))
          ? (world.spawn('taker', async (io) => {
              taker = await acquireLock(io, options);
            }),
            { kind: 'pause', durationMs: 30_000 })
          : { kind: 'proceed' };
    });
    await world.run();
    expect(taker?.acquired).toBe(false);
    expect(monitor.violations).toEqual([]);
    expect(world.trace.render()).toMatch(
      /p101 rename \/data\/sessions\/s1\/session.lock -> \/data\/sessions\/s1\/\.tmp-reap-[0-9a-f]+-by-[0-9a-f]+\/lock-by-[0-9a-f]+ = ok/,
    );
  });

  it("an owner paused mid-release, whose retirement a taker finished, never removes the taker's new lock", async () => {
    // Found by soundness (seed 69 x 200, production root): the releasing owner checked that the lock
    // file named it, was paused past its lease (a forward clock step), a rival took its retirement
    // over and acquired, and the owner then unlinked the rival's lock.
    const world = new World({ seed: 1 });
    world.core.mkdir('/data/sessions/s1', true);
    const monitor = new ConcurrencyMonitor(config, new Map());
    monitor.attach(world);
    let rivalToken = '';
    let lockAfterRelease = '';
    const owner = world.spawn('owner', async (io) => {
      const locked = await acquireLock(io, options);
      if (!locked.acquired) throw new Error('not acquired');
      await io.clock.sleep(30_000);
      await locked.lock.release();
      lockAfterRelease = await io.fs.readFile(LOCK).then(
        (bytes) => new TextDecoder().decode(bytes),
        () => 'gone',
      );
    });
    let renamed = false;
    let paused = false;
    // The owner stops for 10 s on the call that removes its lock file, after it checked that file.
    world.interceptor = (process, op) => {
      if (process !== owner) return { kind: 'proceed' };
      if (renamed && !paused && op.path === LOCK && (op.op === 'unlink' || op.op === 'rename')) {
        paused = true;
        world.at(1_000, 'rival', () => {
          world.stepWallClock(120_000);
          world.spawn('rival', async (io) => {
            const locked = await acquireLock(io, options);
            if (!locked.acquired) throw new Error('rival not acquired');
            rivalToken = locked.lock.token;
            await io.clock.sleep(60_000);
            await locked.lock.release();
          });
        });
        return { kind: 'pause', durationMs: 10_000 };
      }
      if (op.op === 'rename' && op.to?.includes('.tmp-reap-') === true) renamed = true;
      return { kind: 'proceed' };
    };
    await world.run();
    expect(paused).toBe(true);
    expect(rivalToken).not.toBe('');
    expect(lockAfterRelease).toContain(rivalToken);
    expect(monitor.violations).toEqual([]);
  });
});
