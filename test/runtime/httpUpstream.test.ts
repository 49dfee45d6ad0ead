// The HTTP upstream against a real node:http server on loopback: every way a service answers or fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postToUpstream } from '../../src/adapters/httpUpstream.ts';
import { classifyError } from '../../src/classifyError.ts';

let server: Server;
let base: string;
/** The client's clock for Retry-After dates (a whole second: HTTP-dates carry no milliseconds). */
const NOW_MS = Date.UTC(2026, 10, 29, 12, 0, 0);
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      switch (req.url) {
        case '/ok':
          res.writeHead(200, { 'content-type': 'text/plain' }).end(`heard: ${body}`);
          break;
        case '/echo-headers':
          res.writeHead(200).end(`${req.headers['content-type']}|${req.headers['idempotency-key']}`);
          break;
        case '/empty':
          res.writeHead(200).end('');
          break;
        case '/bad':
          res.writeHead(400).end('unsupported codec');
          break;
        case '/auth':
          res.writeHead(401).end();
          break;
        case '/limited':
          res.writeHead(429, { 'retry-after': '7' }).end('slow down');
          break;
        case '/limited-date':
          res.writeHead(429, { 'retry-after': new Date(NOW_MS + 90_000).toUTCString() }).end();
          break;
        case '/down':
          res.writeHead(503).end('maintenance');
          break;
        case '/slow':
          setTimeout(() => {
            if (!res.destroyed) res.writeHead(200).end('late');
          }, 2_000);
          break;
        case '/drop':
          req.socket.destroy();
          break;
        case '/drop-mid-body':
          res.writeHead(200, { 'content-length': '100' });
          res.write('partial');
          setTimeout(() => req.socket.destroy(), 20);
          break;
        case '/huge':
          res.writeHead(200).end('x'.repeat(2_000));
          break;
        default:
          res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (path: string, options: { timeoutMs?: number; maxResponseBytes?: number } = {}) =>
  postToUpstream(
    {
      url: `${base}${path}`,
      timeoutMs: options.timeoutMs ?? 1_000,
      nowMs: () => NOW_MS,
      ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
    },
    new TextEncoder().encode('hello'),
    { 'content-type': 'text/plain' },
  );

async function failure(path: string, options?: { timeoutMs?: number; maxResponseBytes?: number }) {
  try {
    await post(path, options);
  } catch (error) {
    return classifyError(error);
  }
  throw new Error(`${path} did not fail`);
}

describe('HTTP upstream on loopback', () => {
  it('200: the body is the transcript', async () => {
    expect(await post('/ok')).toBe('heard: hello\n');
  });

  it('429 with Retry-After in seconds and as an HTTP-date: transient, delay honoured', async () => {
    expect(await failure('/limited')).toMatchObject({
      kind: 'transient',
      retryAfterMs: 7_000,
      message: expect.stringMatching(/HTTP 429: slow down/),
    });
    const dated = await failure('/limited-date');
    expect(dated.kind).toBe('transient');
    expect(dated.retryAfterMs).toBe(90_000);
  });

  it('5xx: transient; 400 and 401: permanent, with the status and body in the message', async () => {
    expect(await failure('/down')).toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(/HTTP 503: maintenance/),
    });
    expect(await failure('/bad')).toMatchObject({
      kind: 'permanent',
      message: expect.stringMatching(/HTTP 400: unsupported codec/),
    });
    expect(await failure('/auth')).toMatchObject({ kind: 'permanent', message: expect.stringMatching(/HTTP 401$/) });
  });

  it('a slow answer past the timeout is aborted and transient', async () => {
    expect(await failure('/slow', { timeoutMs: 200 })).toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(/timed out after 200 ms/),
    });
  });

  it('a dropped connection, before or during the body, is transient', async () => {
    expect(await failure('/drop')).toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(/unreachable|dropped/),
    });
    expect(await failure('/drop-mid-body')).toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(/dropped the connection/),
    });
  });

  it('an empty transcript or an oversized answer is permanent invalid audio', async () => {
    expect(await failure('/empty')).toMatchObject({ kind: 'permanent', name: 'InvalidInputError' });
    expect(await failure('/huge', { maxResponseBytes: 1_000 })).toMatchObject({
      kind: 'permanent',
      message: expect.stringMatching(/exceeds 1000 bytes/),
    });
  });

  it('nothing listening: connection refused is transient', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(
      postToUpstream({ url: `http://127.0.0.1:${port}/x`, timeoutMs: 1_000, nowMs: Date.now }, new Uint8Array(1), {
        'content-type': 'text/plain',
      }),
    ).rejects.toMatchObject({ name: 'TransientError', message: expect.stringMatching(/ECONNREFUSED/) });
  });
});

describe('the transcribe request', () => {
  it('names the media type by extension and carries one Idempotency-Key per job and stage', async () => {
    const { httpTranscribeHandlers } = await import('../../src/adapters/httpUpstream.ts');
    const { defaultHandlers } = await import('../../src/defaultHandlers.ts');
    const handlers = httpTranscribeHandlers(defaultHandlers, {
      url: `${base}/echo-headers`,
      timeoutMs: 1_000,
      nowMs: () => NOW_MS,
    });
    const input = { jobId: 'j7', sessionId: 's1', inputBytes: new Uint8Array([49]) };
    expect(await handlers.transcribe({ ...input, inputName: 'input.srt' })).toBe(
      'application/x-subrip|j7/transcribe\n',
    );
    expect(await handlers.transcribe({ ...input, inputName: 'input.vtt' })).toBe('text/vtt|j7/transcribe\n');
    expect(await handlers.transcribe({ ...input, inputName: 'input.txt' })).toBe(
      'text/plain; charset=utf-8|j7/transcribe\n',
    );
  });
});

describe('a runner pass with the HTTP upstream', () => {
  it('a 503 schedules a retry with backoff; once the service answers, the next pass completes the job', async () => {
    const { makeRealWorld, SRT, bytes } = await import('../support/realIo.ts');
    const { httpTranscribeHandlers } = await import('../../src/adapters/httpUpstream.ts');
    const { enqueue } = await import('../../src/enqueue.ts');
    const { runPass } = await import('../../src/runnerPass.ts');
    const { readJobState } = await import('../../src/jobState.ts');
    const world = await makeRealWorld();
    try {
      let path = '/down';
      const handlers = httpTranscribeHandlers(world.io.handlers, {
        url: 'unused',
        timeoutMs: 1_000,
        nowMs: () => world.clock.nowMs(),
        fetch: (_url, init) => fetch(`${base}${path}`, init),
      });
      const io = { ...world.io, handlers };
      const id = await enqueue(io, world.config, { sessionId: 's1', inputName: 'talk.srt', inputBytes: bytes(SRT) });
      await runPass(io, world.config);
      const jobDir = `${world.config.root}/jobs/${id}`;
      expect(await readJobState(io.fs, jobDir)).toMatchObject({
        status: 'queued',
        attempts: 1,
        error: { kind: 'transient', name: 'HttpStatusError' },
      });
      path = '/ok';
      await runPass(io, world.config);
      expect((await readJobState(io.fs, jobDir))?.status).toBe('queued');
      world.clock.advance(world.config.backoffCapMs + 1);
      await runPass(io, world.config);
      expect(await readJobState(io.fs, jobDir)).toMatchObject({ status: 'complete', attempts: 2, error: null });
    } finally {
      await world.cleanup();
    }
  });
});
