// The package as a user installs it: `npm pack`, then `npm install <tarball>` into a fresh project,
// then the runtime CLI through npx, the handler imported by name, and a foreign workload through the
// harness CLI. What the tarball lacks (a file left out of `files`, a dependency kept in
// devDependencies) fails here, not in a user's project.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/spawnCli.ts';
import { SRT } from '../support/realIo.ts';

let dir: string;
let app: string;
const sh = (command: string, cwd = app) =>
  spawnSync('bash', ['-c', command], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', npm_config_loglevel: 'error' },
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'durable-jobs-pack-'));
  app = join(dir, 'app');
  const packed = sh(`npm pack --silent --pack-destination ${dir}`, REPO_ROOT);
  expect(packed.status, packed.stderr).toBe(0);
  const tarball = (await readdir(dir)).find((f) => f.endsWith('.tgz'))!;
  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  const installed = sh(`npm install --no-audit --no-fund --prefer-offline ${join(dir, tarball)}`);
  expect(installed.status, installed.stderr).toBe(0);
}, 180_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the packed package, installed into a fresh project', () => {
  it('runs the runtime CLI through npx: init, enqueue, run, status', async () => {
    await writeFile(join(app, 'talk.srt'), SRT);
    expect(sh('npx durable-jobs init --root ./data')).toMatchObject({ status: 0 });
    const enqueued = sh('npx durable-jobs enqueue --root ./data --session s1 --input talk.srt');
    expect(enqueued.status, enqueued.stderr).toBe(0);
    expect(sh('npx durable-jobs run --root ./data')).toMatchObject({ status: 0, stdout: 'ran 1 job(s): 1 complete\n' });
    expect(sh('npx durable-jobs status --root ./data --json').stdout).toMatch(/"status":"complete"/);
    expect(sh('npx durable-jobs frobnicate')).toMatchObject({ status: 2 });
  }, 60_000);

  it('imports the handler and the production ports by the package name', async () => {
    await writeFile(
      join(app, 'route.mjs'),
      [
        "import { jobsHandler, systemIo, makeConfig } from 'durable-jobs';",
        'const { io } = systemIo(process.env);',
        "const handler = jobsHandler({ io, config: makeConfig({ root: './data' }), secret: 'a-secret-of-16-chars' });",
        "const response = await handler(new Request('http://localhost/api/jobs/runner', { headers: { authorization: 'Bearer a-secret-of-16-chars' } }));",
        'console.log(response.status);',
      ].join('\n'),
    );
    expect(sh('node --import tsx route.mjs')).toMatchObject({ status: 0, stdout: '200\n' });
  }, 60_000);

  it('runs a foreign workload through the harness CLI and reports its finding (exit 1)', async () => {
    await writeFile(
      join(app, 'workload.mjs'),
      [
        "import fs from 'node:fs';",
        'export default {',
        "  name: 'overwrite in place', files: { '/db/c.json': '1' },",
        "  run: async ({ mount, ack }) => { fs.writeFileSync(`${mount}/db/c.json`, '2'); ack('saved'); },",
        "  check: (state, acked) => { const t = state.read('/db/c.json'); return t === '1' || t === '2' ? (acked.has('saved') && t !== '2' ? ['lost'] : []) : [`torn: ${t}`]; },",
        '};',
      ].join('\n'),
    );
    const result = sh('npx durable-jobs-chaos foreign workload.mjs --runs 3 --json --out ./out');
    expect(result.status, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.violations).toContainEqual(expect.objectContaining({ message: 'torn: ' }));
    // Printed commands run as printed: here the harness is npx durable-jobs-chaos, not an npm script.
    expect(report.replay[0]).toMatch(/^npx durable-jobs-chaos foreign workload\.mjs --seed 1/);
  }, 120_000);
});
