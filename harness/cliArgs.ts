// The harness CLI's command line, declared once for the shared parser (src/cliParser.ts): options,
// commands and which options each takes. `--help` is generated from it. Unknown commands and flags,
// missing or malformed values: a one-line error and exit 2.
import { z } from 'zod';
import { flag, option, program, type Values } from '../src/cliSpec.ts';
import { parseCommandLine, type ParseResult } from '../src/cliParser.ts';
import { choice, commaList, matching, text, wholeNumber } from '../src/cliValues.ts';
import { chaosCommand } from './report/chaosCommand.ts';
import { seedOption } from './seedValue.ts';
import { PLAN_GENERATORS } from './chaos/chaosPlan.ts';

export class HarnessUsageError extends Error {
  override readonly name = 'HarnessUsageError';
}

/** This machine's share of a campaign split across a CI matrix: index (1-based) and count. */
const shard = z
  .string()
  .refine(
    (t) => {
      const match = /^(\d{1,3})\/(\d{1,3})$/.exec(t);
      return match !== null && Number(match[1]) >= 1 && Number(match[1]) <= Number(match[2]);
    },
    { error: (issue) => `takes i/n with 1 <= i <= n, not ${JSON.stringify(issue.input)}` },
  )
  .transform((t) => ({ index: Number(t.split('/')[0]), count: Number(t.split('/')[1]) }));

const CHAOS_OPTIONS = {
  only: option('ID,...', commaList, 'only these scenarios (ids as list prints them)'),
  model: option(
    'process-kill|power-loss|all',
    choice(['process-kill', 'power-loss', 'all']),
    'crash models; power-loss is lazyfs, pessimistic and subset',
    { default: 'all' },
  ),
  workload: option('standard|small', choice(['standard', 'small']), 'the jobs the explored workload runs', {
    default: 'standard',
  }),
  runs: option('N', wholeNumber({ min: 1 }), 'randomized runs of the campaign', { default: 300 }),
  'production-runs': option(
    'N',
    wholeNumber({ min: 0 }),
    'randomized runs through the production root: the jobs CLI over a simulated machine',
    { default: 300 },
  ),
  'long-hold-runs': option(
    'N',
    wholeNumber({ min: 0 }),
    'randomized runs of the long-hold generator: slow lock calls under contention, each ending quiet',
    { default: 100 },
  ),
  plans: option(
    PLAN_GENERATORS.join('|'),
    choice([...PLAN_GENERATORS]),
    'which generator drew the replayed run (the replay command a failure prints says)',
    { default: 'swarm' },
  ),
  'model-runs': option(
    'N',
    wholeNumber({ min: 0 }),
    'user sessions through the CLI and jobs serve, judged by the reference model (I9)',
    { default: 300 },
  ),
  entry: option(
    'in-process|production',
    choice(['in-process', 'production']),
    'how the replayed run entered the runtime (the replay command a failure prints says)',
    { default: 'in-process' },
  ),
  seed: seedOption,
  path: option(
    'P',
    matching(/^\d+(:\d+)*$/, 'a fast-check path like 12:0:3'),
    'the counterexample path fast-check printed for the seed',
  ),
  // Worker threads: starting one costs about a second, which pays off only for long campaigns.
  workers: option('W', wholeNumber({ min: 1, max: 64 }), 'worker threads; 2 pays off from about 1,000 runs', {
    default: 1,
  }),
  shard: option('I/N', shard, 'run share i of n (a CI matrix): every n-th scenario, its own chaos seed, no explore'),
  json: flag('print one JSON object on stdout'),
  junit: option('FILE', text, 'also write a JUnit XML report to FILE'),
  out: option('DIR', text, 'where failure and trace files are written', { default: '.chaos' }),
};

const REPORTS = ['json', 'junit', 'out'] as const;

export const CHAOS_PROGRAM = program({
  name: chaosCommand(),
  summary: 'The fault-injection harness. Exit 0: no violation; 1: a violation; 2: bad arguments.',
  options: CHAOS_OPTIONS,
  defaultCommand: 'all',
  commands: {
    all: {
      summary: 'scenarios + explore + a bounded chaos campaign',
      options: [
        'only',
        'seed',
        'model',
        'workload',
        'runs',
        'production-runs',
        'long-hold-runs',
        'model-runs',
        'workers',
        'shard',
        ...REPORTS,
      ],
    },
    list: { summary: 'the scenario catalog: ids and titles', options: ['json'] },
    scenarios: { summary: 'runs the scripted scenarios', options: ['only', 'seed', 'shard', ...REPORTS] },
    explore: {
      summary: 'every crash point of the workload, recovered and checked',
      options: ['model', 'workload', 'seed', 'workers', ...REPORTS],
    },
    chaos: {
      summary: 'a randomized campaign (fast-check, swarm faults, shrinking)',
      options: ['runs', 'production-runs', 'long-hold-runs', 'model-runs', 'seed', 'workers', 'shard', ...REPORTS],
    },
    model: {
      summary: 'the model-based campaign alone: --model-runs sessions, or one replayed with --seed S --path P',
      options: ['model-runs', 'seed', 'path', ...REPORTS],
    },
    replay: {
      summary: 'exact re-run of a failure (--seed S --path P, or a failure file), printing its trace',
      options: ['seed', 'path', 'entry', 'plans', 'json'],
      operand: { name: 'FILE', description: 'a failure file (.chaos/failures/*.json)' },
      check: (values, file) =>
        file === undefined && values.path === undefined
          ? 'replay needs --seed S --path P, or a failure file'
          : file !== undefined && values.path !== undefined
            ? 'replay takes a failure file or --seed/--path, not both'
            : undefined,
    },
    foreign: {
      summary: 'explores and campaigns your own code (a ForeignWorkload module, see docs/foreign.md)',
      options: ['runs', 'seed', 'path', ...REPORTS],
      defaults: { runs: 200 },
      operand: { name: 'MODULE', description: 'a module whose default export is a ForeignWorkload', required: true },
    },
  },
});

export type HarnessCommand = keyof typeof CHAOS_PROGRAM.commands;

export type HarnessArgs = Values<typeof CHAOS_OPTIONS> & {
  readonly command: HarnessCommand;
  /** replay's failure file, foreign's module. */
  readonly file: string | undefined;
};

export type HarnessParse = ParseResult<typeof CHAOS_OPTIONS, HarnessCommand>;

export function parseHarnessCommandLine(argv: readonly string[]): HarnessParse {
  return parseCommandLine(CHAOS_PROGRAM, argv);
}

export function harnessArgs(parsed: HarnessParse & { kind: 'command' }): HarnessArgs {
  return { ...parsed.values, command: parsed.command, file: parsed.operand };
}

/** The arguments of a harness run; a HarnessUsageError for bad arguments (and for --help, which runs nothing). */
export function parseHarnessArgs(argv: readonly string[]): HarnessArgs {
  const parsed = parseHarnessCommandLine(argv);
  if (parsed.kind === 'error') throw new HarnessUsageError(parsed.message);
  if (parsed.kind === 'help') throw new HarnessUsageError('--help asks for help, not a run');
  return harnessArgs(parsed);
}
