// The zoo's source patches (harness/bugs/patchedRuntime.ts): every patch of the zoo still applies to
// today's source (once, exactly), a patch that stopped applying fails loudly and says why, and a
// patched copy imports the real modules it does not patch, so an error it throws is the real class.
import { describe, expect, it } from 'vitest';
import { ZOO } from '../../harness/bugs/zoo.ts';
import { patchedRuntime } from '../../harness/bugs/patchedRuntime.ts';
import { patch } from '../../harness/bugs/zooPatch.ts';
import { realRuntime } from '../../harness/world/runtimeEntries.ts';
import { World } from '../../harness/world/world.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { UsageError } from '../../src/errors.ts';

describe('the patched runtime', () => {
  it("loads every source patch of the zoo against today's src/", async () => {
    const patched = ZOO.filter((bug) => bug.variant.patches !== undefined);
    expect(patched.length).toBeGreaterThanOrEqual(20);
    for (const bug of patched) {
      const runtime = await patchedRuntime(bug.variant.patches!);
      const changed = Object.keys(runtime).filter(
        (name) => runtime[name as keyof typeof runtime] !== realRuntime[name as keyof typeof realRuntime],
      );
      expect(changed.length, bug.id).toBeGreaterThan(0);
    }
  });

  it('refuses a patch whose text is gone, found twice, or in a file that does not exist', async () => {
    await expect(patchedRuntime([patch('pipeline.ts', 'text that is not in the file', '')])).rejects.toThrow(
      /src\/pipeline.ts no longer applies: its text occurs 0 times/,
    );
    await expect(patchedRuntime([patch('pipeline.ts', 'await ', '')])).rejects.toThrow(
      /occurs \d+ times \(must be once\)/,
    );
    await expect(patchedRuntime([patch('nowhere.ts', 'x', 'y')])).rejects.toThrow(
      /names src\/nowhere.ts, which does not exist/,
    );
  });

  it('copies only what it must: an error the copy throws is the real class', async () => {
    const runtime = await patchedRuntime([
      patch(
        'retryJob.ts',
        '  const jobDir = layout.jobDir(jobId);\n',
        '  const jobDir = layout.jobDir(jobId); // patched\n',
      ),
    ]);
    expect(runtime.retryJob).not.toBe(realRuntime.retryJob);
    expect(runtime.runPass).toBe(realRuntime.runPass);
    const world = new World({ seed: 1 });
    const process = world.spawn('retry', (io) => runtime.retryJob(io, simConfig(), 'nobody'));
    await world.run();
    expect(process.error).toBeInstanceOf(UsageError);
  });
});
