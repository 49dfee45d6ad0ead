// A failure found with a commit-derived seed above 2^31 prints a replay command that runs as printed
// (fast-check reports such seeds as negative 32-bit numbers, which the CLI would refuse).
import { describe, expect, it } from 'vitest';
import { runCampaign, replayCommand } from '../../harness/chaos/campaign.ts';
import { parseHarnessArgs } from '../../harness/cliArgs.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { ZOO } from '../../harness/bugs/zoo.ts';

describe('replay of a large seed', () => {
  it('prints the seed as given, and that replay finds the same failure', async () => {
    const bug = ZOO.find((b) => b.id === 'purge-ttl-in-seconds')!;
    const seed = 0xdeadbeef;
    const found = await runCampaign({ runs: 200, seed, config: simConfig(), variant: bug.variant });
    expect(found.failure?.seed).toBe(seed);
    const command = replayCommand(found.failure!.seed, found.failure!.path);
    const args = parseHarnessArgs(command.split(' ').slice(4));
    expect(args).toMatchObject({ command: 'replay', seed, path: found.failure!.path });
    const replayed = await runCampaign({
      runs: 1,
      seed: args.seed,
      path: args.path!,
      config: simConfig(),
      variant: bug.variant,
    });
    expect(replayed.failure?.result.violations).toEqual(found.failure!.result.violations);
  });
});
