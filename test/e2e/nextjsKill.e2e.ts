// Run by `npm run test:nextjs` (and .ci/run), not by `npm run check`. The plan's Definition of Done,
// literally: "we can kill the dev server mid-job and recovery behaves predictably". The example app (examples/nextjs) is built with the packed package, started with
// `next start`, and its /api/jobs/runner route is called the way Vercel cron calls it (GET with the
// bearer secret). Transcription goes to a slow upstream on loopback, so a pass is mid-job when the
// server's whole process group is SIGKILLed at a seeded moment; then it is restarted, again and
// again. In the end every job is complete, its artifacts byte-equal to an uninterrupted CLI run of
// the same jobs, no lock or tmp file is left, and overlapping cron calls never ran a session twice
// (runner.lock: one of them answers busy). `next dev` serves the same route once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/spawnCli.ts';
import { SRT } from '../support/realIo.ts';
import { SeededRandom } from '../../harness/seededRandom.ts';

const SECRET = 'cron-secret-for-the-nextjs-test';
const JOBS = [
  ['j1', 's1'],
  ['j2', 's1'],
  ['j3', 's2'],
  ['j4', 's2'],
] as const;
const UPSTREAM_DELAY_MS = 700;
let dir: string;
let app: string;
let upstream: Server;
let upstreamUrl: string;
/** A shell command, run without blocking this process (it serves the upstream the runtime calls). */
function sh(
  command: string,
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], {
      cwd,
      env: { ...process.env, CI: '1', NEXT_TELEMETRY_DISABLED: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'durable-jobs-next-'));
  app = join(dir, 'app');
  await cp(join(REPO_ROOT, 'examples/nextjs'), app, { recursive: true, filter: (p) => !/node_modules|\.next/.test(p) });
  expect((await sh(`npm pack --silent --pack-destination ${dir}`, REPO_ROOT)).status).toBe(0);
  const tarball = join(
    dir,
    (await readdir(dir)).find((f) => f.endsWith('.tgz'))!,
  );
  const installed = await sh(`npm install --no-audit --no-fund --prefer-offline ${tarball}`, app);
  expect(installed.status, installed.stderr).toBe(0);
  const built = await sh('npx next build', app);
  expect(built.status, built.stdout + built.stderr).toBe(0);
  // A transcription service that takes its time: the transcript is the upload, upper-cased.
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () =>
      setTimeout(() => res.end(Buffer.concat(chunks).toString('utf8').toUpperCase()), UPSTREAM_DELAY_MS),
    );
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}/transcribe`;
}, 300_000);
afterAll(async () => {
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

function env(root: string): Record<string, string> {
  return { JOBS_ROOT: root, CRON_SECRET: SECRET, JOBS_UPSTREAM_URL: upstreamUrl };
}

async function enqueueAll(root: string): Promise<void> {
  await writeFile(join(dir, 'talk.srt'), SRT);
  expect((await sh('npx durable-jobs init', app, env(root))).status).toBe(0);
  for (const [job, session] of JOBS)
    expect(
      (
        await sh(
          `npx durable-jobs enqueue --job ${job} --session ${session} --input ${join(dir, 'talk.srt')}`,
          app,
          env(root),
        )
      ).status,
    ).toBe(0);
}

/** `next <mode>` in its own process group, ready to serve. */
async function startServer(mode: 'start' | 'dev', root: string, port: number): Promise<ChildProcess> {
  const child = spawn('npx', ['next', mode, '-p', String(port)], {
    cwd: app,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, ...env(root), NEXT_TELEMETRY_DISABLED: '1' },
  });
  for (let i = 0; i < 600; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`next ${mode} did not start on port ${port}`);
}

function killGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGKILL');
  });
}

const cron = (port: number) =>
  fetch(`http://127.0.0.1:${port}/api/jobs/runner`, { headers: { authorization: `Bearer ${SECRET}` } }).then(
    async (r) => ({ status: r.status, body: (await r.json()) as { busy: boolean; ran: number } }),
  );

async function filesUnder(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(root, { recursive: true })) found.push(entry);
  return found;
}

describe('the Next.js example under SIGKILL', () => {
  it('next start: killed mid-job at seeded moments, restarted, recovers every job exactly', async () => {
    const root = join(dir, 'data');
    const reference = join(dir, 'reference');
    await enqueueAll(root);
    await enqueueAll(reference);
    expect((await sh('npx durable-jobs run', app, env(reference))).stdout).toBe('ran 4 job(s): 4 complete\n');
    const random = new SeededRandom(20261129);
    const kills: number[] = [];
    for (let round = 0; round < 3; round++) {
      const server = await startServer('start', root, 3210 + round);
      void cron(3210 + round).catch(() => undefined); // dies with the server
      const afterMs = 200 + random.int(UPSTREAM_DELAY_MS * 2);
      await new Promise((resolve) => setTimeout(resolve, afterMs));
      await killGroup(server);
      kills.push(afterMs);
    }
    const server = await startServer('start', root, 3220);
    try {
      const [a, b] = await Promise.all([cron(3220), cron(3220)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect([a.body.busy, b.body.busy].filter(Boolean)).toHaveLength(1); // overlapping cron calls: one pass
      for (
        let i = 0;
        i < 5 && (await sh('npx durable-jobs status --json', app, env(root))).stdout.includes('"queued"');
        i++
      )
        await cron(3220);
    } finally {
      await killGroup(server);
    }
    const status = JSON.parse((await sh('npx durable-jobs status --json', app, env(root))).stdout) as {
      jobs: { jobId: string; status: string; attempts: number }[];
    };
    expect(status.jobs.map((j) => [j.jobId, j.status])).toEqual(JOBS.map(([job]) => [job, 'complete']));
    // The kills landed mid-job: an interrupted attempt counts, so some job needed more than one.
    expect(Math.max(...status.jobs.map((j) => j.attempts)), `kills at ${kills.join(', ')} ms`).toBeGreaterThan(1);
    for (const [job] of JOBS) {
      for (const artifact of ['transcript.txt', 'draft.md', 'export.html']) {
        expect(await readFile(join(root, 'jobs', job, artifact)), `${job}/${artifact}`).toEqual(
          await readFile(join(reference, 'jobs', job, artifact)),
        );
      }
    }
    const left = (await filesUnder(root)).filter((f) => /(^|\/)\.tmp-|\.lock$/.test(f));
    expect(left, `kills at ${kills.join(', ')} ms`).toEqual([]);
  }, 240_000);

  it('next dev serves the same route: one cron call completes a job', async () => {
    const root = join(dir, 'dev-data');
    await mkdir(root);
    await enqueueAll(root);
    const server = await startServer('dev', root, 3230);
    try {
      const answer = await cron(3230);
      expect(answer).toMatchObject({ status: 200, body: { busy: false, ran: 4 } });
    } finally {
      await killGroup(server);
    }
  }, 180_000);
});
