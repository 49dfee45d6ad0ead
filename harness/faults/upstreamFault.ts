// Upstream faults: the stage handler's remote call fails the way real services fail. `transient` is a
// 503, `rate-limited` a 429 with Retry-After, `timeout` an aborted request, `permanent` a 400,
// `invalid-input` the service refusing the audio. Each fails `times` calls of one stage and then the
// real handler runs, so a transient fault clears. Errors are tagged `injected`.
import type { StageHandlers } from '../../src/ports/stageHandlers.ts';
import { InvalidInputError, PermanentError, TransientError } from '../../src/errors.ts';
import type { Stage } from '../../src/jobState.ts';

export type UpstreamFaultKind = 'transient' | 'rate-limited' | 'timeout' | 'permanent' | 'invalid-input';

export interface UpstreamFault {
  readonly stage: Stage;
  /** Only this job's calls (default: any job). */
  readonly jobId?: string;
  readonly kind: UpstreamFaultKind;
  /** How many calls of the stage fail (default 1). */
  readonly times?: number;
  readonly retryAfterMs?: number;
  /** Through the HTTP adapter (simulatedUpstream.ts): the status a transient or permanent fault answers. */
  readonly status?: number;
  /** Through the HTTP adapter: Retry-After as delay-seconds (default) or as an HTTP-date. */
  readonly retryAfterForm?: 'seconds' | 'date';
  /** Through the HTTP adapter: the network error a timeout fault raises (an undici or errno code). */
  readonly network?: string;
}

function makeError(fault: UpstreamFault): Error {
  const tag = { injected: { fault: `upstream-${fault.kind}`, op: fault.stage, path: 'upstream' } };
  switch (fault.kind) {
    case 'transient':
      return Object.assign(new TransientError(`upstream ${fault.stage} service returned HTTP 503`), tag);
    case 'rate-limited':
      return Object.assign(
        new TransientError(`upstream ${fault.stage} service returned HTTP 429`, {
          retryAfterMs: fault.retryAfterMs ?? 30_000,
        }),
        tag,
      );
    case 'timeout':
      return Object.assign(new Error(`upstream ${fault.stage} request timed out`), { name: 'TimeoutError', ...tag });
    case 'permanent':
      return Object.assign(
        new PermanentError(`upstream ${fault.stage} service returned HTTP 400: unsupported request`),
        tag,
      );
    case 'invalid-input':
      return Object.assign(
        new InvalidInputError(`invalid audio: upstream ${fault.stage} service could not decode the input`),
        tag,
      );
  }
}

/** What the error contract (I7) needs to know of each injection. */
export interface UpstreamInjection {
  readonly jobId: string;
  readonly stage: Stage;
  readonly kind: UpstreamFaultKind;
  readonly errorKind: 'transient' | 'permanent';
  /** The Retry-After the fault's answer carried (a 429), which the runtime must honour. */
  readonly retryAfterMs?: number;
}

export function upstreamErrorKind(kind: UpstreamFaultKind): 'transient' | 'permanent' {
  return kind === 'permanent' || kind === 'invalid-input' ? 'permanent' : 'transient';
}

export function withUpstreamFaults(
  handlers: StageHandlers,
  faults: readonly UpstreamFault[],
  onInject?: (injection: UpstreamInjection) => void,
): StageHandlers {
  const remaining = faults.map((fault) => ({ fault, left: fault.times ?? 1 }));
  const guard =
    <A extends { jobId: string }, R>(stage: Stage, call: (input: A) => Promise<R>) =>
    async (input: A): Promise<R> => {
      const active = remaining.find(
        (r) => r.fault.stage === stage && r.left > 0 && (r.fault.jobId === undefined || r.fault.jobId === input.jobId),
      );
      if (active !== undefined) {
        active.left -= 1;
        const error = makeError(active.fault);
        const retryAfterMs = error instanceof TransientError ? error.retryAfterMs : undefined;
        onInject?.({
          jobId: input.jobId,
          stage,
          kind: active.fault.kind,
          errorKind: upstreamErrorKind(active.fault.kind),
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
        throw error;
      }
      return call(input);
    };
  return {
    ...handlers,
    transcribe: guard('transcribe', (i) => handlers.transcribe(i)),
    draft: guard('draft', (i) => handlers.draft(i)),
    export: guard('export', (i) => handlers.export(i)),
  };
}
