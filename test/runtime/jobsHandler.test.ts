// The Fetch-API handler called directly (no server): every route, method and error answer with its
// exact status, headers and body. The loopback tests (httpEndpoints) cover the wire; these pin the
// answers, written against surviving mutants.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobsHandler } from '../../src/http/jobsHandler.ts';
import { enqueue } from '../../src/enqueue.ts';
import { runPass } from '../../src/runnerPass.ts';
import { acquireLock } from '../../src/ownerLock.ts';
import { join } from 'node:path';
import { SRT, bytes, makeRealWorld, type TestWorld } from '../support/realIo.ts';

const SECRET = 'cron-secret-for-tests';
let world: TestWorld;
let handle: (request: Request) => Promise<Response>;
beforeEach(async () => {
  world = await makeRealWorld();
  handle = jobsHandler({ io: world.io, config: world.config, secret: SECRET });
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
afterEach(() => world.cleanup());

const request = (method: string, path: string, auth: string | null = `Bearer ${SECRET}`) =>
  handle(new Request(`http://localhost${path}`, { method, headers: auth === null ? {} : { authorization: auth } }));
const body = async (response: Response) => JSON.parse(await response.text()) as unknown;
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

async function expectJson(response: Response, status: number, expected: unknown, headers: Record<string, string> = {}) {
  expect(response.status).toBe(status);
  for (const [name, value] of Object.entries({ ...JSON_HEADERS, ...headers }))
    expect(response.headers.get(name), name).toBe(value);
  expect(await body(response)).toEqual(expected);
}

describe('jobsHandler', () => {
  it('auth: no secret configured is 503; a missing, wrong or non-Bearer token is 401 with a challenge', async () => {
    const unset = jobsHandler({ io: world.io, config: world.config, secret: '' });
    await expectJson(await unset(new Request('http://localhost/api/jobs/talk')), 503, {
      error: 'server has no CRON_SECRET configured',
    });
    const undef = jobsHandler({ io: world.io, config: world.config, secret: undefined });
    expect((await undef(new Request('http://localhost/api/jobs/talk'))).status).toBe(503);
    for (const auth of [null, 'Bearer wrong', `Basic ${SECRET}`, SECRET, 'Bearer ', `Bearer${SECRET}`]) {
      const response = await request('GET', '/api/jobs/talk', auth);
      expect(response.status, String(auth)).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.text()).toBe('');
    }
    // The scheme is case-insensitive (RFC 9110 §11.1); the token is not.
    for (const auth of [`bearer ${SECRET}`, `BEARER ${SECRET}`])
      expect((await request('GET', '/api/jobs/talk', auth)).status, auth).toBe(200);
    expect((await request('GET', '/api/jobs/talk', `Bearer ${SECRET.toUpperCase()}`)).status).toBe(401);
    expect(
      world.events.filter((e) => e.event === 'http.request' && e.status === 401).every((e) => e.auth === 'failed'),
    ).toBe(true);
  });

  it('logs every request: method, route (not the raw path), status and duration', async () => {
    await request('GET', '/api/jobs/talk');
    await request('GET', '/api/jobs/talk', 'Bearer wrong');
    expect(world.events.filter((e) => e.event === 'http.request')).toEqual([
      {
        event: 'http.request',
        method: 'GET',
        route: '/api/jobs/:id',
        status: 200,
        durationMs: expect.any(Number),
        pid: expect.any(Number),
      },
      {
        event: 'http.request',
        method: 'GET',
        route: 'any',
        status: 401,
        durationMs: expect.any(Number),
        auth: 'failed',
        pid: expect.any(Number),
      },
    ]);
  });

  it('HEAD is answered wherever GET is, with no body; a malformed id escape is 400, not 500', async () => {
    const head = await request('HEAD', '/api/jobs/talk');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await head.text()).toBe('');
    expect((await request('HEAD', '/api/jobs/talk/retry')).status).toBe(405);
    await expectJson(await request('GET', '/api/jobs/%ZZ'), 400, {
      error: 'invalid job id: ids are 1-64 characters of A-Z a-z 0-9 _ -',
    });
    await expectJson(await request('GET', '/api/jobs/%ZZ/export'), 400, {
      error: 'invalid job id: ids are 1-64 characters of A-Z a-z 0-9 _ -',
    });
  });

  it('routes: unknown paths are 404; a trailing slash is the same route', async () => {
    for (const path of [
      '/',
      '/api',
      '/api/jobs',
      '/api/other/talk',
      '/x/jobs/talk',
      '/api/jobs/talk/retry/more',
      '/api/jobs/talk/unknown',
    ]) {
      await expectJson(await request('GET', path), 404, { error: 'not found' });
    }
    await expectJson(await request('GET', '/api/jobs/nope'), 404, { error: 'unknown job nope' });
    expect((await request('GET', '/api/jobs/talk/')).status).toBe(200);
    expect((await request('GET', '/api/jobs/talk//')).status).toBe(200);
    // 'runner' is the runner's route and never a job id (enqueue refuses it), so with an action it is a bad id.
    await expectJson(await request('GET', '/api/jobs/runner/export'), 400, {
      error: 'invalid job id "runner": reserved for the HTTP route /api/jobs/runner',
    });
  });

  it('runner: GET and POST run a pass; HEAD (curl -I) and other methods are 405 with Allow', async () => {
    const head = await request('HEAD', '/api/jobs/runner');
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('GET, POST');
    expect((await request('GET', '/api/jobs/talk')).status).toBe(200);
    expect(await body(await request('GET', '/api/jobs/talk'))).toMatchObject({ status: 'queued', attempts: 0 });
    const response = await request('POST', '/api/jobs/runner');
    expect(response.status).toBe(200);
    expect(await body(response)).toMatchObject({ busy: false, ran: 2, outcomes: { complete: 1, failed: 1 } });
    expect((await request('GET', '/api/jobs/runner')).status).toBe(200);
    await expectJson(
      await request('DELETE', '/api/jobs/runner'),
      405,
      { error: 'method not allowed' },
      { allow: 'GET, POST' },
    );
  });

  it('a job: GET shows it, DELETE deletes it, bad ids are 400, other methods 405', async () => {
    await expectJson(await request('GET', '/api/jobs/talk'), 200, {
      jobId: 'talk',
      sessionId: 's1',
      status: 'queued',
      stage: 'init',
      attempts: 0,
      nextAttemptAt: null,
      error: null,
    });
    await expectJson(await request('GET', '/api/jobs/bad%20id'), 400, {
      error: 'invalid job id: ids are 1-64 characters of A-Z a-z 0-9 _ -',
    });
    await expectJson(
      await request('PUT', '/api/jobs/talk'),
      405,
      { error: 'method not allowed' },
      { allow: 'GET, HEAD, DELETE' },
    );
    await expectJson(await request('DELETE', '/api/jobs/talk'), 200, { jobId: 'talk', outcome: 'deleted' });
    await expectJson(await request('DELETE', '/api/jobs/talk'), 200, { jobId: 'talk', outcome: 'already-deleted' });
  });

  it('retry: POST only; 409 when not failed or the session is busy; 200 requeues a failed job', async () => {
    await runPass(world.io, world.config);
    await expectJson(
      await request('GET', '/api/jobs/song/retry'),
      405,
      { error: 'method not allowed' },
      { allow: 'POST' },
    );
    await expectJson(await request('POST', '/api/jobs/talk/retry'), 409, {
      error: 'job talk is complete, not failed; only a failed job can be retried',
    });
    const holder = await acquireLock(world.withPid(5), {
      name: 'session',
      path: join(world.config.root, 'sessions', 's2', 'session.lock'),
      staleAfterMs: 60_000,
      heartbeatEveryMs: 10_000,
    });
    await expectJson(await request('POST', '/api/jobs/song/retry'), 409, {
      error: 'job song: session s2 is locked by pid 5; try again',
    });
    if (holder.acquired) await holder.lock.release();
    await expectJson(await request('POST', '/api/jobs/song/retry'), 200, { jobId: 'song', status: 'queued' });
  });

  it('export: GET only; 409 until complete; then a hardened download of the export', async () => {
    await expectJson(await request('GET', '/api/jobs/talk/export'), 409, { error: 'job talk is queued, not complete' });
    // A job directory whose state was never written (an enqueue in progress, or one that died): enqueuing, as in status.
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(world.config.root, 'jobs', 'half'));
    await expectJson(await request('GET', '/api/jobs/half/export'), 409, {
      error: 'job half is enqueuing, not complete',
    });
    await runPass(world.io, world.config);
    await expectJson(
      await request('POST', '/api/jobs/talk/export'),
      405,
      { error: 'method not allowed' },
      { allow: 'GET, HEAD' },
    );
    const response = await request('GET', '/api/jobs/talk/export');
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-disposition': 'attachment; filename="s1-talk.html"; filename*=UTF-8\'\'s1-talk.html',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'content-security-policy': 'sandbox',
    });
    expect(await response.text()).toMatch(/^<!doctype html>\n<html lang="en">/);
  });

  it('errors: an unreadable state is a 500 naming the file relative to the root, never the absolute path', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(world.config.root, 'jobs', 'talk', 'state.json'), '{');
    for (const [method, path] of [
      ['GET', '/api/jobs/talk/export'],
      ['POST', '/api/jobs/talk/retry'],
    ] as const) {
      const response = await request(method, path);
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(JSON.parse(text)).toEqual({
        error: expect.stringMatching(/^\$JOBS_ROOT\/jobs\/talk\/state\.json is corrupt: not valid JSON/),
      });
      expect(text).not.toContain(world.config.root);
    }
    const logged = world.events.filter((e) => e.event === 'http.error');
    expect(logged).toHaveLength(2);
    expect(String(logged[0]!.error)).toMatch(/state\.json is corrupt: not valid JSON/);
  });
});
