// A simulated transcription service behind the runtime's real HTTP adapter (src/adapters/
// httpUpstream.ts): the transcribe stage POSTs to a `fetch` that answers like a real service, so the
// adapter's status handling, Retry-After parsing (seconds or HTTP-date) and network-error mapping and
// classifyError all run for real. Faults are answers, not pre-classified errors: a 5xx, 408 or 425, a
// 429 with Retry-After, a dropped or refused connection or a header timeout, a 4xx, or an empty 200.
// What each should mean is the oracle's own reference model of HTTP (RFC 9110), reported to the
// ledger: 408, 425, 429, 5xx and connection faults are transient; other 4xx and an empty transcript
// are permanent; a Retry-After is a floor on the next attempt.
import type { StageHandlers } from '../../src/ports/stageHandlers.ts';
import { httpTranscribeHandlers, type HttpUpstreamOptions } from '../../src/adapters/httpUpstream.ts';
import { upstreamErrorKind, type UpstreamFault, type UpstreamInjection } from './upstreamFault.ts';

export const SIM_UPSTREAM_URL = 'http://upstream.sim/transcribe';
export const SIM_UPSTREAM_TIMEOUT_MS = 30_000;

/** The answer a fault gives: a response, or a network error as undici reports one. */
function answer(fault: UpstreamFault, nowMs: number): { response?: Response; network?: string; retryAfterMs?: number } {
  switch (fault.kind) {
    case 'transient':
      return { response: new Response('service unavailable', { status: fault.status ?? 503 }) };
    case 'rate-limited': {
      const retryAfterMs = fault.retryAfterMs ?? 30_000;
      // An HTTP-date has whole seconds: the service asks for the first whole second past the delay.
      const asDate = fault.retryAfterForm === 'date';
      const dateMs = Math.ceil((nowMs + retryAfterMs) / 1000) * 1000;
      const header = asDate ? new Date(dateMs).toUTCString() : String(Math.ceil(retryAfterMs / 1000));
      return {
        response: new Response('slow down', { status: 429, headers: { 'retry-after': header } }),
        retryAfterMs: asDate ? dateMs - nowMs : Math.ceil(retryAfterMs / 1000) * 1000,
      };
    }
    case 'timeout':
      return { network: fault.network ?? 'UND_ERR_HEADERS_TIMEOUT' };
    case 'permanent':
      return { response: new Response('unsupported request', { status: fault.status ?? 400 }) };
    case 'invalid-input':
      return { response: new Response('', { status: 200 }) };
  }
}

/** The input's file name a media type stands for (the service reads nothing else of the request's kind). */
const NAME_BY_MEDIA_TYPE: Readonly<Record<string, string>> = {
  'text/plain': 'input.txt',
  'application/x-subrip': 'input.srt',
  'text/vtt': 'input.vtt',
};

/**
 * A simulated transcription service, as a `fetch`: it reads only the request (its body, its media
 * type, its Idempotency-Key `<jobId>/transcribe`), transcribes with `base` (so results equal the
 * fault-free golden run) unless a fault answers, and reports each fault it answers with to `onInject`.
 * A request without a key it can read is answered 400: the adapter's contract includes the key.
 */
export function simulatedService(
  base: StageHandlers,
  faults: readonly UpstreamFault[],
  nowMs: () => number,
  onInject?: (injection: UpstreamInjection) => void,
): typeof fetch {
  const remaining = faults.filter((f) => f.stage === 'transcribe').map((fault) => ({ fault, left: fault.times ?? 1 }));
  return async (_url, init) => {
    const headers = new Headers(init?.headers);
    const jobId = /^(.+)\/transcribe$/.exec(headers.get('idempotency-key') ?? '')?.[1];
    if (jobId === undefined) return new Response('missing Idempotency-Key', { status: 400 });
    const mediaType = (headers.get('content-type') ?? '').split(';')[0]!.trim();
    const active = remaining.find((r) => r.left > 0 && (r.fault.jobId === undefined || r.fault.jobId === jobId));
    if (active === undefined) {
      const inputBytes = new Uint8Array(await new Response(init?.body).arrayBuffer());
      const inputName = NAME_BY_MEDIA_TYPE[mediaType] ?? 'input.bin';
      const text = await base.transcribe({ jobId, sessionId: '', inputName, inputBytes }).catch(() => '');
      return new Response(text, { status: text === '' ? 422 : 200 });
    }
    active.left -= 1;
    const reply = answer(active.fault, nowMs());
    onInject?.({
      jobId,
      stage: 'transcribe',
      kind: active.fault.kind,
      errorKind: upstreamErrorKind(active.fault.kind),
      ...(reply.retryAfterMs === undefined ? {} : { retryAfterMs: reply.retryAfterMs }),
    });
    if (reply.network !== undefined)
      throw Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error(reply.network), { code: reply.network }),
      });
    return reply.response!;
  };
}

/**
 * Stage handlers whose transcribe goes through the real HTTP adapter to the simulated service, on the
 * given timers. Draft and export faults stay thrown errors (no adapter exists for them).
 */
export function simulatedUpstreamHandlers(
  base: StageHandlers,
  faults: readonly UpstreamFault[],
  nowMs: () => number,
  onInject?: (injection: UpstreamInjection) => void,
  timers?: HttpUpstreamOptions['timers'],
): StageHandlers {
  return httpTranscribeHandlers(base, {
    url: SIM_UPSTREAM_URL,
    timeoutMs: SIM_UPSTREAM_TIMEOUT_MS,
    nowMs,
    fetch: simulatedService(base, faults, nowMs, onInject),
    ...(timers === undefined ? {} : { timers }),
  });
}
