// An injected fault fails a call the way the real disk does: the call returns a promise that rejects.
// A fault thrown synchronously would escape `promise.catch(...)` in the code under test and reach an
// outer try instead, so a bug that lives in such a handler (retrying fsync after EIO, say) would never
// be exercised. Every point fault is checked on the call it targets.
import { describe, expect, it } from 'vitest';
import { World } from '../../harness/world/world.ts';
import { pointFault, POINT_FAULTS, type FaultPoint } from '../../harness/faults/pointFault.ts';
import type { FileSystem } from '../../src/ports/fileSystem.ts';

const POINTS: readonly FaultPoint[] = [
  { kind: 'eio', op: 'mkdir', nth: 1, callIndex: 0 },
  { kind: 'enospc', op: 'mkdir', nth: 1, callIndex: 0 },
  { kind: 'fsync-eio', op: 'fsync', nth: 1, callIndex: 0 },
];

/** The first failing call of `point`'s kind, made on `fs`: how it failed. */
async function failOnce(fs: FileSystem, point: FaultPoint): Promise<{ threwSynchronously: boolean; code: unknown }> {
  let pending: Promise<unknown> | undefined;
  try {
    if (point.kind === 'fsync-eio') {
      const handle = await fs.open('/f', 'wx', 0o644);
      await handle.write(new Uint8Array([1]), 0);
      pending = handle.sync();
    } else {
      pending = fs.mkdir('/d');
    }
  } catch (error) {
    return { threwSynchronously: true, code: (error as { code?: unknown }).code };
  }
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { threwSynchronously: false, code: (error as { code?: unknown } | undefined)?.code };
}

describe('injected faults', () => {
  it('cover every point fault kind but short writes (which succeed, shorter)', () => {
    expect(new Set([...POINTS.map((p) => p.kind), 'short-write'])).toEqual(new Set(POINT_FAULTS));
  });

  for (const point of POINTS) {
    it(`${point.kind} rejects the promise of the call it fails, never throws synchronously`, async () => {
      const world = new World({ seed: 1 });
      const process = world.spawn('p', async (io) => failOnce(pointFault(point, world)(io.fs), point));
      await world.run();
      expect(process.error).toBeUndefined();
      expect(process.result).toEqual({ threwSynchronously: false, code: point.kind === 'enospc' ? 'ENOSPC' : 'EIO' });
    });
  }
});
