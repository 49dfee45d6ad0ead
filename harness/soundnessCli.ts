// `npm run soundness`: the gate trusted the other way. The correct runtime must pass the chaos
// campaign for many seeds and long budgets (by default `--runs 200` for seeds 1..100 and `--runs 5000`
// for seeds 1..3); any violation is a false alarm to fix at its root, in the checker or the plan
// generator. Campaigns are split over `--jobs` child processes (default 2: this machine's cores); each
// campaign is exactly `npm run chaos -- chaos --runs R --production-runs R --long-hold-runs R --seed S`
// (R runs in-process, R through the jobs CLI, R of long holds), then
// `npm run chaos -- model --model-runs R --seed S` (R model sessions),
// so a failure replays from its line.
//   npm run soundness [-- --seeds 1-100 --runs 200 --long-seeds 1-3 --long-runs 5000 --jobs 2]
// Each child is this program again, with `--child --plan JSON` (the campaigns it runs). The options
// are declared in SOUNDNESS_PROGRAM; `--help` is generated from it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { runCampaign, replayCommand } from './chaos/campaign.ts';
import { simConfig } from './workload/simConfig.ts';
import { isEntryModule } from '../src/adapters/isEntryModule.ts';
import { flag, option, program, type Values } from '../src/cliSpec.ts';
import { wholeNumber } from '../src/cliValues.ts';
import { modelReplayCommand, runModelCampaign } from './model/modelCampaign.ts';
import { entryArgs, processStreams, type EntryStreams } from './entryArgs.ts';

interface Campaign {
  readonly seed: number;
  readonly runs: number;
}

interface Outcome extends Campaign {
  readonly ok: boolean;
  readonly detail: string;
  readonly elapsedMs: number;
}

const MAX_SEED = 0xffffffff;
const MAX_RANGE = 100_000;

/** `A-B` (or one seed `A`): seeds A..B, each 0..2^32-1, at most 100,001 of them. Kept as text, expanded by seedsOf. */
const seedRange = z.string().refine(
  (t) => {
    const match = /^(\d{1,10})(?:-(\d{1,10}))?$/.exec(t);
    const [from, to] = [Number(match?.[1]), Number(match?.[2] ?? match?.[1])];
    return match !== null && from <= to && to <= MAX_SEED && to - from <= MAX_RANGE;
  },
  {
    error: (issue) =>
      `takes a seed range A-B (A <= B, at most ${MAX_RANGE} apart) or one seed, not ${JSON.stringify(issue.input)}`,
  },
);

