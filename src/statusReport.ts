// What `status` shows: per job id, session, status, stage, attempts, next attempt, error. A
// tombstoned job whose deletion a runner has not finished yet shows as deleting; an unreadable job
// shows its error. A job recorded as running says whether a runner still holds its session: when
// none does (the runner was killed), the next pass resumes it, and the table says so.
import type { Io } from './ports/io.ts';
import type { RuntimeConfig } from './config.ts';
import { Layout } from './layout.ts';
import { listJobs, readJobEntry, type JobEntry } from './listJobs.ts';
import { hasTombstone } from './tombstone.ts';
import { UsageError } from './errors.ts';
import { parseJsonBytes } from './jsonFile.ts';
import { ownerFreshness, ownerRecordSchema } from './ownerLock.ts';

type StatusIo = Pick<Io, 'fs' | 'clock' | 'processes' | 'policy'>;

export interface JobStatusRow {
  jobId: string;
  sessionId: string | null;
  status: string;
  stage: string | null;
  attempts: number | null;
  nextAttemptAt: number | null;
  error: { name: string; message: string; kind?: string } | null;
  /** For a running job: whether a live runner holds its session (`gone`: the next pass resumes it). */
  runner?: 'alive' | 'gone';
}

async function toRow(io: StatusIo, config: RuntimeConfig, layout: Layout, entry: JobEntry): Promise<JobStatusRow> {
  if (entry.state === undefined) {
    const error = entry.error === undefined ? null : { name: entry.error.name, message: entry.error.message };
    return {
      jobId: entry.jobId,
      sessionId: null,
      status: error === null ? 'enqueuing' : 'unreadable',
      stage: null,
      attempts: null,
      nextAttemptAt: null,
      error,
    };
  }
  const s = entry.state;
  const deleting = s.status !== 'deleted' && (await hasTombstone({ fs: io.fs }, layout.jobDir(s.jobId)));
  return {
    jobId: s.jobId,
    sessionId: s.sessionId,
    status: deleting ? 'deleting' : s.status,
    stage: s.stage,
    attempts: s.attempts,
    nextAttemptAt: s.nextAttemptAt,
    error: s.error === null ? null : { name: s.error.name, message: s.error.message, kind: s.error.kind },
    ...(s.status === 'running' && !deleting ? { runner: await runnerOf(io, config, layout, s.sessionId) } : {}),
  };
}

/** Whether a live owner holds the session lock (read only: status never retires anything). */
async function runnerOf(
  io: StatusIo,
  config: RuntimeConfig,
  layout: Layout,
  sessionId: string,
): Promise<'alive' | 'gone'> {
  const path = layout.sessionLock(sessionId);
  try {
    const holder = parseJsonBytes(path, await io.fs.readFile(path), ownerRecordSchema);
    const lock = {
      name: 'session' as const,
      path,
      staleAfterMs: config.staleAfterMs,
      heartbeatEveryMs: config.heartbeatEveryMs,
    };
    return (await ownerFreshness(io, lock, holder)) === 'fresh' ? 'alive' : 'gone';
  } catch {
    return 'gone';
  }
}

export async function statusReport(io: StatusIo, config: RuntimeConfig, jobId?: string): Promise<JobStatusRow[]> {
  const layout = new Layout(config.root);
  if (jobId !== undefined) {
    if ((await io.fs.lstat(layout.jobDir(jobId)).catch(() => undefined)) === undefined)
      throw new UsageError(`unknown job ${jobId}`);
    return [await toRow(io, config, layout, await readJobEntry(io.fs, layout, jobId))];
  }
  const rows: JobStatusRow[] = [];
  for (const entry of await listJobs(io.fs, layout)) rows.push(await toRow(io, config, layout, entry));
  return rows;
}

const HEADER = ['job', 'session', 'status', 'stage', 'attempts', 'next attempt', 'error'];

/** The table `status` prints: columns aligned with spaces, times in UTC, the error last (unpadded). */
export function renderStatusTable(rows: JobStatusRow[]): string {
  if (rows.length === 0) return 'no jobs\n';
  const cells = rows.map((r) => [
    r.jobId,
    r.sessionId ?? '-',
    statusText(r),
    r.stage ?? '-',
    String(r.attempts ?? '-'),
    r.nextAttemptAt === null ? '-' : new Date(r.nextAttemptAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    r.error === null ? '' : `${r.error.name}: ${r.error.message}`,
  ]);
  const widths = HEADER.map((title, i) => Math.max(title.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[HEADER, ...cells].map(line).join('\n')}\n`;
}

function statusText(row: JobStatusRow): string {
  return row.runner === 'gone' ? 'running (runner gone; the next pass resumes it)' : row.status;
}
