// What `status` shows: per job id, session, status, stage, attempts, error. A tombstoned job whose
// deletion a runner has not finished yet shows as deleting; an unreadable job shows its error.
import type { FileSystem } from './ports/fileSystem.ts';
import { Layout } from './layout.ts';
import { listJobs, readJobEntry, type JobEntry } from './listJobs.ts';
import { hasTombstone } from './tombstone.ts';
import { UsageError } from './errors.ts';

export interface JobStatusRow {
  jobId: string;
  sessionId: string | null;
  status: string;
  stage: string | null;
  attempts: number | null;
  nextAttemptAt: number | null;
  error: { name: string; message: string; kind?: string } | null;
}

async function toRow(fs: FileSystem, layout: Layout, entry: JobEntry): Promise<JobStatusRow> {
  if (entry.state === undefined) {
    const error = entry.error === undefined ? null : { name: entry.error.name, message: entry.error.message };
    return { jobId: entry.jobId, sessionId: null, status: error === null ? 'enqueuing' : 'unreadable', stage: null, attempts: null, nextAttemptAt: null, error };
  }
  const s = entry.state;
  const deleting = s.status !== 'deleted' && (await hasTombstone({ fs }, layout.jobDir(s.jobId)));
  return {
    jobId: s.jobId, sessionId: s.sessionId, status: deleting ? 'deleting' : s.status, stage: s.stage, attempts: s.attempts,
    nextAttemptAt: s.nextAttemptAt, error: s.error === null ? null : { name: s.error.name, message: s.error.message, kind: s.error.kind },
  };
}

export async function statusReport(fs: FileSystem, root: string, jobId?: string): Promise<JobStatusRow[]> {
  const layout = new Layout(root);
  if (jobId !== undefined) {
    if ((await fs.lstat(layout.jobDir(jobId)).catch(() => undefined)) === undefined) throw new UsageError(`unknown job ${jobId}`);
    return [await toRow(fs, layout, await readJobEntry(fs, layout, jobId))];
  }
  const rows: JobStatusRow[] = [];
  for (const entry of await listJobs(fs, layout)) rows.push(await toRow(fs, layout, entry));
  return rows;
}

export function renderStatusTable(rows: JobStatusRow[]): string {
  if (rows.length === 0) return 'no jobs\n';
  const lines = rows.map((r) => [r.jobId, r.sessionId ?? '-', r.status, r.stage ?? '-', String(r.attempts ?? '-'),
    r.error === null ? '' : `${r.error.name}: ${r.error.message}`].join('\t'));
  return `${['job', 'session', 'status', 'stage', 'attempts', 'error'].join('\t')}\n${lines.join('\n')}\n`;
}
