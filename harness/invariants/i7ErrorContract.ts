// I7 error contract. Model: every injected upstream fault is known (the injector reports it to a
// ledger, in order with the log, naming the process that received it). After a transient fault the
// outcome that process records for the job must be a scheduled retry (or a failure only once attempts
// are exhausted); after a permanent fault it must fail, and the job may never start again unless a
// user retried it; a scheduled retry may not start before its nextAttemptAt (unless the wall clock was
// stepped, which moves time itself). A process killed before it recorded an outcome owes none: the
// next runner sees an interrupted attempt, not the fault, and finishing the job is then correct.
import type { LoggedEvent } from '../world/world.ts';
import type { UpstreamInjection } from '../faults/upstreamFault.ts';
import type { Violation } from './violation.ts';
import { countCheck } from './checkCount.ts';

/** An injection, placed in the event stream: it happened after `afterEventIndex` events were logged. */
export interface LedgerEntry extends UpstreamInjection {
  readonly afterEventIndex: number;
  /** The process whose handler threw the fault: only its own outcome answers for it. */
  readonly pid: number;
  /** Wall time of the fault (a Retry-After counts from the answer that carried it). */
  readonly atMs?: number;
  /** Monotonic time of the fault: wall steps after it shift the wall reading of the decision. */
  readonly atMonotonicMs?: number;
}

const OUTCOMES = new Set(['job.failed', 'job.retry_scheduled', 'job.aborted', 'job.complete']);

export function checkErrorContract(
  events: readonly LoggedEvent[],
  ledger: readonly LedgerEntry[],
  options: { clockStepped: boolean },
): Violation[] {
  countCheck();
  const out: Violation[] = [];
  for (const injection of ledger) {
    const later = events.slice(injection.afterEventIndex).filter((e) => e.fields.jobId === injection.jobId);
    const outcome = later.find((e) => e.pid === injection.pid && OUTCOMES.has(e.event));
    // An outcome the runtime could not record (its state write failed, `durable: false`) leaves the
    // job as an interrupted attempt: running it again is the only way to record the outcome.
    if (outcome === undefined || outcome.event === 'job.aborted' || outcome.fields.durable === false) continue;
    const error = outcome.fields.error as { name?: string; kind?: string } | undefined;
    const what = `${injection.errorKind} ${injection.kind} fault in ${injection.stage} of job ${injection.jobId}`;
    if (injection.errorKind === 'transient') {
      const exhausted = outcome.event === 'job.failed' && error?.name === 'AttemptsExhausted';
      if (outcome.event !== 'job.retry_scheduled' && !exhausted)
        out.push({
          invariant: 'I7',
          message: `${what} was not retried: next outcome ${outcome.event}${error?.name ? ` (${error.name})` : ''}`,
        });
    } else {
      if (outcome.event !== 'job.failed')
        out.push({ invariant: 'I7', message: `${what} did not fail the job: next outcome ${outcome.event}` });
      const requeued = later.findIndex((e) => e.event === 'job.requeued');
      // A start is new only if its attempt number is past the failed one's: a process paused between
      // committing an earlier start and logging it reports that start late, after the failure.
      const failedAttempts = typeof outcome.fields.attempts === 'number' ? outcome.fields.attempts : 0;
      const restarted = later.findIndex(
        (e, i) =>
          e.event === 'job.started' &&
          e.seq >= outcome.seq &&
          i > later.indexOf(outcome) &&
          !(typeof e.fields.attempt === 'number' && e.fields.attempt <= failedAttempts),
      );
      if (restarted >= 0 && (requeued < 0 || requeued > restarted))
        out.push({ invariant: 'I7', message: `${what}: the job was started again without a manual retry` });
    }
  }
  if (!options.clockStepped) out.push(...checkBackoffHonoured(events));
  return out;
}

function checkBackoffHonoured(events: readonly LoggedEvent[]): Violation[] {
  const out: Violation[] = [];
  const retryAt = new Map<string, number>();
  for (const e of events) {
    const jobId = typeof e.fields.jobId === 'string' ? e.fields.jobId : undefined;
    if (jobId === undefined) continue;
    if (e.event === 'job.retry_scheduled' && typeof e.fields.nextAttemptAt === 'number')
      retryAt.set(jobId, e.fields.nextAttemptAt);
    if (e.event === 'job.requeued') retryAt.delete(jobId);
    if (e.event === 'job.started') {
      const due = retryAt.get(jobId);
      if (due !== undefined && e.timeMs < due)
        out.push({
          invariant: 'I7',
          message: `job ${jobId} started at ${e.timeMs}, before its scheduled retry at ${due} (backoff not honoured)`,
        });
      retryAt.delete(jobId);
    }
  }
  return out;
}
