// An acquire whose own half-made work directory is retired under it (a sweeper judged it stale: the
// wall clock jumped forward, or the acquirer was paused past the stale bound mid-acquire) starts
// again with a fresh work directory instead of failing with ENOENT; it gives up, loudly, only after
// three fresh starts.
import { describe, expect, it } from 'vitest';
import { inWorld } from '../support/simIo.ts';
import { acquireLock } from '../../src/ownerLock.ts';
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import type { Io } from '../../src/ports/io.ts';

const LOCK = '/data/runner.lock';
const options = { name: 'runner' as const, path: LOCK, staleAfterMs: 60_000, heartbeatEveryMs: 10_000 };

/** A sweeper that retires the acquirer's work directory just before its first `times` links. */
function sweptBeforeLink(fs: FileSystem, times: number): FileSystem & { sweeps: number } {
  const swept = Object.assign(Object.create(fs) as FileSystem, {
    sweeps: 0,
    link: async (from: string, to: string) => {
      if (to === LOCK && swept.sweeps < times) {
        swept.sweeps += 1;
        const workDir = from.slice(0, from.lastIndexOf('/'));
        await fs.rename(workDir, `${workDir.replace('.tmp-work-', '.tmp-reap-')}-by-0123456789abcdef`);
      }
      return fs.link(from, to);
    },
  });
  return swept;
}

describe('acquire with its work directory retired mid-acquire', () => {
  it('starts again with a fresh token and gets the lock', async () => {
    const { value } = await inWorld(async (io: Io) => {
      await io.fs.mkdir('/data');
      const fs = sweptBeforeLink(io.fs, 2);
      const result = await acquireLock({ ...io, fs }, options);
      const names = await io.fs.readdir('/data');
      if (result.acquired) await result.lock.release();
      return { acquired: result.acquired, sweeps: fs.sweeps, names };
    });
    expect(value.acquired).toBe(true);
    expect(value.sweeps).toBe(2);
    expect(value.names.filter((n) => n.startsWith('.tmp-work-'))).toHaveLength(1);
  });

  it('fails with the real error after three fresh starts, leaving no work directory of its own', async () => {
    const { value } = await inWorld(async (io: Io) => {
      await io.fs.mkdir('/data');
      const fs = sweptBeforeLink(io.fs, 99);
      const error = await acquireLock({ ...io, fs }, options).then(
        () => undefined,
        (e: unknown) => e,
      );
      return { error, sweeps: fs.sweeps, names: await io.fs.readdir('/data') };
    });
    expect(value.error).toMatchObject({ code: 'ENOENT' });
    expect(value.sweeps).toBe(3);
    expect(value.names.filter((n) => n.startsWith('.tmp-work-'))).toEqual([]);
  });
});
