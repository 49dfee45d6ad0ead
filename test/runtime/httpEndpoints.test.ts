// The HTTP endpoints with real requests on loopback: auth, routes, status codes, export headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { serveFetchHandler } from '../../src/adapters/httpServer.ts';
import { jobsHandler } from '../../src/http/jobsHandler.ts';
import { enqueue } from '../../src/enqueue.ts';
import { SRT, bytes, makeRealWorld, type TestWorld } from '../support/realIo.ts';
import { NODE_TSX, REPO_ROOT } from '../support/spawnCli.ts';

const SECRET = 'a-long-enough-cron-secret';
let world: TestWorld;
let server: Server;
let base: string;
beforeAll(async () => {
  world = await makeRealWorld();
  server = serveFetchHandler(jobsHandler({ io: world.io, config: world.config, secret: SECRET }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await enqueue(world.io, world.config, {
    jobId: 'talk',
    sessionId: 's1',
    inputName: 'talk.srt',
    inputBytes: bytes(SRT),
  });
  await enqueue(world.io, world.config, {
    jobId: 'song',
    sessionId: 's2',
    inputName: 'song.mp3',
    inputBytes: bytes('ID3'),
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await world.cleanup();
});

const call = (method: string, path: string, token: string | null = SECRET) =>
  fetch(`${base}${path}`, { method, headers: token === null ? {} : { authorization: `Bearer ${token}` } });

describe('HTTP endpoints', () => {
  it('refuse without the right bearer token: 401 with no detail', async () => {
    for (const token of [null, 'wrong', '', `${SECRET}x`, SECRET.slice(0, -1)]) {
      const response = await call('POST', '/api/jobs/runner', token);
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('');
    }
  });

  it('POST /api/jobs/runner runs one pass and returns its summary', async () => {
    const response = await call('POST', '/api/jobs/runner');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ busy: false, outcomes: { complete: 1, failed: 1 } });
  });

  it('GET /api/jobs/:id shows the job; bad ids 400; unknown 404; wrong method 405', async () => {
    expect(await (await call('GET', '/api/jobs/talk')).json()).toMatchObject({
      jobId: 'talk',
      status: 'complete',
      stage: 'export',
    });
    expect((await call('GET', '/api/jobs/..%2Fetc')).status).toBe(400);
    expect((await call('GET', `/api/jobs/${'x'.repeat(65)}`)).status).toBe(400);
    expect((await call('GET', '/api/jobs/nope')).status).toBe(404);
    const wrong = await call('PUT', '/api/jobs/talk');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD, DELETE');
    expect((await call('GET', '/api/other')).status).toBe(404);
  });

  it('GET /api/jobs/:id/export is a hardened download; an incomplete job gives 409', async () => {
    const response = await call('GET', '/api/jobs/talk/export');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="s1-talk.html"; filename*=UTF-8''s1-talk.html`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toBe('sandbox');
    expect(await response.text()).toMatch(/^<!doctype html>/);
    expect((await call('GET', '/api/jobs/song/export')).status).toBe(409);
  });

  it('POST /api/jobs/:id/retry: 200 for a failed job, 409 when it is not failed', async () => {
    expect(await (await call('POST', '/api/jobs/song/retry')).json()).toEqual({ jobId: 'song', status: 'queued' });
    const again = await call('POST', '/api/jobs/song/retry');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toMatch(/is queued, not failed/);
  });

  it('DELETE /api/jobs/:id deletes', async () => {
    expect(await (await call('DELETE', '/api/jobs/song')).json()).toEqual({ jobId: 'song', outcome: 'deleted' });
    expect(await (await call('GET', '/api/jobs/song')).json()).toMatchObject({ status: 'deleted' });
  });

  it('without a configured secret the handler answers 503 and `serve` refuses to start', async () => {
    const handler = jobsHandler({ io: world.io, config: world.config, secret: undefined });
    expect((await handler(new Request('http://x/api/jobs/runner', { method: 'POST' }))).status).toBe(503);
    const env = { ...process.env };
    delete env.CRON_SECRET;
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), `${REPO_ROOT}src/cli.ts`, 'serve', '--port', '0'], {
        env,
        cwd: REPO_ROOT,
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/serve needs CRON_SECRET/);
  });
});
