// I4 watches every change to a session's artifacts, not only renames: an unlink, a link and an open
// for writing in place by a process that does not hold the session lock are each caught; the holder
// may do all of them.
import { describe, expect, it } from 'vitest';
import { World } from '../../harness/world/world.ts';
import { ConcurrencyMonitor } from '../../harness/invariants/i4ConcurrencySafety.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import type { Io } from '../../src/ports/io.ts';

const config = simConfig();

function worldWithLockHeldBy(pid: number): { world: World; monitor: ConcurrencyMonitor } {
  const world = new World({ seed: 1 });
  const write = (path: string, text: string) => {
    const handle = world.core.open(path, 'wx');
    world.core.write(handle, new TextEncoder().encode(text), 0);
  };
  world.core.mkdir('/data/jobs/j1', true);
  world.core.mkdir('/data/sessions/s1', true);
  write('/data/jobs/j1/draft.md', '# draft\n');
  write('/data/jobs/j1/old.md', '# old\n');
  write(
    '/data/sessions/s1/session.lock',
    JSON.stringify({ lock: 'session', pid, host: 'sim-host', token: 'abcdef0123456789', acquiredAt: 0 }),
  );
  const monitor = new ConcurrencyMonitor(config, new Map([['j1', 's1']]));
  monitor.attach(world);
  return { world, monitor };
}

const changes: Record<string, (io: Io) => Promise<unknown>> = {
  unlinked: (io) => io.fs.unlink('/data/jobs/j1/draft.md'),
  committed: (io) => io.fs.link('/data/jobs/j1/old.md', '/data/jobs/j1/export.html'),
  'opened for writing in place': async (io) => (await io.fs.open('/data/jobs/j1/draft.md', 'r+')).close(),
};

describe('I4 on every kind of change', () => {
  for (const [verb, change] of Object.entries(changes)) {
    it(`catches a process that ${verb} an artifact without the session lock, and lets the holder do it`, async () => {
      const stranger = worldWithLockHeldBy(999);
      stranger.world.spawn('stranger', change);
      await stranger.world.run();
      expect(stranger.monitor.violations).toEqual([
        expect.objectContaining({
          invariant: 'I4',
          message: expect.stringContaining(`(stranger) ${verb} /data/jobs/j1/`),
        }),
      ]);
      const holder = worldWithLockHeldBy(100);
      holder.world.spawn('holder', change);
      await holder.world.run();
      expect(holder.monitor.violations).toEqual([]);
    });
  }
});
