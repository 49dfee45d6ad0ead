// I7, the policy half: a reference model of the retry policy, as a pure function of the logged events,
// the configuration and the injected faults, judged on every attempt rather than only on the end state.
// - A retry is scheduled only while attempts remain (attempts < maxAttempts), and a job fails as
//   exhausted only when they are used up (attempts >= maxAttempts); no attempt starts past maxAttempts.
// - The delay is full-jitter exponential backoff: 0 <= delay <= min(cap, base * 2^(attempts-1)), unless
//   the upstream asked for longer (Retry-After), which is honoured up to the cap and never shortened.
// - nextAttemptAt is counted from the moment of the decision: within the attempt that made it (when
//   the wall clock was not stepped meanwhile).
// - A job put back to queued (by a scheduled retry or a manual retry) resumes at its recorded stage:
//   no earlier stage is produced again while its output is valid (nothing here corrupts outputs). An
//   attempt another process began before the put-back is a fenced-out owner (its lock was taken over
//   while it was paused or slow): what it starts afterwards is not a redo, and I4 judges that it
//   commits nothing. The attempt that put the job back, or any attempt begun after, is held to it.
import type { RuntimeConfig } from '../../src/config.ts';
import type { LogEventName } from '../../src/ports/log.ts';
import { STAGES } from '../../src/jobState.ts';
import type { LoggedEvent, WallStep } from '../world/world.ts';
import type { LedgerEntry } from './i7ErrorContract.ts';
import type { Violation } from './violation.ts';
import { countCheck } from './checkCount.ts';

type Policy = Pick<RuntimeConfig, 'maxAttempts' | 'backoffBaseMs' | 'backoffCapMs'>;

export interface PolicyCheckOptions {
  /** The wall clock was stepped: times of one attempt cannot be compared with each other. */
  readonly clockStepped: boolean;
  /** The disk changed under the runtime (a power loss, a scenario's corruption) before these events. */
  readonly diskChangedAt?: readonly number[];
  /** The world's wall-clock steps: a Retry-After is a duration, judged across them. */
  readonly wallSteps?: readonly WallStep[];
}

/** The running state of the check: when each attempt started, and where each put-back job resumes. */
interface Judge {
  readonly out: Violation[];
  readonly startedAtMs: Map<string, number>;
  /** Where each put-back job resumes, and which event put it back (its index and its process). */
  readonly resumeAt: Map<string, { readonly stage: number; readonly index: number; readonly pid: number }>;
  /** The index of the event that began each process's current attempt at each job, by `pid/jobId`. */
  readonly attemptFrom: Map<string, number>;
  readonly ledger: readonly LedgerEntry[];
  readonly config: Policy;
  readonly options: PolicyCheckOptions;
}

type EventRule = (judge: Judge, e: LoggedEvent, jobId: string, index: number) => void;

const stageIndex = (e: LoggedEvent): number => STAGES.indexOf(e.fields.stage as never);

const RULES: Readonly<Partial<Record<LogEventName, EventRule>>> = {
  'job.started': (judge, e, jobId, index) => {
    judge.attemptFrom.set(`${e.pid}/${jobId}`, index);
    if (!judge.options.clockStepped) judge.startedAtMs.set(`${e.pid}/${jobId}`, e.timeMs);
    const attempt = Number(e.fields.attempt);
    if (attempt > judge.config.maxAttempts)
      judge.out.push({
        invariant: 'I7',
        message: `job ${jobId} started attempt ${attempt}, past maxAttempts ${judge.config.maxAttempts}`,
      });
  },
  'job.retry_scheduled': (judge, e, jobId, index) => {
    if (e.fields.durable === false) return;
    const asked = retryAfterFor(judge.ledger, e, index, judge.options.wallSteps ?? []);
    judge.out.push(...checkScheduled(e, jobId, judge.startedAtMs.get(`${e.pid}/${jobId}`), asked, judge.config));
    judge.resumeAt.set(jobId, { stage: stageIndex(e), index, pid: e.pid });
  },
  'job.requeued': (judge, e, jobId, index) => {
    judge.resumeAt.set(jobId, { stage: stageIndex(e), index, pid: e.pid });
  },
  'job.failed': (judge, e, jobId) => {
    if (e.fields.durable === false) return;
    const error = e.fields.error as { name?: string } | undefined;
    const attempts = Number(e.fields.attempts);
    if (error?.name === 'AttemptsExhausted' && attempts < judge.config.maxAttempts) {
      judge.out.push({
        invariant: 'I7',
        message: `job ${jobId} failed as exhausted after ${attempts} of ${judge.config.maxAttempts} attempts`,
      });
    }
  },
  'stage.start': (judge, e, jobId) => {
    const putBack = judge.resumeAt.get(jobId);
    if (putBack === undefined || putBack.stage < 0) return;
    const at = stageIndex(e);
    const attemptFrom = judge.attemptFrom.get(`${e.pid}/${jobId}`) ?? -1;
    const fencedOut = e.pid !== putBack.pid && attemptFrom < putBack.index;
    if (at < putBack.stage && !fencedOut)
      judge.out.push({
        invariant: 'I7',
        message:
          `job ${jobId} was put back at ${STAGES[putBack.stage]} but produced ${STAGES[at]} again (a ` +
          `completed stage redone)`,
      });
  },
  'job.complete': (judge, _e, jobId) => void judge.resumeAt.delete(jobId),
  'job.deleted': (judge, _e, jobId) => void judge.resumeAt.delete(jobId),
};

