// The four single-command entry points (zoo, soak, soundness, bench) parse their arguments with the
// shared parser (src/cliParser.ts): `--help` lists every option and exits 0, an unknown flag or a
// malformed value exits 2 with one line naming it. Only argument handling is exercised here: every
// argv below stops before any hunt, soak, campaign or benchmark starts.
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cliParser.ts';
import type { Options, ProgramSpec } from '../../src/cliSpec.ts';
import type { EntryStreams } from '../../harness/entryArgs.ts';
import { ZOO } from '../../harness/bugs/zoo.ts';
import { main as zooMain, ZOO_PROGRAM } from '../../harness/zooCli.ts';
import { main as soakMain, SOAK_PROGRAM } from '../../harness/soakCli.ts';
import { main as soundnessMain, SOUNDNESS_PROGRAM } from '../../harness/soundnessCli.ts';
import { main as benchMain, BENCH_PROGRAM } from '../../bench/bench.ts';

type Main = (argv: readonly string[], streams: EntryStreams) => Promise<number>;

async function run(main: Main, argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const ENTRY_POINTS: [string, Main, ProgramSpec<Options, string>, string[]][] = [
  ['zoo', zooMain, ZOO_PROGRAM as ProgramSpec<Options, string>, ['--chaos-runs', '0']],
  ['soak', soakMain, SOAK_PROGRAM as ProgramSpec<Options, string>, ['--seed', 'x']],
  ['soundness', soundnessMain, SOUNDNESS_PROGRAM as ProgramSpec<Options, string>, ['--jobs', '0']],
  ['bench', benchMain, BENCH_PROGRAM as ProgramSpec<Options, string>, ['--quick=yes']],
];

describe.each(ENTRY_POINTS)('npm run %s', (name, main, spec, malformed) => {
  it('--help prints usage and every option on stdout, exit 0', async () => {
    const result = await run(main, ['--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^usage: npm run ${name} -- \\[options\\]\\n`));
    for (const option of Object.keys(spec.options))
      expect(result.stdout, option).toMatch(new RegExp(`\\n {2}--${option}( |\\n)`));
  });

  it('an unknown flag exits 2 with one line naming it and the usage', async () => {
    const result = await run(main, ['--frobnicate']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(
      `${name}: unknown flag --frobnicate (usage: npm run ${name} -- [options]; see npm run ${name} -- --help)\n`,
    );
  });

  it(`a malformed value (${malformed.join(' ')}) exits 2 naming the flag`, async () => {
    const result = await run(main, malformed);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).toMatch(new RegExp(`^${name}: ${malformed[0]!.split('=')[0]}[: ]`));
  });

  it('takes no command word: an operand is refused', async () => {
    const result = await run(main, ['all']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/: unexpected argument "all" /);
  });
});

describe("the entry points' values and defaults", () => {
  const values = <O extends Options, C extends string>(spec: ProgramSpec<O, C>, argv: string[]) => {
    const parsed = parseCommandLine(spec, argv);
    return parsed.kind === 'command' ? parsed.values : parsed;
  };

  it('zoo: the defaults as before, the shared seed type, unknown bug ids refused by name', async () => {
    expect(values(ZOO_PROGRAM, [])).toEqual({ json: false, only: undefined, 'chaos-runs': 300, seed: 1 });
    const [a, b] = ZOO.map((bug) => bug.id);
    expect(values(ZOO_PROGRAM, ['--json', '--only', `${a},${b}`, '--chaos-runs', '5', '--seed', '-1'])).toEqual({
      json: true,
      only: [a, b],
      'chaos-runs': 5,
      seed: 0xffffffff,
    });
    expect(values(ZOO_PROGRAM, ['--seed', 'deadbeef1'])).toMatchObject({ seed: 0xdeadbeef });
    const unknown = await run(zooMain, ['--only', 'no-such-bug,nor-this']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^zoo: unknown bug id\(s\): no-such-bug, nor-this \(usage: /);
    expect((await run(zooMain, ['--only', ','])).stderr).toMatch(/^zoo: --only names no bug /);
    expect((await run(zooMain, ['--seed', 'x'])).stderr).toMatch(/^zoo: --seed: needs a whole number .* not "x"/);
  });

  it('soak: kills 200, seed 1, runners 2 unless given', () => {
    expect(values(SOAK_PROGRAM, [])).toEqual({ kills: 200, seed: 1, runners: 2, json: false });
    expect(values(SOAK_PROGRAM, ['--kills', '5', '--runners', '1', '--json'])).toMatchObject({
      kills: 5,
      runners: 1,
      json: true,
    });
    expect(values(SOAK_PROGRAM, ['--runners', '0'])).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/^--runners: /),
    });
  });

  it('soundness: seed ranges checked, and the internal --child --plan mode parsed', async () => {
    expect(values(SOUNDNESS_PROGRAM, [])).toMatchObject({
      seeds: '1-100',
      runs: 200,
      'long-seeds': '1-3',
      'long-runs': 5000,
      jobs: 2,
      child: false,
      plan: undefined,
    });
    expect(values(SOUNDNESS_PROGRAM, ['--child', '--plan', '[{"seed":4,"runs":7}]'])).toMatchObject({
      child: true,
      plan: [{ seed: 4, runs: 7 }],
    });
    for (const argv of [
      ['--seeds', '9-1'],
      ['--long-seeds', 'x'],
      ['--runs', '0'],
      ['--plan', '{}', '--child'],
      ['--child'],
      ['--plan', '[]'],
    ]) {
      const result = await run(soundnessMain, argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toMatch(/^soundness: --(seeds|long-seeds|runs|plan|child)/);
    }
  });

  it('bench: --quick is a switch', () => {
    expect(values(BENCH_PROGRAM, [])).toEqual({ quick: false });
    expect(values(BENCH_PROGRAM, ['--quick'])).toEqual({ quick: true });
  });
});
