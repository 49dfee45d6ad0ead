// `npm run zoo [-- --json] [--only id,...] [--chaos-runs N] [--seed S]`: run the harness against every
// bug of the zoo and report, per bug, which invariant caught it, by which scenario or seed/path, and
// how many runs or crash states it took. Exit 1 if any bug escapes; 2 for bad arguments (unknown bug
// ids among them). The options are declared in ZOO_PROGRAM; `--help` is generated from it.
import { ZOO } from './bugs/zoo.ts';
import { huntBug, type HuntResult } from './bugs/huntBug.ts';
import { simConfig } from './workload/simConfig.ts';
import { isEntryModule } from '../src/adapters/isEntryModule.ts';
import { flag, option, program, type Values } from '../src/cliSpec.ts';
import { commaList, wholeNumber } from '../src/cliValues.ts';
import { seedOption } from './seedValue.ts';
import { entryArgs, processStreams, type EntryStreams } from './entryArgs.ts';

const ZOO_OPTIONS = {
  json: flag('print one JSON object on stdout instead of the Markdown table'),
  only: option('ID,...', commaList, 'only these bugs (ids as harness/bugs/zoo.ts names them)'),
  'chaos-runs': option('N', wholeNumber({ min: 1 }), 'randomized runs of the chaos campaign that hunts each bug', {
    default: 300,
  }),
  seed: seedOption,
};

export const ZOO_PROGRAM = program({
  name: 'npm run zoo --',
  summary:
    'Runs the harness against every bug of the zoo: which invariant caught each, by which ' +
    'scenario or seed/path, after how many runs.',
  options: ZOO_OPTIONS,
  defaultCommand: 'hunt',
  commands: {
    hunt: {
      summary: 'hunts the bugs of the zoo',
      options: ['json', 'only', 'chaos-runs', 'seed'],
      check: (values) => unknownBugs(values.only),
    },
  },
  notes: ['Exit 0: every bug caught; 1: a bug escaped; 2: bad arguments or an unknown bug id.'],
});

type ZooArgs = Values<typeof ZOO_OPTIONS>;

/** `--only` naming a bug the zoo does not have, or none at all. */
function unknownBugs(only: readonly string[] | undefined): string | undefined {
  if (only === undefined) return undefined;
  if (only.length === 0) return '--only names no bug';
  const unknown = only.filter((id) => !ZOO.some((b) => b.id === id));
  return unknown.length > 0 ? `unknown bug id(s): ${unknown.join(', ')}` : undefined;
}

export async function main(argv: readonly string[], out: EntryStreams): Promise<number> {
  const args = entryArgs(ZOO_PROGRAM, 'zoo', argv, out);
  if (typeof args === 'number') return args;
  const bugs = await hunt(args, out);
  out.stdout(args.json ? renderJson(bugs) : renderTable(bugs));
  return bugs.every((b) => b.caught) ? 0 : 1;
}

/** Each selected bug hunted in turn; a line on stderr per bug unless the output is JSON. */
async function hunt(args: ZooArgs, out: EntryStreams): Promise<HuntResult[]> {
  const bugs: HuntResult[] = [];
  for (const bug of ZOO.filter((b) => args.only === undefined || args.only.includes(b.id))) {
    const result = await huntBug(bug, { seed: args.seed, chaosRuns: args['chaos-runs'], config: simConfig() });
    bugs.push(result);
    if (!args.json) out.stderr(`${result.caught ? 'caught ' : 'ESCAPED'} ${bug.id}\n`);
  }
  return bugs;
}

function renderJson(bugs: readonly HuntResult[]): string {
  return `${JSON.stringify({ bugs: bugs.map(({ id, caught, invariant, runsToDetect, by, message }) => ({ id, caught, invariant, runsToDetect, by, message })) })}\n`;
}

function renderTable(bugs: readonly HuntResult[]): string {
  const rows = bugs.map(
    (b) =>
      `| ${b.id} | ${b.caught ? 'yes' : '**NO**'} | ${b.invariant ?? '-'} | ${b.by ?? '-'} | ${b.runsToDetect} |\n`,
  );
  return `| bug | caught | invariant | by | runs to detect |\n|---|---|---|---|---|\n${rows.join('')}\n${bugs.filter((b) => b.caught).length}/${bugs.length} bugs caught\n`;
}

const isEntry = isEntryModule(import.meta.url);
if (isEntry) process.exitCode = await main(process.argv.slice(2), processStreams);