function seedsOf(range: string): number[] {
  const [from, to = from] = range.split('-').map(Number) as [number, number?];
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** A child's campaigns, as the parent writes them: a JSON list of { seed, runs }. */
const campaignList = z.array(z.object({ seed: z.number().int().min(0).max(MAX_SEED), runs: z.number().int().min(1) }));
const plan: z.ZodType<Campaign[], string> = z.string().transform((t, ctx) => {
  const parsed = campaignList.safeParse(parseJson(t));
  if (parsed.success) return parsed.data;
  ctx.addIssue({ code: 'custom', message: `takes a JSON list of {"seed":S,"runs":R}, not ${JSON.stringify(t)}` });
  return z.NEVER;
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const SOUNDNESS_OPTIONS = {
  seeds: option('A-B', seedRange, 'the seeds of the campaigns of --runs runs', { default: '1-100' }),
  runs: option('N', wholeNumber({ min: 1 }), 'chaos runs of each --seeds campaign', { default: 200 }),
  'long-seeds': option('A-B', seedRange, 'the seeds of the long campaigns, of --long-runs runs', { default: '1-3' }),
  'long-runs': option('N', wholeNumber({ min: 1 }), 'chaos runs of each --long-seeds campaign', { default: 5000 }),
  jobs: option('N', wholeNumber({ min: 1 }), 'child processes the campaigns are split over', { default: 2 }),
  child: flag('internal: run the campaigns of --plan and print one JSON line each (how soundness runs its children)'),
  plan: option('JSON', plan, 'internal, with --child: the campaigns, a JSON list of {"seed":S,"runs":R}'),
};

export const SOUNDNESS_PROGRAM = program({
  name: 'npm run soundness --',
  summary: 'The correct runtime against many long chaos campaigns: any violation is a false alarm of the harness.',
  options: SOUNDNESS_OPTIONS,
  defaultCommand: 'soundness',
  commands: {
    soundness: {
      summary: 'runs the campaigns',
      options: ['seeds', 'runs', 'long-seeds', 'long-runs', 'jobs', 'child', 'plan'],
      check: (values) =>
        values.child === (values.plan !== undefined)
          ? undefined
          : '--child and --plan go together (the internal mode of a child process)',
    },
  },
  notes: ['Exit 0: no false alarm; 1: a false alarm or a child process failed; 2: bad arguments.'],
});

type SoundnessArgs = Values<typeof SOUNDNESS_OPTIONS>;

/** The long campaigns first (they take longest), then the short ones. */
function campaignsOf(args: SoundnessArgs): Campaign[] {
  return [
    ...seedsOf(args['long-seeds']).map((seed) => ({ seed, runs: args['long-runs'] })),
    ...seedsOf(args.seeds).map((seed) => ({ seed, runs: args.runs })),
  ];
}

/** Each seed's chaos campaigns: the swarm in-process and through the jobs CLI, then the long holds. */
const CAMPAIGN_KINDS = [
  ['in-process', 'swarm'],
  ['production', 'swarm'],
  ['in-process', 'long-hold'],
] as const;

async function runOne(campaign: Campaign): Promise<Outcome> {
  const started = performance.now();
  let runs = 0;
  let crashes = 0;
  for (const [entry, plans] of CAMPAIGN_KINDS) {
    const result = await runCampaign({ runs: campaign.runs, seed: campaign.seed, config: simConfig(), entry, plans });
    runs += result.runs;
    crashes += result.crashes;
    const failure = result.failure;
    if (failure !== undefined) {
      const detail =
        `${failure.result.violations.map((v) => `[${v.invariant}] ${v.message}`).join('; ')} ` +
        `— ${replayCommand(failure.seed, failure.path, entry, plans)}`;
      return { ...campaign, ok: false, detail, elapsedMs: performance.now() - started };
    }
  }
  const model = await runModelCampaign({ runs: campaign.runs, seed: campaign.seed, config: simConfig() });
  if (model.failure !== undefined) {
    const detail =
      `${model.failure.result.violations.map((v) => `[${v.invariant}] ${v.message}`).join('; ')} ` +
      `— ${modelReplayCommand(model.failure.seed, model.failure.path)}`;
    return { ...campaign, ok: false, detail, elapsedMs: performance.now() - started };
  }
  const detail = `${runs} runs (a third through the jobs CLI, a third long holds), ${crashes} crashes; ${model.runs} model sessions (${model.checks} judgements)`;
  return { ...campaign, ok: true, detail, elapsedMs: performance.now() - started };
}

/** A child runs the campaigns it is given and prints one JSON line per campaign. */
async function child(campaigns: readonly Campaign[], streams: EntryStreams): Promise<void> {
  for (const campaign of campaigns) streams.stdout(`${JSON.stringify(await runOne(campaign))}\n`);
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

/** Exit 0 when every campaign reported and none raised an alarm. `--child --plan JSON`: one child's share. */
export async function main(argv: readonly string[], streams: EntryStreams = processStreams): Promise<number> {
  const args = entryArgs(SOUNDNESS_PROGRAM, 'soundness', argv, streams);
  if (typeof args === 'number') return args;
  if (args.child) {
    await child(args.plan ?? [], streams);
    return 0;
  }
  return await runAll(campaignsOf(args), args.jobs, streams);
}

/** The campaigns dealt round-robin to `jobs` children; a line per campaign on stderr, the summary on stdout. */
async function runAll(campaigns: readonly Campaign[], jobs: number, streams: EntryStreams): Promise<number> {
  const started = performance.now();
  const outcomes: Outcome[] = [];
  const shares = Array.from({ length: jobs }, (_, i) => campaigns.filter((_c, k) => k % jobs === i));
  const codes = await Promise.all(
    shares.map((share) =>
      runChild(share, (outcome) => {
        outcomes.push(outcome);
        streams.stderr(
          `${outcome.ok ? 'ok    ' : 'FAILED'} seed ${outcome.seed} × ${outcome.runs} runs ` +
            `(${(outcome.elapsedMs / 1000).toFixed(1)} s): ${outcome.detail}\n`,
        );
      }),
    ),
  );
  const failed = outcomes.filter((o) => !o.ok);
  const missing = campaigns.length - outcomes.length;
  const runs = outcomes.reduce((sum, o) => sum + o.runs, 0);
  streams.stdout(
    `soundness: ${outcomes.length} campaigns of the correct runtime, ${runs} chaos runs in-process, ${runs} ` +
      `through the jobs CLI, ${runs} of long holds and ${runs} model sessions, ` +
      `${failed.length} with a violation (a false alarm or a runtime bug: fix it at its ` +
      `root), in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
  );
  for (const o of failed) streams.stdout(`  seed ${o.seed} × ${o.runs}: ${o.detail}\n`);
  if (missing > 0 || codes.some((code) => code !== 0))
    streams.stdout(`  ${missing} campaign(s) did not report: a child process failed\n`);
  return failed.length === 0 && missing === 0 && codes.every((code) => code === 0) ? 0 : 1;
}

const isEntry = isEntryModule(import.meta.url);
if (isEntry) process.exitCode = await main(process.argv.slice(2), processStreams);
