// Every user-facing operation is crash-explored under every crash model: enqueue, retry, delete (of a
// queued and of a complete job), purge, and the HTTP retry and delete routes. The correct runtime
// keeps each operation's promise; runtimes that break one are caught, by the invariant that says so.
import { describe, expect, it } from 'vitest';
import { OPERATION_WORKLOADS, type OperationWorkload } from '../../harness/explorer/operationWorkloads.ts';
import { exploreOperation } from '../../harness/explorer/exploreOperation.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { noDirFsync, noFileFsync } from '../../harness/bugs/fsBugs.ts';
import type { FileSystem } from '../../src/ports/fileSystem.ts';

const config = simConfig();
const ALL_MODELS = ['process-kill', 'lazyfs', 'pessimistic', 'subset'] as const;
const workload = (name: string): OperationWorkload => OPERATION_WORKLOADS.find((w) => w.name === name)!;

describe('operation workloads on the correct runtime', () => {
  for (const w of OPERATION_WORKLOADS) {
    it(`${w.name}: every crash point under every model keeps its promise`, async () => {
      const result = await exploreOperation(w, { config, seed: 1, models: ALL_MODELS });
      expect(result.violations).toEqual([]);
      expect(result.crashPoints).toBeGreaterThan(10);
      expect(result.crashStates).toBe(result.crashPoints * ALL_MODELS.length);
    });
  }
});

describe('operation workloads catch broken runtimes', () => {
  it('enqueue without a file fsync: a power loss leaves a job whose state and input are empty (half-enqueued, and an acknowledged enqueue lost)', async () => {
    const result = await exploreOperation(workload('enqueue'), {
      config,
      seed: 1,
      models: ['lazyfs'],
      spawn: { decorate: [noFileFsync] },
    });
    expect(result.violations).toContainEqual(
      expect.objectContaining({ invariant: 'I2', message: 'input is torn (0 of 118 bytes)' }),
    );
    expect(result.violations).toContainEqual(
      expect.objectContaining({
        invariant: 'I2',
        message: expect.stringMatching(
          /^enqueue of j3: half-enqueued: state.json says unreadable but the input is 0 bytes/,
        ),
      }),
    );
    expect(result.violations).toContainEqual(
      expect.objectContaining({
        invariant: 'I6',
        message: expect.stringMatching(
          /^enqueue of j3: enqueue was acknowledged, but the job is state.json of j3 is not JSON/,
        ),
      }),
    );
  });

  it('purge without directory fsyncs: a power loss that keeps some of its unlinks and not its move half-purges a job', async () => {
    const result = await exploreOperation(workload('purge'), {
      config,
      seed: 1,
      models: ['subset', 'pessimistic'],
      spawn: { decorate: [noDirFsync] },
    });
    expect(result.violations).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(/purge of j1: (half-purged|purge returned, but the expired job is still there)/),
      }),
    );
  });

  it("delete that removes the job's files before its tombstone is durable: half-deleted", async () => {
    // The tombstone's rename never reaches the disk: everything else the deletion does does.
    const lostTombstone = (fs: FileSystem): FileSystem =>
      Object.assign(Object.create(fs) as FileSystem, {
        rename: async (from: string, to: string) => (to.endsWith('/deleted') ? fs.unlink(from) : fs.rename(from, to)),
      });
    const result = await exploreOperation(workload('delete-complete'), {
      config,
      seed: 1,
      models: ['process-kill'],
      spawn: { decorate: [lostTombstone] },
    });
    expect(result.violations).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(/delete-complete of j1: (half-deleted|delete was acknowledged)/),
      }),
    );
  });
});
