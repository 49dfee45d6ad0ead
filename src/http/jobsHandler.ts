// The HTTP face of the runtime, on the Fetch API: `(request: Request) => Promise<Response>`, so it
// mounts as is in a Next.js route handler (app/api/jobs/[...path]/route.ts) or behind node:http.
//   GET|POST /api/jobs/runner        one runner pass (the cron target), JSON summary; HEAD → 405
//   GET      /api/jobs/:id           the job's status
//   POST     /api/jobs/:id/retry     failed → queued (409 if the job is not failed, or is busy)
//   DELETE   /api/jobs/:id           delete (a running job is deleted at its next stage boundary)
//   GET      /api/jobs/:id/export    the final artifact, as a download
// HEAD is answered wherever GET reads (same status and headers, no body); HEAD of the runner is 405. Every route needs
// `Authorization: Bearer <secret>` (the scheme in any case), compared in constant time; with no
// secret configured the handler answers 503 (and `serve` refuses to start). Bad ids → 400, unknown
// → 404; `runner` is reserved and never a job id. A 500 names no absolute path (the runtime's errors
// are shown relative to $JOBS_ROOT, anything else only as "internal error"); the log has the detail. Every request is logged as `http.request` with its
// method, route, status and duration.
import type { Io } from '../ports/io.ts';
import type { RuntimeConfig } from '../config.ts';
import { isValidId } from '../ids.ts';
import { runPass } from '../runnerPass.ts';
import { statusReport } from '../statusReport.ts';
import { retryJob, JobBusyError, JobNotFailedError } from '../retryJob.ts';
import { deleteJob } from '../deleteJob.ts';
import { readJobEntry } from '../listJobs.ts';
import { FILE, Layout, joinPath } from '../layout.ts';
import { JobsError, UsageError, errorMessage } from '../errors.ts';
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
  new Response(`${JSON.stringify(body)}\n`, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });

const notAllowed = (allow: string) => json(405, { error: 'method not allowed' }, { allow });

/** A request routed: which route it matched (for the log) and its answer. */
interface Routed {
  readonly route: string;
  readonly response: Response;
}

export function jobsHandler(options: JobsHandlerOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    const startedMs = options.io.clock.monotonicMs();
    const method = request.method.toUpperCase();
    const { route, response } = await answer(options, request, method);
    options.io.log.emit('http.request', {
      method,
      route,
      status: response.status,
      durationMs: Math.round(options.io.clock.monotonicMs() - startedMs),
      ...(response.status === 401 ? { auth: 'failed' } : {}),
    });
    return method === 'HEAD' ? new Response(null, { status: response.status, headers: response.headers }) : response;
  };
}

async function answer(options: JobsHandlerOptions, request: Request, method: string): Promise<Routed> {
  if (options.secret === undefined || options.secret === '')
    return { route: 'any', response: json(503, { error: 'server has no CRON_SECRET configured' }) };
  const presented = /^bearer +(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
  if (!constantTimeEqual(presented, options.secret))
    return { route: 'any', response: new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer' } }) };
  const parts = new URL(request.url).pathname.replace(/\/+$/, '').split('/').slice(1);
  if (parts[0] !== 'api' || parts[1] !== 'jobs' || parts.length < 3 || parts.length > 4)
    return { route: 'unknown', response: json(404, { error: 'not found' }) };
  // A runner pass is the one GET with an effect (Vercel's cron sends GET); HEAD, what `curl -I`
  // sends, never starts one.
  if (parts.length === 3 && parts[2] === 'runner') {
    const response =
      method === 'GET' || method === 'POST'
        ? json(200, await runPass(options.io, options.config))
        : notAllowed('GET, POST');
    return { route: '/api/jobs/runner', response };
  }
  if (method === 'HEAD') method = 'GET';
  const route = parts[3] === undefined ? '/api/jobs/:id' : `/api/jobs/:id/${parts[3]}`;
  try {
    const jobId = decodedId(parts[2]!);
    if (jobId === undefined)
      return { route, response: json(400, { error: 'invalid job id: ids are 1-64 characters of A-Z a-z 0-9 _ -' }) };
    return { route, response: await jobRoute(options, jobId, parts[3], method) };
  } catch (error) {
    return { route, response: errorResponse(options, route, error) };
  }
}

/** A refused request is 409 or 400 with its reason; anything else is a 500 logged in full. */
function errorResponse(options: JobsHandlerOptions, route: string, error: unknown): Response {
  if (error instanceof JobNotFailedError || error instanceof JobBusyError)
    return json(409, { error: errorMessage(error) });
  if (error instanceof UsageError) return json(400, { error: errorMessage(error) });
  options.io.log.emit('http.error', { route, error: errorMessage(error) });
  // The runtime's own errors name paths under the data root: shown relative to it. Anything else
  // (a bug) is not described to the client at all.
  const shown =
    error instanceof JobsError
      ? errorMessage(error).split(options.config.root).join('$JOBS_ROOT')
      : 'internal error (the server log has the detail)';
  return json(500, { error: shown });
}

/** The id in a path segment, or undefined if it is malformed (`%ZZ`) or not a valid id. */
function decodedId(segment: string): string | undefined {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  return isValidId(id) ? id : undefined;
}

async function jobRoute(
  options: JobsHandlerOptions,
  jobId: string,
  action: string | undefined,
  method: string,
): Promise<Response> {
  const { io, config } = options;
  const layout = new Layout(config.root);
  const exists = (await io.fs.lstat(layout.jobDir(jobId)).catch(() => undefined)) !== undefined;
  if (!exists) return json(404, { error: `unknown job ${jobId}` });
  if (action === undefined) {
    if (method === 'GET') return json(200, (await statusReport(io, config, jobId))[0]);
    if (method === 'DELETE') return json(200, { jobId, outcome: await deleteJob(io, config, jobId) });
    return notAllowed('GET, HEAD, DELETE');
  }
  if (action === 'retry') {
    if (method !== 'POST') return notAllowed('POST');
    await retryJob(io, config, jobId);
    return json(200, { jobId, status: 'queued' });
  }
  if (action === 'export') return method === 'GET' ? exportOf(options, layout, jobId) : notAllowed('GET, HEAD');
  return json(404, { error: 'not found' });
}

async function exportOf({ io }: JobsHandlerOptions, layout: Layout, jobId: string): Promise<Response> {
  const entry = await readJobEntry(io.fs, layout, jobId);
  if (entry.error !== undefined) throw entry.error;
  const state = entry.state;
  if (state?.status !== 'complete')
    return json(409, { error: `job ${jobId} is ${state?.status ?? 'enqueuing'}, not complete` });
  const body = await readNoFollow(io.fs, joinPath(layout.jobDir(jobId), FILE.export));
  // A copy typed over a plain ArrayBuffer: DOM's BodyInit (Next.js type-checks with it) refuses ArrayBufferLike.
  return new Response(new Uint8Array(body), {
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