export function checkRetryPolicy(
  events: readonly LoggedEvent[],
  ledger: readonly LedgerEntry[],
  config: Policy,
  options: PolicyCheckOptions,
): Violation[] {
  countCheck();
  const judge: Judge = {
    out: [],
    startedAtMs: new Map(),
    resumeAt: new Map(),
    attemptFrom: new Map(),
    ledger,
    config,
    options,
  };
  for (const [index, e] of events.entries()) {
    if (options.diskChangedAt?.includes(index) === true) judge.resumeAt.clear();
    const jobId = typeof e.fields.jobId === 'string' ? e.fields.jobId : undefined;
    if (jobId !== undefined && Object.hasOwn(RULES, e.event)) RULES[e.event]?.(judge, e, jobId, index);
  }
  return judge.out;
}

/**
 * The last fault this process received for this job before the decision, if it asked to wait. Its
 * `atMs` is moved into the wall frame of the decision: a step between the answer and the decision
 * moves the wall reading the runtime counts from, not the real time waited. The decision read its
 * clock somewhere in that window, so the lowest offset reached there is the one that cannot alarm.
 */
function retryAfterFor(
  ledger: readonly LedgerEntry[],
  e: LoggedEvent,
  index: number,
  wallSteps: readonly WallStep[],
): Asked | undefined {
  const faults = ledger.filter((f) => f.pid === e.pid && f.jobId === e.fields.jobId && f.afterEventIndex <= index);
  const last = faults.at(-1);
  if (last?.retryAfterMs === undefined) return undefined;
  if (last.atMs === undefined) return { retryAfterMs: last.retryAfterMs, atMs: undefined };
  return { retryAfterMs: last.retryAfterMs, atMs: last.atMs + lowestShiftMs(wallSteps, last.atMonotonicMs, index) };
}

/**
 * The lowest sum of wall steps reached from monotonic time `fromMs` until event `eventIndex` was
 * logged (at most 0).
 */
function lowestShiftMs(wallSteps: readonly WallStep[], fromMs: number | undefined, eventIndex: number): number {
  if (fromMs === undefined) return 0;
  let shiftMs = 0;
  let lowestMs = 0;
  for (const step of wallSteps) {
    if (step.atMs < fromMs || step.eventsBefore > eventIndex) continue;
    shiftMs += step.deltaMs;
    lowestMs = Math.min(lowestMs, shiftMs);
  }
  return lowestMs;
}

interface Asked {
  readonly retryAfterMs: number;
  readonly atMs: number | undefined;
}

function checkScheduled(
  e: LoggedEvent,
  jobId: string,
  startedAtMs: number | undefined,
  asked: Asked | undefined,
  config: Policy,
): Violation[] {
  const out: Violation[] = [];
  const attempts = Number(e.fields.attempts);
  const delayMs = Number(e.fields.delayMs);
  const nextAttemptAt = Number(e.fields.nextAttemptAt);
  const what = `job ${jobId} retry after attempt ${attempts}`;
  if (attempts >= config.maxAttempts)
    out.push({ invariant: 'I7', message: `${what} was scheduled though maxAttempts is ${config.maxAttempts}` });
  const ceilingMs = Math.min(config.backoffCapMs, config.backoffBaseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  const retryAfterMs = asked?.retryAfterMs;
  const highMs = Math.max(ceilingMs, Math.min(config.backoffCapMs, retryAfterMs ?? 0));
  if (!(delayMs >= 0 && delayMs <= highMs)) {
    out.push({
      invariant: 'I7',
      message:
        `${what}: delay ${delayMs} ms is outside [0, ${highMs}] ms (backoff base ${config.backoffBaseMs}, ` +
        `cap ${config.backoffCapMs}${retryAfterMs === undefined ? '' : `, Retry-After ${retryAfterMs}`})`,
    });
  }
  const decidedAtMs = nextAttemptAt - delayMs;
  if (asked !== undefined) {
    // Retry-After counts from the answer that carried it: the retry may not come sooner than that,
    // nor, when the wait is longer than the cap, sooner than the cap from the decision.
    const fromMs = asked.atMs ?? decidedAtMs;
    const earliestAt = Math.min(decidedAtMs + config.backoffCapMs, fromMs + asked.retryAfterMs);
    if (nextAttemptAt < earliestAt)
      out.push({
        invariant: 'I7',
        message:
          `${what}: next attempt at ${nextAttemptAt}, ${earliestAt - nextAttemptAt} ms sooner than the ` +
          `upstream's Retry-After ${asked.retryAfterMs} ms allows (cap ${config.backoffCapMs})`,
      });
  }
  if (startedAtMs !== undefined && !(decidedAtMs >= startedAtMs && decidedAtMs <= e.timeMs)) {
    out.push({
      invariant: 'I7',
      message:
        `${what}: nextAttemptAt ${nextAttemptAt} is not counted from the decision (between ` +
        `${startedAtMs} and ${e.timeMs})`,
    });
  }
  return out;
}
