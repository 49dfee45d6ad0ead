// I8 honest results, as a user of the jobs CLI sees them. Model (docs/runtime.md, "Output and exit
// codes"; written here from the documented contract, sharing no code with src/): a command exits 0,
// 1 or 2. With --json and --log json, stdout holds exactly one JSON value and one newline on exit 0
// and nothing otherwise; stderr holds event lines (`time` an ISO instant, `pid` the process's own,
// `event` a name) and, on a failure, one last line {"error":{"name","message"}}. Exit 2 is a usage
// error (UsageError, JobNotFailedError); exit 1 is anything else; settings the docs allow are never
// refused. What exit 0 prints answers the
// command: enqueue prints the id it was asked to create, retry the job queued, delete one of its
// three outcomes, run a pass summary whose counts add up, purge its counts or that it was busy.
import type { CliOutcome } from '../world/cliProcess.ts';
import type { Violation } from './violation.ts';
import { countCheck } from './checkCount.ts';

/** One CLI process of a run that exited, with what it was asked to do. */
export interface CliCommandRecord {
  readonly name: string;
  readonly pid: number;
  /** The job id the command named (enqueue, retry, delete). */
  readonly jobId?: string;
  readonly outcome: CliOutcome;
}

const USAGE_ERRORS = new Set(['UsageError', 'JobNotFailedError']);
const DELETE_OUTCOMES = new Set(['deleted', 'already-deleted', 'pending']);
const PASS_OUTCOMES = ['complete', 'unchanged', 'failed', 'retry_scheduled', 'aborted', 'deleted', 'deferred', 'error'];
const PURGE_COUNTS = ['jobs', 'incompleteJobs', 'sessions', 'files', 'bytes', 'tmp', 'locks'];

type Json = Record<string, unknown>;

const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What is wrong with `printed` as the answer of `command`; empty when it answers it. */
function answerProblems(command: string, printed: Json, jobId: string | undefined): string[] {
  if (command === 'enqueue') return sameJson(printed, { jobId }) ? [] : [`enqueue of ${jobId} printed:`];
  if (command === 'retry') return sameJson(printed, { jobId, status: 'queued' }) ? [] : [`retry of ${jobId} printed:`];
  if (command === 'delete')
    return printed.jobId === jobId && DELETE_OUTCOMES.has(String(printed.outcome)) && Object.keys(printed).length === 2
      ? []
      : [`delete of ${jobId} printed:`];
  if (command === 'purge') {
    if (sameJson(printed, { busy: true })) return [];
    return PURGE_COUNTS.every((k) => isCount(printed[k])) ? [] : ['purge printed counts that are not counts:'];
  }
  if (command === 'run') return passProblems(printed);
  return [`unexpected command ${command}:`];
}

function passProblems(summary: Json): string[] {
  const outcomes = (summary.outcomes ?? {}) as Json;
  if (typeof summary.busy !== 'boolean' || !PASS_OUTCOMES.every((k) => isCount(outcomes[k])))
    return ['run printed no pass summary:'];
  const ran = PASS_OUTCOMES.filter((k) => k !== 'deferred').reduce((sum, k) => sum + (outcomes[k] as number), 0);
  if (summary.ran !== ran) return [`run printed ran ${String(summary.ran)}, but its outcomes add up to ${ran}:`];
  if (!isCount(summary.jobsSeen) || summary.jobsSeen < ran)
    return [`run printed ran ${ran} of ${String(summary.jobsSeen)} jobs seen:`];
  if (summary.busy && (ran !== 0 || summary.purge !== null)) return ['run printed busy, yet it ran or purged:'];
  return [];
}

/** The stderr lines of a command: every event line well formed; the error line, last, when it failed. */
function stderrProblems(record: CliCommandRecord): string[] {
  const lines = record.outcome.stderr.split('\n').filter((line) => line !== '');
  const failed = record.outcome.exitCode !== 0;
  const problems: string[] = [];
  for (const [index, line] of lines.entries()) {
    let parsed: Json;
    try {
      parsed = JSON.parse(line) as Json;
    } catch {
      problems.push(`stderr line is not JSON: ${line.slice(0, 120)}`);
      continue;
    }
    if (failed && index === lines.length - 1 && 'error' in parsed) continue;
    const time = typeof parsed.time === 'string' ? Date.parse(parsed.time) : NaN;
    if (typeof parsed.event !== 'string' || Number.isNaN(time) || parsed.pid !== record.pid)
      problems.push(`event line without its event, time or own pid ${record.pid}: ${line.slice(0, 120)}`);
  }
  if (failed) problems.push(...errorLineProblems(record.outcome.exitCode, lines[lines.length - 1]));
  return problems;
}

/**
 * The error line of a failed command. The harness passes only settings a user could pass (validated
 * as the docs state them), so a refused setting (a message that names a flag) is the CLI's bug.
 */
function errorLineProblems(exitCode: number, last: string | undefined): string[] {
  let error: { name?: unknown; message?: unknown } | undefined;
  try {
    error = (JSON.parse(last ?? '') as Json).error as typeof error;
  } catch {
    error = undefined;
  }
  if (typeof error?.name !== 'string' || typeof error.message !== 'string' || error.message === '')
    return [`exit ${exitCode} without an error line naming the error`];
  if ((exitCode === 2) !== USAGE_ERRORS.has(error.name))
    return [`exit ${exitCode} for ${error.name}: ${error.message}`];
  if (/^--[a-z]/.test(error.message)) return [`valid settings refused: ${error.message}`];
  return [];
}

function stdoutProblems(record: CliCommandRecord): string[] {
  const { exitCode, stdout, argv } = record.outcome;
  if (exitCode !== 0) return stdout === '' ? [] : [`exit ${exitCode}, yet stdout has ${stdout.slice(0, 120)}`];
  if (!stdout.endsWith('\n') || stdout.indexOf('\n') !== stdout.length - 1)
    return [`stdout is not one line: ${stdout.slice(0, 120)}`];
  let printed: unknown;
  try {
    printed = JSON.parse(stdout);
  } catch {
    return [`stdout is not JSON: ${stdout.slice(0, 120)}`];
  }
  if (typeof printed !== 'object' || printed === null) return [`stdout is not a JSON object: ${stdout}`];
  return answerProblems(argv[0]!, printed as Json, record.jobId).map((p) => (p.endsWith(':') ? `${p} ${stdout}` : p));
}

export function checkCliOutputs(records: readonly CliCommandRecord[]): Violation[] {
  countCheck();
  const out: Violation[] = [];
  for (const record of records) {
    const { exitCode, argv } = record.outcome;
    const who = `${record.name} (jobs ${argv.slice(0, 3).join(' ')})`;
    const problems =
      exitCode === 0 || exitCode === 1 || exitCode === 2
        ? [...stdoutProblems(record), ...stderrProblems(record)]
        : [`exit code ${exitCode}`];
    for (const problem of problems) out.push({ invariant: 'I8', message: `${who}: ${problem}` });
  }
  return out;
}
