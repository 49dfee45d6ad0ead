// A power loss that lands while a call is in flight (during its simulated latency) kills the process
// before the call acts: nothing of it reaches the rebooted machine, where the handle's inode number
// may name another file (a chaos run once saw such a write land in another job's state.json).
import { describe, expect, it } from 'vitest';
import { World } from '../../harness/world/world.ts';
import { crashState } from '../../harness/simFs/crashStates.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

function worldWithFile(latencyMs: number): World {
  const world = new World({ seed: 1, opLatencyMs: latencyMs });
  world.core.mkdir('/d', true);
  const handle = world.core.open('/d/keep.json', 'wx');
  world.core.write(handle, bytes('{"keep":true}'), 0);
  world.core.syncAll();
  return world;
}

describe('power loss during a call', () => {
  it('kills the caller before the call acts on the rebooted machine', async () => {
    const world = worldWithFile(10);
    const writer = world.spawn('writer', async (io) => {
      const handle = await io.fs.open('/d/new.tmp', 'wx');
      await handle.write(bytes('x'.repeat(64)), 0);
    });
    // The open takes 10 ms; the power goes 5 ms into the write that follows it.
    world.at(15, 'power loss', () => world.powerLoss(crashState(world.core, { kind: 'pessimistic' }), 'pessimistic'));
    await world.run();
    expect(writer.status).toBe('killed');
    expect(new TextDecoder().decode(world.core.readFile('/d/keep.json'))).toBe('{"keep":true}');
    expect(world.trace.render()).not.toMatch(/write \/d\/new.tmp 64B@0 = /);
  });
});
