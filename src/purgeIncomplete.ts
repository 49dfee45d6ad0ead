// Incomplete enqueues: a job directory with no state.json, older than the stale bound, is an enqueue
// that died before its commit, and purge removes it. The enqueue may only be slow (paused, or the
// clock jumped forward), and it takes no lock, so removal is by capture: purge first renames the
// directory to a `.tmp-unborn-` name in jobs/ (one atomic step; every later call of the enqueue then
// fails with ENOENT, so it reports an error and acknowledges nothing), then looks inside. A state.json
// there means the enqueue committed before the capture and may have acknowledged the job: the
// directory is put back. A crash between capture and put-back leaves a `.tmp-unborn-` directory with
// a state.json, which the next purge puts back the same way; one without is garbage.
import type { Io } from './ports/io.ts';
import { errorCode, isNotFound } from './ports/fileSystem.ts';
import { FILE, TMP_PREFIX, joinPath, type Layout } from './layout.ts';
import { isValidId } from './ids.ts';
import { ignoreNotFound, removeTree, type RemovedCounts } from './removeTree.ts';

export const UNBORN_PREFIX = `${TMP_PREFIX}unborn-`;

/** Removes the incomplete job `jobId`; undefined if it turned out complete (and is back) or gone. */
export async function purgeIncomplete(
  io: Pick<Io, 'fs' | 'random' | 'log'>,
  layout: Layout,
  jobId: string,
): Promise<RemovedCounts | undefined> {
  const capture = joinPath(layout.jobsDir, `${UNBORN_PREFIX}${jobId}.${io.random.hex(4)}`);
  try {
    await io.fs.rename(layout.jobDir(jobId), capture);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  if (await putBackIfCommitted(io, layout, capture)) return undefined;
  return removeTree(io.fs, capture);
}

/**
 * Puts a captured job directory back at its name if it holds a state.json; true if it did (or found
 * the job back already). A directory that cannot go back (a new one took its name) is kept and logged:
 * it holds a committed job, and only a person can tell which of the two is wanted.
 */
export async function putBackIfCommitted(
  io: Pick<Io, 'fs' | 'log'>,
  layout: Layout,
  capture: string,
): Promise<boolean> {
  const jobId = unbornJobId(capture);
  if ((await ignoreNotFound(io.fs.lstat(joinPath(capture, FILE.state)))) === undefined) return false;
  const jobDir = layout.jobDir(jobId);
  if ((await ignoreNotFound(io.fs.lstat(jobDir))) !== undefined) {
    io.log.emit('purge.kept', {
      jobId,
      path: capture,
      reason: 'a captured job holds state.json and its name is taken',
    });
    return true;
  }
  try {
    await io.fs.rename(capture, jobDir);
  } catch (error) {
    if (isNotFound(error)) return true; // another purge put it back first
    if (errorCode(error) !== 'ENOTEMPTY' && errorCode(error) !== 'EEXIST') throw error;
    io.log.emit('purge.kept', {
      jobId,
      path: capture,
      reason: 'a captured job holds state.json and its name is taken',
    });
    return true;
  }
  await io.fs.syncDir(layout.jobsDir);
  io.log.emit('purge.restored', { jobId });
  return true;
}

/** The job id in a `.tmp-unborn-<jobId>.<hex>` name (ids hold no dot). */
function unbornJobId(capture: string): string {
  const name = capture.slice(capture.lastIndexOf('/') + 1);
  const jobId = name.slice(UNBORN_PREFIX.length, name.lastIndexOf('.'));
  if (!isValidId(jobId)) throw new Error(`${capture} is not a captured job directory`);
  return jobId;
}
