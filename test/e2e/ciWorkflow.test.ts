// The CI workflow's harness steps, run as written on a fresh checkout: every `run:` of the explore
// and chaos jobs after `npm ci`, in a directory that has the repository's files but none of its
// outputs (no reports/, no .chaos/), with the commit hash and the shard filled in. Only the chaos
// step's run count is lowered (2000 → 40) to keep the suite fast; every flag is used as written.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/spawnCli.ts';

const OUTPUTS = new Set(['reports', '.chaos', '.git']);
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** The `run:` commands of one job of ci.yml, after its `npm ci`. */
function stepsOf(workflow: string, job: string): string[] {
  const lines = workflow.split('\n');
  const start = lines.findIndex((l) => l === `  ${job}:`);
  const end = lines.findIndex((l, i) => i > start && /^ {2}\S/.test(l));
  const runs = lines
    .slice(start, end === -1 ? undefined : end)
    .map((l) => /^\s+- run: (.*)$/.exec(l)?.[1])
    .filter((r): r is string => r !== undefined);
  return runs.slice(runs.indexOf('npm ci') + 1);
}

async function freshCheckout(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ci-steps-'));
  dirs.push(dir);
  for (const name of await readdir(REPO_ROOT))
    if (!OUTPUTS.has(name)) await symlink(join(REPO_ROOT, name), join(dir, name));
  return dir;
}

describe('the CI workflow', () => {
  const workflow = () => readFile(join(REPO_ROOT, '.github/workflows/ci.yml'), 'utf8');

  it.each(['explore', 'chaos'])("the %s job's steps run as written on a fresh checkout and exit 0", async (job) => {
    const steps = stepsOf(await workflow(), job);
    expect(steps.length).toBeGreaterThanOrEqual(2);
    const dir = await freshCheckout();
    for (const step of steps) {
      const command = step
        .replaceAll('${{ github.sha }}', '3f2c9e1b7a')
        .replaceAll('${{ matrix.shard }}', '1')
        .replace('--runs 2000', '--runs 40');
      const result = spawnSync('bash', ['-c', command], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, CI: '1' },
      });
      expect(result.status, `${command}\n${result.stderr}`).toBe(0);
    }
    const reports = await readdir(join(dir, 'reports'));
    expect(reports.length).toBeGreaterThan(0);
    if (job === 'explore')
      expect(JSON.parse(await readFile(join(dir, 'reports', 'explore.json'), 'utf8'))).toMatchObject({ ok: true });
  });
});
