// I5's handle count (harness/invariants/i5OpenHandles.ts) both ways: a process that returns with a
// handle open is reported, with the path it was opened at; one whose close fails (an injected EIO)
// is not, since close(2) releases the descriptor even when it reports an error.
import { describe, expect, it } from 'vitest';
import { World } from '../../harness/world/world.ts';
import { errnoFault } from '../../harness/faults/errnoFault.ts';
import { checkOpenHandles } from '../../harness/invariants/i5OpenHandles.ts';
import type { FileSystem } from '../../src/ports/fileSystem.ts';

async function openAndMaybeClose(fs: FileSystem, close: boolean): Promise<string> {
  await fs.mkdir('/d');
  const handle = await fs.open('/d/f', 'wx');
  if (!close) return 'left open';
  try {
    await handle.close();
    return 'closed';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('I5: no handle outlives its operation', () => {
  it('reports a process that returned with a handle open', async () => {
    const world = new World({ seed: 1 });
    const process = world.spawn('leaker', (io) => openAndMaybeClose(io.fs, false));
    await world.run();
    expect(process.result).toBe('left open');
    expect(checkOpenHandles(world)).toEqual([
      { invariant: 'I5', message: `p${process.pid} (leaker) ended with 1 file handle(s) open: /d/f` },
    ]);
  });

  it('a close that fails with an injected error still releases the descriptor: no false alarm', async () => {
    const world = new World({ seed: 1 });
    const process = world.spawn('closer', (io) => openAndMaybeClose(errnoFault('EIO', { op: 'close' })(io.fs), true));
    await world.run();
    expect(process.result).toBe('EIO');
    expect(checkOpenHandles(world)).toEqual([]);
  });
});
