// Reading every job of the data root. A job whose state cannot be read is reported with a typed
// error and left untouched; it never stops the listing of the others. Entries that are not valid
// ids, and symlinks (which could point outside the root), are reported, never followed.
import type { FileSystem } from './ports/fileSystem.ts';
import { isNotFound } from './ports/fileSystem.ts';
import { Layout, isTmpName, joinPath } from './layout.ts';
import { isValidId } from './ids.ts';
import { readJobState, type JobState } from './jobState.ts';
import { CorruptFileError, PermanentError, UsageError } from './errors.ts';

export type JobEntry =
  | { readonly jobId: string; readonly state: JobState; readonly error?: undefined }
  | { readonly jobId: string; readonly state?: undefined; readonly error: Error }
  /** A directory without state.json: an enqueue that has not finished (or was killed). */
  | {
      readonly jobId: string;
      readonly state?: undefined;
      readonly error?: undefined;
      readonly incomplete: true;
      readonly mtimeMs: number;
    };

export async function listJobIds(fs: FileSystem, layout: Layout): Promise<{ ids: string[]; ignored: string[] }> {
  let names: string[];
  try {
    names = await fs.readdir(layout.jobsDir);
  } catch (error) {
    if (isNotFound(error)) return { ids: [], ignored: [] };
    throw error;
  }
  const ids: string[] = [];
  const ignored: string[] = [];
  for (const name of names.sort()) (isValidId(name) ? ids : ignored).push(name);
  return { ids, ignored: ignored.filter((name) => !isTmpName(name)) };
}

export async function readJobEntry(fs: FileSystem, layout: Layout, jobId: string): Promise<JobEntry> {
  const jobDir = layout.jobDir(jobId);
  try {
    const stats = await fs.lstat(jobDir);
    if (stats.isSymbolicLink)
      return { jobId, error: new PermanentError(`${jobDir} is a symlink; job directories must be real directories`) };
    if (!stats.isDirectory) return { jobId, error: new PermanentError(`${jobDir} is not a directory`) };
    const state = await readJobState(fs, jobDir);
    if (state === undefined) return { jobId, incomplete: true, mtimeMs: stats.mtimeMs };
    if (state.jobId !== jobId)
      return {
        jobId,
        error: new CorruptFileError(joinPath(jobDir, 'state.json'), `names job ${state.jobId}, not ${jobId}`),
      };
    return { jobId, state };
  } catch (error) {
    return { jobId, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/**
 * One job's state for a command (delete, retry, export): through readJobEntry, so a job directory that
 * is a symlink or not a directory is refused with its typed error and never followed. No such job, or
 * one still being enqueued (no state yet), is a UsageError.
 */
export async function readJobForCommand(fs: FileSystem, layout: Layout, jobId: string): Promise<JobState> {
  const entry = await readJobEntry(fs, layout, jobId);
  if (entry.state !== undefined) return entry.state;
  if (entry.error === undefined || isNotFound(entry.error)) throw new UsageError(`unknown job ${jobId}`);
  throw entry.error;
}

export async function listJobs(fs: FileSystem, layout: Layout): Promise<JobEntry[]> {
  const { ids } = await listJobIds(fs, layout);
  const entries: JobEntry[] = [];
  for (const id of ids) entries.push(await readJobEntry(fs, layout, id));
  return entries;
}
