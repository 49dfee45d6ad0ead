// Runs a function as one process inside a fresh simulated world, and hands back its result.
import type { Io } from '../../src/ports/io.ts';
import { World } from '../../harness/world/world.ts';

export async function inWorld<T>(
  body: (io: Io, world: World) => Promise<T>,
  seed = 1,
): Promise<{ value: T; world: World }> {
  const world = new World({ seed });
  const process = world.spawn('test', (io) => body(io, world));
  await world.run();
  if (process.status !== 'exited') throw new Error(`test process ended ${process.status}`);
  if (process.error !== undefined) throw process.error;
  return { value: process.result as T, world };
}
