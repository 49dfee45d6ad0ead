// Removal under a lock, fenced like a commit. A holder that removes a shared file (a job's artifacts,
// the session transcript, an expired job directory) first renames it into its own work directory and
// only then removes it there. Once a taker has retired the work directory (we were paused, or the
// clock jumped, past the stale bound), that rename fails with ENOENT, atomically, in the kernel: a
// fenced-out holder can never remove what the new holder is using. A plain unlink would have no fence.
import type { Io } from './ports/io.ts';
import { isNotFound } from './ports/fileSystem.ts';
import type { HeldLock } from './ownerLock.ts';
import { baseName, joinPath } from './layout.ts';
import { removeTree, type RemovedCounts } from './removeTree.ts';

/** Name prefix of what a holder moved into its work directory to remove. */
export const DOOMED_PREFIX = 'doomed-';

/**
 * Moves `path` into the lock's work directory; returns where it went, or undefined if there was
 * nothing at `path`. Throws LockLostError if the lock was taken over: then nothing was moved.
 */
export async function moveIntoWorkDir(
  io: Pick<Io, 'fs' | 'random'>,
  lock: HeldLock,
  path: string,
): Promise<string | undefined> {
  const doomed = joinPath(lock.workDir, `${DOOMED_PREFIX}${baseName(path)}-${io.random.hex(4)}`);
  try {
    await io.fs.rename(path, doomed);
    return doomed;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  // ENOENT: either `path` is gone (nothing to remove) or our work directory is (fenced out).
  await lock.assertHeld();
  return undefined;
}

/** Removes `path` as the holder of `lock` (see the header); counts what was removed. */
export async function removeAsHolder(
  io: Pick<Io, 'fs' | 'random'>,
  lock: HeldLock,
  path: string,
): Promise<RemovedCounts> {
  const doomed = await moveIntoWorkDir(io, lock, path);
  return doomed === undefined ? { files: 0, bytes: 0 } : removeTree(io.fs, doomed);
}
