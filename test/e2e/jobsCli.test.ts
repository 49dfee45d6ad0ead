// The runtime CLI as users run it: a real tsx child process on a real data root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, TSX, runCli } from '../support/spawnCli.ts';
import { SRT } from '../support/realIo.ts';

let dir: string;
let root: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'durable-jobs-cli-'));
  root = join(dir, 'data');
  await writeFile(join(dir, 'talk.srt'), SRT);
  await writeFile(join(dir, 'song.mp3'), 'ID3');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('jobs CLI', () => {
  it('runs when cron starts it through a symlinked release path, and an unknown command exits 2', async () => {
    const link = join(dir, 'app');
    await symlink(REPO_ROOT, link);
    const viaLink = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(TSX, [join(link, 'src/cli.ts'), ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const unknown = await viaLink(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const linkRoot = join(dir, 'link-data');
    expect(
      (await viaLink(['enqueue', '--root', linkRoot, '--session', 's1', '--input', join(dir, 'talk.srt')])).code,
    ).toBe(0);
    const run = await viaLink(['run', '--root', linkRoot, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ran: 1, outcomes: { complete: 1 } });
  });

  it('enqueue → run → status works end to end, with JSON-lines events on stderr', async () => {
    const enqueued = await runCli(['enqueue', '--root', root, '--session', 'talks', '--input', join(dir, 'talk.srt')]);
    expect(enqueued).toMatchObject({ code: 0, stderr: '' });
    const jobId = enqueued.stdout.trim();
    expect(jobId).toMatch(/^job-[0-9a-f]{16}$/);

    const run = await runCli(['run', '--json', '--log', 'json'], { JOBS_ROOT: root });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ busy: false, ran: 1, outcomes: { complete: 1 } });
    const events = run.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const e of events)
      expect(e).toMatchObject({
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        pid: expect.any(Number),
        event: expect.any(String),
      });
    const names = events.map((e) => e.event);
    expect(names).toEqual(
      expect.arrayContaining(['lock.acquired', 'lock.released', 'stage.start', 'stage.done', 'job.complete']),
    );
    expect(
      events
        .filter((e) => e.event === 'lock.released')
        .map((e) => e.lock)
        .sort(),
    ).toEqual(['runner', 'session']);
    expect(events.find((e) => e.event === 'stage.done' && e.stage === 'draft')).toMatchObject({
      jobId,
      sessionId: 'talks',
    });

    const status = await runCli(['status', '--root', root, '--job', jobId, '--json']);
    expect(JSON.parse(status.stdout)).toEqual({
      jobs: [
        expect.objectContaining({
          jobId,
          sessionId: 'talks',
          status: 'complete',
          stage: 'export',
          attempts: 1,
          error: null,
        }),
      ],
    });
  });

  it('a failed job is job state, not a runner error (exit 0); retry and delete act on it', async () => {
    // Audio goes to a transcription service; this one (a real server on loopback) cannot read it.
    const service = createServer((_request, response) => void response.writeHead(400).end('unsupported media'));
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    const upstream = { JOBS_UPSTREAM_URL: `http://127.0.0.1:${(service.address() as AddressInfo).port}/` };
    const refused = await runCli(['enqueue', '--root', root, '--session', 'music', '--input', join(dir, 'song.mp3')]);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringMatching(/unsupported input type "\.mp3"/) });
    const jobId = (
      await runCli(
        ['enqueue', '--root', root, '--session', 'music', '--input', join(dir, 'song.mp3'), '--job', 'bad-input'],
        upstream,
      )
    ).stdout.trim();
    expect(jobId).toBe('bad-input');
    expect((await runCli(['run', '--root', root], upstream)).code).toBe(0);
    service.close();
    const status = JSON.parse((await runCli(['status', '--root', root, '--job', jobId, '--json'])).stdout);
    expect(status.jobs[0]).toMatchObject({ status: 'failed', error: { name: 'HttpStatusError', kind: 'permanent' } });
    expect(await runCli(['retry', '--root', root, '--job', jobId])).toMatchObject({ code: 0 });
    const again = await runCli(['retry', '--root', root, '--job', jobId]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/is queued, not failed/);
    expect(await runCli(['delete', '--root', root, '--job', jobId, '--json'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('"outcome":"deleted"'),
    });
  });

  it('relative --input and --root resolve where the user typed them (npm --prefix passes INIT_CWD); a bad one names the resolved path', async () => {
    const root2 = join(dir, 'relative-data');
    expect(await runCli(['init', '--root', 'relative-data'], { INIT_CWD: dir })).toMatchObject({ code: 0 });
    expect(
      await runCli(['enqueue', '--root', 'relative-data', '--session', 's', '--input', 'talk.srt'], { INIT_CWD: dir }),
    ).toMatchObject({ code: 0 });
    expect(await runCli(['status', '--root', root2, '--json'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('"sessionId":"s"'),
    });
    const missing = await runCli(['enqueue', '--root', root2, '--session', 's', '--input', 'nope.srt'], {
      INIT_CWD: dir,
    });
    expect(missing).toMatchObject({
      code: 2,
      stderr: `jobs: cannot read --input nope.srt (resolved to ${join(dir, 'nope.srt')}): ENOENT\n`,
    });
  });

  it('a missing or mistyped data root is refused loudly; init creates one; enqueue creates only the last path component', async () => {
    const typo = join(dir, 'dta');
    for (const command of ['run', 'status', 'purge']) {
      const result = await runCli([command, '--root', typo]);
      expect(result.code, command).toBe(2);
      expect(result.stderr).toMatch(/data root .*dta does not exist \(create it with: jobs init --root /);
    }
    await expect(stat(typo)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await runCli(['status', '--root', dir])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/is not a data root: it has no jobs\/ directory/),
    });
    const deep = join(dir, 'no', 'such', 'data');
    expect(await runCli(['enqueue', '--root', deep, '--session', 's', '--input', join(dir, 'talk.srt')])).toMatchObject(
      { code: 2, stderr: expect.stringMatching(/cannot create data root .* does not exist/) },
    );
    await expect(stat(join(dir, 'no'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await runCli(['init', '--root', deep])).toMatchObject({ code: 0, stdout: `data root ${deep} is ready\n` });
    expect(await runCli(['status', '--root', deep])).toMatchObject({ code: 0, stdout: 'no jobs\n' });
    expect(
      await runCli(['enqueue', '--root', deep, '--session', 's', '--job', 'runner', '--input', join(dir, 'talk.srt')]),
    ).toMatchObject({ code: 2, stderr: expect.stringMatching(/invalid job id "runner": reserved/) });
  });

  it.each([
    [{ JOBS_UPSTREAM_TIMEOUT_MS: 'abc' }, /^jobs: JOBS_UPSTREAM_TIMEOUT_MS: must be a whole number of milliseconds/],
    [{ JOBS_UPSTREAM_URL: 'not-a-url' }, /^jobs: JOBS_UPSTREAM_URL: must be an http:\/\/ or https:\/\/ URL/],
    [{ JOBS_ROOT: '' }, /^jobs: JOBS_ROOT: must not be empty/],
  ])(
    "a bad environment %j is refused at start-up with the variable's name, exit 2, nothing created",
    async (env, message) => {
      const fresh = join(dir, `env-${Object.keys(env)[0]}`);
      const result = await runCli(['run', '--root', fresh], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      await expect(stat(fresh)).rejects.toMatchObject({ code: 'ENOENT' });
    },
  );

  it.each([
    [['frobnicate'], /unknown command/],
    [[], /missing command/],
    [['status', '--job'], /--job needs a value/],
    [['status', '--verbose'], /unknown flag --verbose/],
    [['status', '--job', '../../etc'], /invalid job id/],
    [['enqueue', '--session', 'a/b', '--input', 'x.txt'], /invalid session id/],
    [['enqueue', '--session', 'ok'], /enqueue needs --input/],
    [['status', '--job', 'no-such-job'], /unknown job no-such-job/],
    [['run', '--deadline-ms', 'soon'], /whole number/],
    [['run', '--log', 'xml'], /--log: takes "json", not "xml"/],
    [['run', '--concurrency', '0'], /^jobs: --concurrency: Too small: expected number to be >=1 \(usage/],
    [['run', '--concurrency', '65'], /^jobs: --concurrency: Too big: expected number to be <=64 \(usage/],
    [['run', '--deadline-ms', '0'], /^jobs: --deadline-ms: Too small: expected number to be >0 \(usage/],
    [['run', '--stale-after-ms', '1'], /^jobs: --stale-after-ms: must be at least twice the heartbeat interval/],
    [['run', '--max-attempts', '0'], /^jobs: --max-attempts: Too small: expected number to be >=1 \(usage/],
  ])('bad arguments %j: one-line error, exit 2', async (args, message) => {
    const result = await runCli(
      [...args, '--root', root].filter((a, i, all) => !(a === '--root' && all.indexOf('--root') !== i)),
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
