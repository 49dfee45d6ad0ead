// SimProcessFs depends on the world only through its ProcessKernel (harness/simFs/processKernel.ts):
// every call, a write and a torn write included, waits at the gate, then ends the same way (one trace
// line, then the completion hooks). A torn write ends like that and only then kills its process.
import { describe, expect, it } from 'vitest';
import { SimProcessFs } from '../../harness/simFs/simFs.ts';
import { SimFsCore } from '../../harness/simFs/simFsCore.ts';
import type { GateDecision, OpDesc, ProcessKernel } from '../../harness/simFs/processKernel.ts';
import { World } from '../../harness/world/world.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

/** A kernel that lets every call through at once (or tears the writes `tear` names) and records what SimProcessFs asks of it. */
function recordingKernel(tear: (op: OpDesc) => GateDecision = () => ({ kind: 'proceed' })): {
  kernel: ProcessKernel;
  log: string[];
} {
  const log: string[] = [];
  const core = new SimFsCore(() => 0);
  core.mkdir('/d', true);
  const kernel: ProcessKernel = {
    pid: 7,
    core: () => core,
    gate: async (op) => {
      log.push(`gate ${op.op}`);
      return tear(op);
    },
    trace: (line) => log.push(`trace ${line()}`),
    completed: (op, ok) => log.push(`completed ${op.op} ${ok}`),
    killDuring: (op) => log.push(`kill during ${op.op}`),
  };
  return { kernel, log };
}

describe('SimProcessFs over its ProcessKernel', () => {
  it('gates, traces and completes every call, a write included, and a failed one as failed', async () => {
    const { kernel, log } = recordingKernel();
    const fs = new SimProcessFs(kernel);
    const handle = await fs.open('/d/f', 'wx');
    expect(await handle.write(bytes('abc'), 0)).toBe(3);
    await handle.sync();
    await handle.close();
    await expect(handle.write(bytes('x'), 3)).rejects.toMatchObject({ code: 'EBADF' });
    expect(log).toEqual([
      'gate open',
      'trace open /d/f wx = ok',
      'completed open true',
      'gate write',
      'trace write /d/f 3B@0 = 3',
      'completed write true',
      'gate fsync',
      'trace fsync /d/f = ok',
      'completed fsync true',
      'gate close',
      'trace close /d/f = ok',
      'completed close true',
      'gate write',
      'trace write /d/f 1B@3 = EBADF',
      'completed write false',
    ]);
  });

  it('ends a torn write like any call, keeps its prefix, then kills, and the write never returns', async () => {
    const { kernel, log } = recordingKernel((op) =>
      op.op === 'write' ? { kind: 'partial-write', keepBytes: 2 } : { kind: 'proceed' },
    );
    const fs = new SimProcessFs(kernel);
    const handle = await fs.open('/d/f', 'wx');
    let returned = false;
    void handle.write(bytes('abcdef'), 0).then(() => {
      returned = true;
    });
    for (let turn = 0; turn < 20; turn++) await Promise.resolve();
    expect(log.slice(3)).toEqual([
      'gate write',
      'trace write /d/f 6B@0 = torn: 2 of 6 bytes reached the page cache',
      'completed write true',
      'kill during write',
    ]);
    expect(returned).toBe(false);
    expect(new TextDecoder().decode(kernel.core().readFile('/d/f'))).toBe('ab');
  });
});

describe('a torn write in the world', () => {
  async function tornWorld(trace: boolean) {
    const world = new World({ seed: 3, trace });
    world.core.mkdir('/d', true);
    const added: string[] = [];
    const add = world.trace.add.bind(world.trace);
    world.trace.add = (line) => {
      added.push(line);
      add(line);
    };
    const seen: string[] = [];
    world.completions.push((process, op, ok) => seen.push(`${op.op} ${op.path} ok=${ok} ${process.status}`));
    const writer = world.spawn('writer', async (io) => {
      const handle = await io.fs.open('/d/f', 'wx');
      await handle.write(bytes('whole'), 0);
      await handle.write(bytes('torn write'), 5);
    });
    let writes = 0;
    world.interceptor = (_process, op) =>
      op.op === 'write' && ++writes === 2 ? { kind: 'partial-write', keepBytes: 4 } : { kind: 'proceed' };
    await world.run();
    return { world, writer, added, seen };
  }

  it('is traced once, seen by the completion hooks while its process still runs, and then kills it', async () => {
    const { world, writer, seen } = await tornWorld(true);
    expect(writer.status).toBe('killed');
    expect(seen).toEqual(['open /d/f ok=true running', 'write /d/f ok=true running', 'write /d/f ok=true running']);
    const lines = world.trace.lines.filter((line) => line.includes('write /d/f') || line.includes('killed'));
    expect(lines).toEqual([
      expect.stringMatching(/^#1 t=\d+ p100 write \/d\/f 5B@0 = 5$/),
      expect.stringMatching(/^#2 t=\d+ p100 write \/d\/f 10B@5 = torn: 4 of 10 bytes reached the page cache$/),
      expect.stringMatching(/^t=\d+ p100 killed \(during op #2 write \/d\/f\) after 3 ops$/),
    ]);
    expect(new TextDecoder().decode(world.core.readFile('/d/f'))).toBe('wholetorn');
  });

  it('builds no call trace text in a world that keeps no trace', async () => {
    const { writer, added, seen } = await tornWorld(false);
    expect(writer.status).toBe('killed');
    expect(seen).toHaveLength(3);
    expect(added.filter((line) => line.startsWith('#'))).toEqual([]);
  });
});
