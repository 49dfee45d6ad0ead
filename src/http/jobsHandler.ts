// The HTTP face of the runtime, on the Fetch API: `(request: Request) => Promise<Response>`, so it
// mounts as is in a Next.js route handler (app/api/jobs/[...path]/route.ts) or behind node:http.
//   GET|POST /api/jobs/runner        one runner pass (the cron target), JSON summary
//   GET      /api/jobs/:id           the job's status
//   POST     /api/jobs/:id/retry     failed → queued (409 if the job is not failed, or is busy)
//   DELETE   /api/jobs/:id           delete (a running job is deleted at its next stage boundary)
//   GET      /api/jobs/:id/export    the final artifact, as a download
// Every route needs `Authorization: Bearer <secret>`, compared in constant time; with no secret
// configured the handler answers 503 (and `serve` refuses to start). Bad ids → 400, unknown → 404.
import type { Io } from '../ports/io.ts';
import type { RuntimeConfig } from '../config.ts';
import { isValidId } from '../ids.ts';
import { runPass } from '../runnerPass.ts';
import { statusReport } from '../statusReport.ts';
import { retryJob, JobBusyError } from '../retryJob.ts';
import { deleteJob } from '../deleteJob.ts';
import { readJobEntry } from '../listJobs.ts';
import { FILE, Layout, joinPath } from '../layout.ts';
import { UsageError, errorMessage } from '../errors.ts';
import { readNoFollow } from '../readNoFollow.ts';
import { constantTimeEqual } from './constantTimeEqual.ts';
import { attachmentDisposition } from './contentDisposition.ts';

export interface JobsHandlerOptions {
  readonly io: Io;
  readonly config: RuntimeConfig;
  /** The bearer secret (CRON_SECRET). Undefined or empty: every request gets 503. */
  readonly secret: string | undefined;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(`${JSON.stringify(body)}\n`, { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers } });

export function jobsHandler(options: JobsHandlerOptions): (request: Request) => Promise<Response> {
  const { io, config } = options;
  return async (request) => {
    if (options.secret === undefined || options.secret === '') return json(503, { error: 'server has no CRON_SECRET configured' });
    const auth = request.headers.get('authorization') ?? '';
    const presented = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!constantTimeEqual(presented, options.secret)) return new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
    const path = new URL(request.url).pathname.replace(/\/+$/, '');
    const parts = path.split('/').slice(1);
    if (parts[0] !== 'api' || parts[1] !== 'jobs' || parts.length < 3 || parts.length > 4) return json(404, { error: 'not found' });
    const method = request.method.toUpperCase();
    try {
      if (parts.length === 3 && parts[2] === 'runner') {
        if (method !== 'GET' && method !== 'POST') return json(405, { error: 'method not allowed' }, { allow: 'GET, POST' });
        return json(200, await runPass(io, config));
      }
      const jobId = decodeURIComponent(parts[2]!);
      if (!isValidId(jobId)) return json(400, { error: 'invalid job id: ids are 1-64 characters of A-Z a-z 0-9 _ -' });
      const layout = new Layout(config.root);
      const jobDir = layout.jobDir(jobId);
      const exists = (await io.fs.lstat(jobDir).catch(() => undefined)) !== undefined;
      if (!exists) return json(404, { error: `unknown job ${jobId}` });
      const action = parts[3];
      if (action === undefined) {
        if (method === 'GET') return json(200, (await statusReport(io.fs, config.root, jobId))[0]);
        if (method === 'DELETE') return json(200, { jobId, outcome: await deleteJob(io, config, jobId) });
        return json(405, { error: 'method not allowed' }, { allow: 'GET, DELETE' });
      }
      if (action === 'retry') {
        if (method !== 'POST') return json(405, { error: 'method not allowed' }, { allow: 'POST' });
        await retryJob(io, config, jobId);
        return json(200, { jobId, status: 'queued' });
      }
      if (action === 'export') {
        if (method !== 'GET') return json(405, { error: 'method not allowed' }, { allow: 'GET' });
        const entry = await readJobEntry(io.fs, layout, jobId);
        if (entry.error !== undefined) throw entry.error;
        const state = entry.state;
        if (state?.status !== 'complete') return json(409, { error: `job ${jobId} is ${state?.status ?? 'enqueuing'}, not complete` });
        const body = await readNoFollow(io.fs, joinPath(jobDir, FILE.export));
        return new Response(body, {
          status: 200,
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'content-disposition': attachmentDisposition(`${state.sessionId}-${jobId}.html`),
            'x-content-type-options': 'nosniff',
            'cache-control': 'no-store',
            'content-security-policy': 'sandbox',
          },
        });
      }
      return json(404, { error: 'not found' });
    } catch (error) {
      if (error instanceof UsageError) return json(/not failed/.test(error.message) ? 409 : 400, { error: errorMessage(error) });
      if (error instanceof JobBusyError) return json(409, { error: errorMessage(error) });
      return json(500, { error: errorMessage(error) });
    }
  };
}
