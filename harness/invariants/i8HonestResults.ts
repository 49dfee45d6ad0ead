// I8 honest results. Model: what an operation reports is part of the contract, not only what it leaves
// on disk. A programming error (TypeError, RangeError, ReferenceError, SyntaxError, AssertionError)
// escaping runtime code is a bug wherever it surfaces: thrown by a command, in a pass's report, or
// recorded on a job as if it were a failure to classify and retry. Any other failure must be explained
// by the run: a command that ended with an error, a pass that reports an error or an unreadable job,
// and a job failed or put back for retry, each needs an injected fault that reached that very process
// (an errno, a full disk, fsync EIO, an upstream fault, a pause or a slow call), or, for a job, its
// input failing in the fault-free run or its attempts used up by crashes. A command's refusal that
// the user asked for (retrying a job that is not failed, a session that is busy) is an answer. An
// operation still waiting when the world has nothing left to run hung: that is never a result. A pass
// that says it stopped at its deadline must have lived that long on the monotonic clock: a wall-clock
// step is not time spent, so a deadline read from the wall would stop a pass early (or never).
import type { LoggedEvent } from '../world/world.ts';
import type { Golden } from '../oracle/golden.ts';
import type { Violation } from './violation.ts';
import { countCheck } from './checkCount.ts';

export const BUG_CLASSES: ReadonlySet<string> = new Set([
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'AssertionError',
]);
const ANSWERS = new Set(['UsageError', 'JobNotFailedError', 'JobBusyError']);

/** One operation of a run, as it ended. */
export interface OperationRecord {
  readonly name: string;
  readonly pid: number;
  /** `pass`, `dueJobs`, `delete`, `retry`, ... */
  readonly task: string;
  /** Exited (returned or threw), killed (by the plan or a power loss), or still alive when the world stopped. */
  readonly ended: 'exited' | 'killed' | 'hung';
  readonly error: unknown;
  readonly result: unknown;
  /** Monotonic time from its start to its exit, when it exited. */
  readonly lifeMs?: number;
}

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Checks what each operation returned or threw. `disturbed` says whether a fault reached a process. */
export function checkOperationResults(
  operations: readonly OperationRecord[],
  disturbed: (pid: number) => boolean,
  passDeadlineMs = Infinity,
): Violation[] {
  countCheck();
  const out: Violation[] = [];
  for (const op of operations) {
    if (op.ended === 'killed') continue;
    const who = `${op.name} (${op.task})`;
    if (op.ended === 'hung') {
      out.push({
        invariant: 'I8',
        message: `${who} never finished: it was still waiting when the world had nothing left to run`,
      });
      continue;
    }
    if (op.error !== undefined) {
      if (BUG_CLASSES.has(nameOf(op.error)))
        out.push({ invariant: 'I8', message: `${who} threw a programming error: ${describe(op.error)}` });
      else if (!disturbed(op.pid) && !ANSWERS.has(nameOf(op.error)))
        out.push({
          invariant: 'I8',
          message: `${who} failed with no injected fault to explain it: ${describe(op.error)}`,
        });
      continue;
    }
    const report = passReport(op.result);
    if (report === undefined) continue;
    if (report.deadlineReached && op.lifeMs !== undefined && op.lifeMs < passDeadlineMs) {
      out.push({
        invariant: 'I8',
        message:
          `${who} stopped at its deadline after ${op.lifeMs} ms of monotonic time, short of ` +
          `passDeadlineMs ${passDeadlineMs}`,
      });
    }
    const complaints = [
      ...(report.errors > 0 ? [`${report.errors} job error(s)`] : []),
      ...report.unreadable.map((u) => `job ${u.jobId} unreadable (${u.error})`),
    ];
    if (complaints.length > 0 && !disturbed(op.pid))
      out.push({
        invariant: 'I8',
        message: `${who} reported ${complaints.join(', ')} with no injected fault to explain it`,
      });
  }
  return out;
}

function passReport(
  result: unknown,
): { errors: number; unreadable: { jobId: string; error: string }[]; deadlineReached: boolean } | undefined {
  if (typeof result !== 'object' || result === null || !('outcomes' in result) || !('unreadable' in result))
    return undefined;
  const summary = result as {
    outcomes: { error?: number };
    unreadable: { jobId: string; error: string }[];
    deadlineReached?: boolean;
  };
  return {
    errors: summary.outcomes.error ?? 0,
    unreadable: summary.unreadable,
    deadlineReached: summary.deadlineReached === true,
  };
}

/** Checks every job failure and scheduled retry in `events` (one world's: pids are per world). */
export function checkJobErrors(
  events: readonly LoggedEvent[],
  golden: Golden,
  disturbed: (pid: number) => boolean,
): Violation[] {
  countCheck();
  const out: Violation[] = [];
  for (const e of events) {
    if (e.event !== 'job.failed' && e.event !== 'job.retry_scheduled') continue;
    const jobId = String(e.fields.jobId);
    const error = (e.fields.error ?? {}) as { name?: string; message?: string };
    const what =
      `job ${jobId} ${e.event === 'job.failed' ? 'failed' : 'was put back for retry'} with ` +
      `${error.name ?? '?'}: ${error.message ?? ''}`;
    if (BUG_CLASSES.has(error.name ?? '')) {
      out.push({ invariant: 'I8', message: `${what} (a programming error recorded as a job failure)` });
      continue;
    }
    const explained =
      disturbed(e.pid) ||
      error.name === 'AttemptsExhausted' ||
      (e.event === 'job.failed' && golden.jobs.get(jobId)?.status === 'failed');
    if (!explained) out.push({ invariant: 'I8', message: `${what}, and no injected fault reached that process` });
  }
  return out;
}

/**
 * Programming errors only, for runs whose faults are scripted (a scenario judges the other failures by
 * its own expectations): none may be thrown by an operation or recorded on a job.
 */
export function checkNoProgrammingErrors(
  events: readonly LoggedEvent[],
  operations: readonly Pick<OperationRecord, 'name' | 'task' | 'error'>[],
): Violation[] {
  countCheck();
  const out: Violation[] = [];
  for (const op of operations) {
    if (BUG_CLASSES.has(nameOf(op.error)))
      out.push({
        invariant: 'I8',
        message: `${op.name} (${op.task}) threw a programming error: ${describe(op.error)}`,
      });
  }
  for (const e of events) {
    const error = (e.fields.error ?? {}) as { name?: string; message?: string };
    if ((e.event === 'job.failed' || e.event === 'job.retry_scheduled') && BUG_CLASSES.has(error.name ?? '')) {
      out.push({
        invariant: 'I8',
        message:
          `job ${String(e.fields.jobId)} ${e.event === 'job.failed' ? 'failed' : 'was put back for retry'} ` +
          `with ${error.name ?? '?'}: ${error.message ?? ''} (a programming error recorded as a job failure)`,
      });
    }
  }
  return out;
}
