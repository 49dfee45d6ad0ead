// The harness CLI, in-process (the same main() `npm run chaos` runs), plus one real child process.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { main } from '../../harness/cli.ts';
import { parseHarnessArgs } from '../../harness/cliArgs.ts';
import { campaignForeign } from '../../harness/foreign/campaignForeign.ts';
import { REPO_ROOT, TSX } from '../support/spawnCli.ts';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('npm run chaos', () => {
  it('list --json lists the 22 catalog scenarios and the 10 extra ones, with titles', async () => {
    const { code, stdout } = await run(['list', '--json']);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { scenarios: { id: string; title: string }[]; extra: unknown[] };
    expect(parsed.scenarios).toHaveLength(22);
    expect(parsed.extra).toHaveLength(10);
    expect(parsed.scenarios[0]).toMatchObject({ id: 'crash-during-stage', title: expect.any(String) });
  });

  it('scenarios --only … --json reports ok, counts, violations, trace hash and per-scenario results', async () => {
    const { code, stdout } = await run([
      'scenarios',
      '--only',
      'orphaned-lock,p1-failed-state',
      '--json',
      '--seed',
      '9',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      ok: true,
      seed: 9,
      violations: [],
      scenarios: [
        { id: 'orphaned-lock', ok: true },
        { id: 'p1-failed-state', ok: true },
      ],
    });
    expect(report.traceHash).toMatch(/^[0-9a-f]{64}$/);
    for (const key of ['runs', 'crashStates', 'invariantChecks']) expect(typeof report[key]).toBe('number');
    const again = JSON.parse(
      (await run(['scenarios', '--only', 'orphaned-lock,p1-failed-state', '--json', '--seed', '9'])).stdout,
    );
    expect(again.traceHash).toBe(report.traceHash);
  });

  it('explore --workload small --model process-kill checks every crash point and writes JUnit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chaos-cli-'));
    dirs.push(dir);
    const junit = join(dir, 'junit.xml');
    const { code, stdout } = await run([
      'explore',
      '--workload',
      'small',
      '--model',
      'process-kill',
      '--json',
      '--junit',
      junit,
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.explore.crashPoints).toBeGreaterThan(100);
    expect(report.crashStates).toBeGreaterThanOrEqual(report.explore.crashPoints);
    expect(await readFile(junit, 'utf8')).toMatch(/<testcase classname="durable-jobs" name="explore"/);
  });

  it('replay <failure file> re-runs a saved regression and prints its trace', async () => {
    const { code, stdout } = await run([
      'replay',
      join(REPO_ROOT, 'scenarios/regressions/fenced-commit-attempt-is-not-a-commit.json'),
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/p100 paused for 1000ms/);
    expect(stdout).toMatch(/no violation/);
  });

  it.each([
    [['frobnicate'], /unknown command/],
    [['chaos', '--runs', 'many'], /--runs: needs a whole number ≥ 1, not "many"/],
    [['chaos', '--seed'], /--seed needs a value/],
    [['explore', '--model', 'meteor'], /--model: takes "process-kill", "power-loss" or "all", not "meteor"/],
    [['replay'], /replay needs --seed S --path P, or a failure file/],
    [['replay', '--seed', '1', '--path', 'x:y'], /fast-check path/],
    [['scenarios', '--only', 'no-such-scenario'], /unknown scenario id/],
    [['list', '--verbose'], /unknown flag --verbose/],
  ])('bad arguments %j: one-line error, exit 2', async (args, message) => {
    const { code, stderr, stdout } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('takes a seed as fast-check prints it (signed) and as the CLI prints it (unsigned): the same seed', () => {
    expect(parseHarnessArgs(['chaos', '--seed', '-70284330']).seed).toBe(4_224_682_966);
    expect(parseHarnessArgs(['chaos', '--seed', '4224682966']).seed).toBe(4_224_682_966);
    expect(() => parseHarnessArgs(['chaos', '--seed', '-2147483649'])).toThrow(
      /--seed: needs a whole number -2147483648\.\.4294967295 or a commit hash, not "-2147483649"/,
    );
  });

  it("prints a foreign failure's seed unsigned, so the printed command runs as printed", async () => {
    const result = await campaignForeign(join(REPO_ROOT, 'test/fixtures/foreign/lockCheckThenCreate.ts'), {
      runs: 3,
      seed: 4_224_682_966,
    });
    expect(result.failure?.seed).toBe(4_224_682_966);
    expect(result.failure?.replay).toMatch(/--seed 4224682966 --path /);
  });

  it('a failure file that is not one is refused with exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chaos-cli-'));
    dirs.push(dir);
    await writeFile(join(dir, 'bad.json'), '{"version": 2}');
    const { code, stderr } = await run(['replay', join(dir, 'bad.json')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/is not a failure file: version: Invalid input: expected 1; kind: /);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('runs as a real process through tsx', async () => {
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(TSX, [join(REPO_ROOT, 'harness/cli.ts'), 'list'], { cwd: REPO_ROOT });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout }));
    });
    expect(result.code).toBe(0);
    const [catalog, extra] = result.stdout.split('\n\n');
    expect(catalog!.split('\n')).toHaveLength(22);
    expect(catalog).toMatch(/^crash-during-stage +\S/);
    const extraLines = extra!.split('\n').filter(Boolean);
    expect(extraLines[0]).toBe('extra (run by `scenarios` and `all` too):');
    expect(extraLines.slice(1)).toHaveLength(10);
    expect(extra).toMatch(/\nupstream-http-answers +\S/);
  });
});

describe('npm run chaos -- foreign <module>', () => {
  it("finds write-file-atomic's lost acknowledged write and reports it like any other failure (exit 1)", async () => {
    const { code, stdout } = await run([
      'foreign',
      join(REPO_ROOT, 'examples/writeFileAtomicWorkload.ts'),
      '--runs',
      '50',
      '--json',
      '--out',
      join(tmpdir(), 'foreign-out'),
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.violations).toContainEqual(
      expect.objectContaining({
        invariant: 'check',
        where: expect.stringMatching(/^explore:pessimistic@\d+$/),
        message: expect.stringMatching(/acknowledged save lost/),
      }),
    );
    expect(report.traceFiles.some((f: string) => f.endsWith('.html'))).toBe(true);
  });

  it('writes a failure file for a campaign failure, and chaos replay <file> runs its plan again', async () => {
    const out = join(tmpdir(), `foreign-replay-${process.pid}`);
    const { code, stdout } = await run([
      'foreign',
      join(REPO_ROOT, 'test/fixtures/foreign/lockCheckThenCreate.ts'),
      '--runs',
      '5',
      '--seed',
      '2',
      '--json',
      '--out',
      out,
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    const file = report.failureFiles.find((f: string) => /foreign-seed2\.json$/.test(f));
    expect(report.violations).toContainEqual(
      expect.objectContaining({ where: expect.stringMatching(/^chaos:seed=2 path=\S+ plan=\{"faults"/) }),
    );
    const replayed = await run(['replay', file]);
    expect(replayed.code).toBe(1);
    expect(replayed.stdout).toMatch(
      /\[check\] the run failed: checkRun: process \d entered at \d+ ms while process \d was inside/,
    );
  });

  it('passes the reference (exit 0) and refuses a module that is not a workload (exit 2)', async () => {
    expect(
      (await run(['foreign', join(REPO_ROOT, 'examples/referenceWorkload.ts'), '--runs', '50', '--json'])).code,
    ).toBe(0);
    const bad = await run(['foreign', join(REPO_ROOT, 'scenarios/steps.ts')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not a foreign workload module/);
  });
});
