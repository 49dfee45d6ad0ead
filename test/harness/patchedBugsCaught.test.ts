// Zoo bugs written as source patches, caught by one explorer in particular. These load a patched copy
// of src/ (harness/bugs/patchedRuntime.ts), which cannot be made from the instrumented src/ of a
// mutation run: vitest.mutation.config.ts leaves this file out, as it does the zoo itself.
import { describe, expect, it } from 'vitest';
import { exploreFaultsThenCrash } from '../../harness/explorer/exploreFaults.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { SMALL_JOBS } from '../../harness/workload/jobSpec.ts';
import { ZOO } from '../../harness/bugs/zoo.ts';
import { loadVariant } from '../../harness/bugs/runtimeVariant.ts';
import { explore } from '../../harness/explorer/explore.ts';

const config = simConfig();

describe('fault, then crash, on a patched runtime', () => {
  it('catches fsync EIO retried and the second success trusted: the page cache dropped the data', async () => {
    const bug = ZOO.find((b) => b.id === 'fsync-eio-retried')!;
    const result = await exploreFaultsThenCrash({
      jobs: SMALL_JOBS,
      config,
      seed: 1,
      models: ['lazyfs'],
      perKind: 3,
      runtime: (await loadVariant(bug.variant)).runtime!,
      stopAtFirst: true,
    });
    expect(result.violations[0]).toMatchObject({
      invariant: expect.stringMatching(/^I[126]$/),
      crashPoint: expect.stringMatching(/^fsync-eio#fsync\d+\+lazyfs@\d+/),
    });
  });
});

describe('the explorer through the jobs CLI, on a patched adapter', () => {
  it('catches the node:fs adapter skipping the directory fsync, which the in-process explorer cannot see', async () => {
    const { runtime } = await loadVariant(ZOO.find((b) => b.id === 'adapter-dir-fsync-skipped')!.variant);
    const options = { jobs: SMALL_JOBS, config, seed: 1, models: ['pessimistic'] as const, runtime: runtime! };
    expect((await explore({ ...options, entry: 'in-process' })).violations).toEqual([]);
    const production = await explore({ ...options, entry: 'production', stopAtFirst: true });
    expect(production.violations[0]).toMatchObject({ invariant: 'I6', message: expect.stringMatching(/acknowledged/) });
  });
});
