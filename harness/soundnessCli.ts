// `npm run soundness`: the gate trusted the other way. The correct runtime must pass the chaos
// campaign for many seeds and long budgets (by default `--runs 200` for seeds 1..100 and `--runs 5000`
// for seeds 1..3); any violation is a false alarm to fix at its root, in the checker or the plan
// generator. Campaigns are split over `--jobs` child processes (default 2: this machine's cores); each
// campaign is exactly `npm run chaos -- chaos --runs R --seed S`, so a failure replays from its line.
//   npm run soundness [-- --seeds 1-100 --runs 200 --long-seeds 1-3 --long-runs 5000 --jobs 2]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCampaign, replayCommand } from './chaos/campaign.ts';
import { simConfig } from './workload/simConfig.ts';
import { isEntryModule } from '../src/adapters/isEntryModule.ts';

interface Campaign {
  readonly seed: number;
  readonly runs: number;
}

interface Outcome extends Campaign {
  readonly ok: boolean;
  readonly detail: string;
  readonly elapsedMs: number;
}

function range(text: string): number[] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (match === null) throw new Error(`not a seed range: ${text} (write 1-100)`);
  const from = Number(match[1]);
  const to = Number(match[2] ?? match[1]);
  if (to < from || to - from > 100_000) throw new Error(`bad seed range: ${text}`);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function parse(argv: readonly string[]): { campaigns: Campaign[]; jobs: number; child: boolean } {
  const value = (flag: string, fallback: string) => {
    const at = argv.indexOf(flag);
    return at < 0 ? fallback : (argv[at + 1] ?? '');
  };
  const whole = (flag: string, fallback: string) => {
    const n = Number(value(flag, fallback));
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes a whole number above 0`);
    return n;
  };
  const runs = whole('--runs', '200');
  const longRuns = whole('--long-runs', '5000');
  const campaigns = [
    ...range(value('--long-seeds', '1-3')).map((seed) => ({ seed, runs: longRuns })),
    ...range(value('--seeds', '1-100')).map((seed) => ({ seed, runs })),
  ];
  return { campaigns, jobs: whole('--jobs', '2'), child: argv.includes('--child') };
}

async function runOne(campaign: Campaign): Promise<Outcome> {
  const started = performance.now();
  const result = await runCampaign({ runs: campaign.runs, seed: campaign.seed, config: simConfig() });
  const failure = result.failure;
  const detail = failure === undefined
    ? `${result.runs} runs, ${result.crashes} crashes`
    : `${failure.result.violations.map((v) => `[${v.invariant}] ${v.message}`).join('; ')} — ${replayCommand(failure.seed, failure.path)}`;
  return { ...campaign, ok: failure === undefined, detail, elapsedMs: performance.now() - started };
}

/** A child runs the campaigns it is given and prints one JSON line per campaign. */
async function child(campaigns: readonly Campaign[]): Promise<void> {
  for (const campaign of campaigns) process.stdout.write(`${JSON.stringify(await runOne(campaign))}\n`);
}

function runChild(campaigns: readonly Campaign[], onOutcome: (outcome: Outcome) => void): Promise<number> {
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', '--plan', JSON.stringify(campaigns)];
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        onOutcome(JSON.parse(buffered.slice(0, nl)) as Outcome);
        buffered = buffered.slice(nl + 1);
      }
    });
    proc.on('close', (code) => resolve(code ?? 1));
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--child')) {
    await child(JSON.parse(argv[argv.indexOf('--plan') + 1] ?? '[]') as Campaign[]);
    return 0;
  }
  let parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`soundness: ${(error as Error).message}\n`);
    return 2;
  }
  const started = performance.now();
  const outcomes: Outcome[] = [];
  const shares = Array.from({ length: parsed.jobs }, (_, i) => parsed.campaigns.filter((_c, k) => k % parsed.jobs === i));
  const codes = await Promise.all(shares.map((share) => runChild(share, (outcome) => {
    outcomes.push(outcome);
    process.stderr.write(`${outcome.ok ? 'ok    ' : 'FAILED'} seed ${outcome.seed} × ${outcome.runs} runs (${(outcome.elapsedMs / 1000).toFixed(1)} s): ${outcome.detail}\n`);
  })));
  const failed = outcomes.filter((o) => !o.ok);
  const missing = parsed.campaigns.length - outcomes.length;
  const runs = outcomes.reduce((sum, o) => sum + o.runs, 0);
  process.stdout.write(`soundness: ${outcomes.length} campaigns, ${runs} chaos runs of the correct runtime, ${failed.length} with a false alarm, in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  for (const o of failed) process.stdout.write(`  seed ${o.seed} × ${o.runs}: ${o.detail}\n`);
  if (missing > 0 || codes.some((code) => code !== 0)) process.stdout.write(`  ${missing} campaign(s) did not report: a child process failed\n`);
  return failed.length === 0 && missing === 0 && codes.every((code) => code === 0) ? 0 : 1;
}

const isEntry = isEntryModule(import.meta.url);
if (isEntry) process.exitCode = await main(process.argv.slice(2));
