// Arguments of the harness CLI. Unknown commands and flags, missing or malformed values: a one-line
// error and exit 2.
export class HarnessUsageError extends Error {
  override readonly name = 'HarnessUsageError';
}

export const COMMANDS = ['all', 'list', 'scenarios', 'explore', 'chaos', 'replay', 'foreign'] as const;
export type HarnessCommand = (typeof COMMANDS)[number];

export interface HarnessArgs {
  command: HarnessCommand;
  json: boolean;
  seed: number;
  runs: number | undefined;
  only: string[] | undefined;
  model: 'process-kill' | 'power-loss' | 'all';
  workload: 'standard' | 'small';
  path: string | undefined;
  file: string | undefined;
  junit: string | undefined;
  out: string;
  /** This machine's share of a campaign split across a CI matrix: index (1-based) and count. */
  shard: { index: number; count: number } | undefined;
  /** Worker threads (default 1: starting a worker costs about a second, which pays off only for long campaigns). */
  workers: number;
}

const VALUE_FLAGS = new Set(['seed', 'runs', 'only', 'model', 'workload', 'path', 'junit', 'out', 'shard', 'workers']);

export function parseHarnessArgs(argv: string[]): HarnessArgs {
  const args: HarnessArgs = { command: 'all', json: false, seed: 1, runs: undefined, only: undefined, model: 'all', workload: 'standard', path: undefined, file: undefined, junit: undefined, out: '.chaos', shard: undefined, workers: 1 };
  let rest = argv;
  if (rest[0] !== undefined && !rest[0].startsWith('--')) {
    if (!(COMMANDS as readonly string[]).includes(rest[0])) throw new HarnessUsageError(`unknown command ${JSON.stringify(rest[0])} (commands: ${COMMANDS.join(', ')})`);
    args.command = rest[0] as HarnessCommand;
    rest = rest.slice(1);
  }
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('--')) {
      if ((args.command === 'replay' || args.command === 'foreign') && args.file === undefined) {
        args.file = arg;
        continue;
      }
      throw new HarnessUsageError(`unexpected argument ${JSON.stringify(arg)}`);
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (name === 'json') {
      args.json = true;
      continue;
    }
    if (!VALUE_FLAGS.has(name)) throw new HarnessUsageError(`unknown flag --${name}`);
    const value = inline ?? rest[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) throw new HarnessUsageError(`--${name} needs a value`);
    switch (name) {
      case 'seed':
        // A commit hash works too (CI seeds each commit differently and can replay from the hash alone).
        if (/^[0-9a-f]{7,40}$/.test(value) && !/^\d+$/.test(value)) {
          args.seed = Number.parseInt(value.slice(0, 8), 16);
          break;
        }
        // fast-check reports seeds as signed 32-bit numbers; -N and 2^32-N are the same seed.
        if (!/^-?\d{1,10}$/.test(value) || Number(value) > 0xffffffff || Number(value) < -0x80000000) {
          throw new HarnessUsageError(`--seed needs a whole number -2147483648..4294967295 or a commit hash, not ${JSON.stringify(value)}`);
        }
        args.seed = Number(value) >>> 0;
        break;
      case 'runs':
        if (!/^\d{1,7}$/.test(value) || Number(value) < 1) throw new HarnessUsageError(`--runs needs a whole number ≥ 1, not ${JSON.stringify(value)}`);
        args.runs = Number(value);
        break;
      case 'only':
        args.only = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
        break;
      case 'model':
        if (value !== 'process-kill' && value !== 'power-loss' && value !== 'all') throw new HarnessUsageError(`--model takes process-kill, power-loss or all, not ${JSON.stringify(value)}`);
        args.model = value;
        break;
      case 'workload':
        if (value !== 'standard' && value !== 'small') throw new HarnessUsageError(`--workload takes standard or small, not ${JSON.stringify(value)}`);
        args.workload = value;
        break;
      case 'path':
        if (!/^\d+(:\d+)*$/.test(value)) throw new HarnessUsageError(`--path takes a fast-check path like 12:0:3, not ${JSON.stringify(value)}`);
        args.path = value;
        break;
      case 'junit':
        args.junit = value;
        break;
      case 'out':
        args.out = value;
        break;
      case 'workers':
        if (!/^\d{1,2}$/.test(value) || Number(value) < 1 || Number(value) > 64) throw new HarnessUsageError(`--workers takes a whole number 1..64, not ${JSON.stringify(value)}`);
        args.workers = Number(value);
        break;
      case 'shard': {
        const match = /^(\d{1,3})\/(\d{1,3})$/.exec(value);
        if (match === null || Number(match[1]) < 1 || Number(match[1]) > Number(match[2])) throw new HarnessUsageError(`--shard takes i/n with 1 <= i <= n, not ${JSON.stringify(value)}`);
        args.shard = { index: Number(match[1]), count: Number(match[2]) };
        break;
      }
    }
  }
  if (args.command === 'replay' && args.file === undefined && args.path === undefined) throw new HarnessUsageError('replay needs --seed S --path P, or a failure file');
  if (args.command === 'replay' && args.file !== undefined && args.path !== undefined) throw new HarnessUsageError('replay takes a failure file or --seed/--path, not both');
  if (args.command === 'foreign' && args.file === undefined) throw new HarnessUsageError('foreign needs a module whose default export is a ForeignWorkload');
  return args;
}
