// An HTTP upstream for the transcribe stage: POST the job's input to a transcription service (its media
// type by extension, an Idempotency-Key of job and stage) and use the response body as the transcript. Every failure becomes a classified error: network errors and
// timeouts are transient, HTTP statuses are classified by classifyHttpStatus (Retry-After honoured,
// in seconds or as an HTTP-date), an empty answer is permanent "invalid audio". Draft and export keep
// the given handlers. This is an adapter (it performs I/O), bound only by a composition root.
import type { StageHandlers } from '../ports/stageHandlers.ts';
import { acceptingAudio } from '../defaultHandlers.ts';
import { HttpStatusError, InvalidInputError, TransientError, errorMessage } from '../errors.ts';
import { parseRetryAfterMs } from '../retryAfter.ts';
import { nodePlatform, type Platform } from './platform.ts';

export interface HttpUpstreamOptions {
  readonly url: string;
  readonly timeoutMs: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Wall clock for Retry-After dates. */
  readonly nowMs: () => number;
  readonly fetch?: typeof fetch;
  /** The timers of the answer's deadline (default: Node's). */
  readonly timers?: Pick<Platform, 'setTimeout' | 'clearTimeout'>;
  /** Bound on the answer's size: a runaway service cannot exhaust memory. */
  readonly maxResponseBytes?: number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** The media type of an input, by its extension (a service may refuse what it cannot read). */
export function inputMediaType(inputName: string): string {
  if (inputName.endsWith('.txt')) return 'text/plain; charset=utf-8';
  if (inputName.endsWith('.srt')) return 'application/x-subrip';
  if (inputName.endsWith('.vtt')) return 'text/vtt';
  return 'application/octet-stream';
}

export async function postToUpstream(
  options: HttpUpstreamOptions,
  body: Uint8Array,
  headers: Readonly<Record<string, string>>,
): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const timers = options.timers ?? nodePlatform;
  const controller = new AbortController();
  const timer = timers.setTimeout(
    () => controller.abort(new Error(`no answer within ${options.timeoutMs} ms`)),
    options.timeoutMs,
  );
  try {
    let response: Response;
    try {
      // A copy typed over a plain ArrayBuffer: DOM's BodyInit (Next.js type-checks with it) refuses ArrayBufferLike.
      response = await doFetch(options.url, {
        method: 'POST',
        body: new Uint8Array(body),
        headers: { ...headers, ...options.headers },
        signal: controller.signal,
      });
    } catch (error) {
      if (controller.signal.aborted)
        throw new TransientError(`upstream ${options.url} timed out after ${options.timeoutMs} ms`, { cause: error });
      // undici puts the reason in `cause`: an errno (ECONNREFUSED, ENOTFOUND) or a message ("bad port").
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new TransientError(
        `upstream ${options.url} unreachable: ${cause?.code ?? cause?.message ?? errorMessage(error)}`,
        { cause: error },
      );
    }
    let text: string;
    try {
      text = await readBounded(response, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    } catch (error) {
      if (error instanceof InvalidInputError) throw error;
      if (controller.signal.aborted)
        throw new TransientError(`upstream ${options.url} timed out after ${options.timeoutMs} ms while answering`, {
          cause: error,
        });
      throw new TransientError(`upstream ${options.url} dropped the connection: ${errorMessage(error)}`, {
        cause: error,
      });
    }
    if (!response.ok) {
      const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), options.nowMs());
      const detail = text.trim().slice(0, 200);
      throw new HttpStatusError(
        response.status,
        `upstream ${options.url} returned HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
        retryAfterMs,
      );
    }
    if (text.trim() === '')
      throw new InvalidInputError(`invalid audio: upstream ${options.url} returned an empty transcript`);
    return text.endsWith('\n') ? text : `${text}\n`;
  } finally {
    timers.clearTimeout(timer);
  }
}

async function readBounded(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new InvalidInputError(`invalid audio: upstream answer exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Stage handlers whose transcribe calls the upstream (so audio is accepted at enqueue); draft and export stay as given. */
export function httpTranscribeHandlers(base: StageHandlers, options: HttpUpstreamOptions): StageHandlers {
  return {
    ...acceptingAudio(base),
    // One key per job and stage: a service that deduplicates (the Idempotency-Key draft of the IETF)
    // answers a retried request once, whatever the number of attempts.
    transcribe: ({ jobId, inputBytes, inputName }) =>
      postToUpstream(options, inputBytes, {
        'content-type': inputMediaType(inputName),
        'idempotency-key': `${jobId}/transcribe`,
      }),
  };
}
