// The durability model of SimFs: what each crash model keeps of a write sequence.
import { describe, expect, it } from 'vitest';
import { SimFsCore } from '../../harness/simFs/simFsCore.ts';
import { crashState, type CrashModel } from '../../harness/simFs/crashStates.ts';
import { SeededRandom } from '../../harness/seededRandom.ts';

const enc = (t: string) => new TextEncoder().encode(t);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** A tmp+rename sequence over an existing durable "old" file, with chosen syncs. */
function replace(options: { fsyncFile: boolean; fsyncDir: boolean }): SimFsCore {
  const core = new SimFsCore(() => 0);
  core.mkdir('/d', false);
  const old = core.open('/d/target', 'wx');
  core.write(old, enc('old'), 0);
  core.syncAll();
  const tmp = core.open('/d/.tmp-1', 'wx');
  core.write(tmp, enc('new content'), 0);
  if (options.fsyncFile) core.fsync(tmp);
  core.close(tmp);
  core.rename('/d/.tmp-1', '/d/target');
  if (options.fsyncDir) core.syncDir('/d');
  return core;
}

function read(core: SimFsCore, path: string): string | undefined {
  try {
    return dec(core.readFile(path));
  } catch {
    return undefined;
  }
}

const pk: CrashModel = { kind: 'process-kill' };
const lazy: CrashModel = { kind: 'lazyfs' };
const pess: CrashModel = { kind: 'pessimistic' };

describe('crash states', () => {
  it('process kill keeps everything that completed, synced or not', () => {
    expect(read(crashState(replace({ fsyncFile: false, fsyncDir: false }), pk), '/d/target')).toBe('new content');
  });

  it('no fsync at all: lazyfs shows the ext4 2009 state (renamed name, empty data); pessimistic keeps the old file', () => {
    const core = replace({ fsyncFile: false, fsyncDir: false });
    expect(read(crashState(core, lazy), '/d/target')).toBe('');
    expect(read(crashState(core, pess), '/d/target')).toBe('old');
  });

  it('file fsync without directory fsync: the rename can be lost (pessimistic), data is safe where the name survives', () => {
    const core = replace({ fsyncFile: true, fsyncDir: false });
    expect(read(crashState(core, lazy), '/d/target')).toBe('new content');
    expect(read(crashState(core, pess), '/d/target')).toBe('old');
  });

  it('file fsync and directory fsync: every model keeps the new content', () => {
    const core = replace({ fsyncFile: true, fsyncDir: true });
    for (const model of [pk, lazy, pess]) expect(read(crashState(core, model), '/d/target')).toBe('new content');
    for (let seed = 0; seed < 50; seed++) {
      expect(
        read(crashState(core, { kind: 'subset', random: new SeededRandom(seed), nonAtomicRename: true }), '/d/target'),
      ).toBe('new content');
    }
  });

  it('seeded subsets reach both outcomes of an unsynced rename, and torn block-aligned prefixes of appends', () => {
    const core = replace({ fsyncFile: true, fsyncDir: false });
    const seen = new Set<string | undefined>();
    for (let seed = 0; seed < 40; seed++)
      seen.add(read(crashState(core, { kind: 'subset', random: new SeededRandom(seed) }), '/d/target'));
    expect(seen).toEqual(new Set(['old', 'new content']));

    const big = new SimFsCore(() => 0);
    const h = big.open('/f', 'wx');
    big.syncAll();
    big.write(h, new Uint8Array(3 * 4096 + 10).fill(7), 0);
    const sizes = new Set<number>();
    for (let seed = 0; seed < 80; seed++)
      sizes.add(crashState(big, { kind: 'subset', random: new SeededRandom(seed) }).readFile('/f').length);
    expect([...sizes].sort((a, b) => a - b)).toEqual([0, 4096, 8192, 12288, 12298]);
  });

  it('non-atomic rename of a durable name can leave both names or neither; atomic rename never does', () => {
    const core = new SimFsCore(() => 0);
    const h = core.open('/a', 'wx');
    core.write(h, enc('x'), 0);
    core.syncAll();
    core.rename('/a', '/b');
    const outcomes = (nonAtomicRename: boolean) => {
      const seen = new Set<string>();
      for (let seed = 0; seed < 100; seed++) {
        const state = crashState(core, { kind: 'subset', random: new SeededRandom(seed), nonAtomicRename });
        seen.add(`${read(state, '/a') ?? '-'}|${read(state, '/b') ?? '-'}`);
      }
      return seen;
    };
    expect(outcomes(true)).toEqual(new Set(['x|x', '-|-', 'x|-', '-|x']));
    expect(outcomes(false)).toEqual(new Set(['x|-', '-|x']));
  });
});
