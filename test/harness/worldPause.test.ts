// A paused process is SIGSTOPped: nothing of it runs until it resumes, its timers included. A kill
// drops timers that came due during the pause: they never fire.
import { describe, expect, it } from 'vitest';
import { World } from '../../harness/world/world.ts';

describe('World.pause', () => {
  it('defers a sleep that comes due during a pause until the process resumes', async () => {
    const world = new World({ seed: 1 });
    const woke: number[] = [];
    const sleeper = world.spawn('sleeper', async (io) => {
      await io.clock.sleep(1_000);
      woke.push(io.clock.monotonicMs());
    });
    const start = world.fake.now;
    world.pause(sleeper, 5_000);
    await world.run();
    expect(woke).toEqual([start + 5_000]);
    expect(sleeper.status).toBe('exited');
  });

  it('never fires a timer of a process killed while paused', async () => {
    const world = new World({ seed: 1 });
    let woke = false;
    const sleeper = world.spawn('sleeper', async (io) => {
      await io.clock.sleep(1_000);
      woke = true;
    });
    world.pause(sleeper, 5_000);
    world.at(2_000, 'kill', () => world.kill(sleeper));
    await world.run();
    expect(woke).toBe(false);
    expect(sleeper.status).toBe('killed');
  });
});
