// `npm run soak -- [--kills N] [--seed S] [--runners R] [--json]`: the real SIGKILL campaign.
import { runKillCampaign } from './soak/killCampaign.ts';

const args = process.argv.slice(2);
const opts = { kills: 200, seed: 1, runners: 2, json: false };
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--json') {
    opts.json = true;
    continue;
  }
  const key = arg.replace(/^--/, '') as 'kills' | 'seed' | 'runners';
  const value = Number(args[++i]);
  if (!['kills', 'seed', 'runners'].includes(key) || !Number.isInteger(value) || value < (key === 'seed' ? 0 : 1)) {
    process.stderr.write(`soak: bad argument ${arg} (usage: npm run soak -- [--kills N] [--seed S] [--runners R] [--json])\n`);
    process.exit(2);
  }
  opts[key] = value;
}
const report = await runKillCampaign({ kills: opts.kills, seed: opts.seed, runnersPerRound: opts.runners, onProgress: (line) => process.stderr.write(line) });
if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
else {
  process.stdout.write(`kills landed: ${report.kills} (of ${report.runnerStarts} runner starts), jobs: ${report.jobs}, ${(report.elapsedMs / 1000).toFixed(1)} s\n`);
  for (const [stage, count] of Object.entries(report.killsByStage).sort()) process.stdout.write(`  killed during ${stage}: ${count}\n`);
  process.stdout.write(report.violations.length === 0 ? 'OK: no invariant violation\n' : `FAILED:\n${report.violations.map((v) => `  [${v.invariant}] ${v.message}`).join('\n')}\n`);
}
process.exitCode = report.violations.length === 0 ? 0 : 1;
