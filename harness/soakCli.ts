// `npm run soak -- [--kills N] [--seed S] [--runners R] [--json]`: the real SIGKILL campaign. The
// options are declared in SOAK_PROGRAM; `--help` is generated from it.
import { runKillCampaign, type SoakReport } from './soak/killCampaign.ts';
import { isEntryModule } from '../src/adapters/isEntryModule.ts';
import { flag, option, program } from '../src/cliSpec.ts';
import { wholeNumber } from '../src/cliValues.ts';
import { seedOption } from './seedValue.ts';
import { entryArgs, processStreams, type EntryStreams } from './entryArgs.ts';

export const SOAK_PROGRAM = program({
  name: 'npm run soak --',
  summary:
    'The real SIGKILL campaign: real runner processes on a real data root, killed at ' +
    'seeded moments, then recovered and checked.',
  options: {
    kills: option('N', wholeNumber({ min: 1 }), 'SIGKILLs to land', { default: 200 }),
    seed: seedOption,
    runners: option(
      'R',
      wholeNumber({ min: 1 }),
      'runners started together each round (more than one: the concurrent soak)',
      { default: 2 },
    ),
    json: flag('print the report as one JSON object on stdout'),
  },
  defaultCommand: 'soak',
  commands: { soak: { summary: 'runs the campaign', options: ['kills', 'seed', 'runners', 'json'] } },
  notes: ['Exit 0: no invariant violation; 1: a violation; 2: bad arguments.'],
});

export async function main(argv: readonly string[], streams: EntryStreams): Promise<number> {
  const args = entryArgs(SOAK_PROGRAM, 'soak', argv, streams);
  if (typeof args === 'number') return args;
  const report = await runKillCampaign({
    kills: args.kills,
    seed: args.seed,
    runnersPerRound: args.runners,
    onProgress: streams.stderr,
  });
  streams.stdout(args.json ? `${JSON.stringify(report)}\n` : renderReport(report));
  return report.violations.length === 0 ? 0 : 1;
}

function renderReport(report: SoakReport): string {
  const stages = Object.entries(report.killsByStage)
    .sort()
    .map(([stage, count]) => `  killed during ${stage}: ${count}\n`);
  const verdict =
    report.violations.length === 0
      ? 'OK: no invariant violation\n'
      : `FAILED:\n${report.violations.map((v) => `  [${v.invariant}] ${v.message}`).join('\n')}\n`;
  return (
    `kills landed: ${report.kills} (of ${report.runnerStarts} runner starts), jobs: ${report.jobs}, ` +
    `${(report.elapsedMs / 1000).toFixed(1)} s\n${stages.join('')}${verdict}`
  );
}

const isEntry = isEntryModule(import.meta.url);
if (isEntry) process.exitCode = await main(process.argv.slice(2), processStreams);
