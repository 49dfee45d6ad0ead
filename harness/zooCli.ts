// `npm run zoo [-- --json] [--only id,...] [--chaos-runs N] [--seed S]`: run the harness against every
// bug of the zoo and report, per bug, which invariant caught it, by which scenario or seed/path, and
// how many runs or crash states it took. Exit 1 if any bug escapes; 2 for bad arguments.
import { ZOO } from './bugs/zoo.ts';
import { huntBug, type HuntResult } from './bugs/huntBug.ts';
import { simConfig } from './workload/simConfig.ts';
import { isEntryModule } from '../src/adapters/isEntryModule.ts';

export async function main(argv: string[], out: { stdout: (t: string) => void; stderr: (t: string) => void }): Promise<number> {
  let json = false;
  let only: string[] | undefined;
  let chaosRuns = 300;
  let seed = 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    try {
      if (arg === '--json') json = true;
      else if (arg === '--only') only = value().split(',');
      else if (arg === '--chaos-runs') chaosRuns = Number(value());
      else if (arg === '--seed') seed = Number(value());
      else throw new Error(`unknown argument ${JSON.stringify(arg)}`);
    } catch (error) {
      out.stderr(`zoo: ${(error as Error).message}\n`);
      return 2;
    }
  }
  if (!Number.isInteger(chaosRuns) || chaosRuns < 1 || !Number.isInteger(seed) || seed < 0) {
    out.stderr('zoo: --chaos-runs and --seed take whole numbers\n');
    return 2;
  }
  const unknown = (only ?? []).filter((id) => !ZOO.some((b) => b.id === id));
  if (unknown.length > 0) {
    out.stderr(`zoo: unknown bug id(s): ${unknown.join(', ')}\n`);
    return 2;
  }
  const bugs: HuntResult[] = [];
  for (const bug of ZOO.filter((b) => only === undefined || only.includes(b.id))) {
    const result = await huntBug(bug, { seed, chaosRuns, config: simConfig() });
    bugs.push(result);
    if (!json) out.stderr(`${result.caught ? 'caught ' : 'ESCAPED'} ${bug.id}\n`);
  }
  if (json) {
    out.stdout(`${JSON.stringify({ bugs: bugs.map(({ id, caught, invariant, runsToDetect, by, message }) => ({ id, caught, invariant, runsToDetect, by, message })) })}\n`);
  } else {
    out.stdout('| bug | caught | invariant | by | runs to detect |\n|---|---|---|---|---|\n');
    for (const b of bugs) out.stdout(`| ${b.id} | ${b.caught ? 'yes' : '**NO**'} | ${b.invariant ?? '-'} | ${b.by ?? '-'} | ${b.runsToDetect} |\n`);
    out.stdout(`\n${bugs.filter((b) => b.caught).length}/${bugs.length} bugs caught\n`);
  }
  return bugs.every((b) => b.caught) ? 0 : 1;
}

const isEntry = isEntryModule(import.meta.url);
if (isEntry) process.exitCode = await main(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
