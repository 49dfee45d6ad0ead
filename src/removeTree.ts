// Recursive removal through the FileSystem port, one syscall at a time, so the simulation sees and
// can crash between every unlink. Returns what it removed, for purge reports. Symlinks are unlinked,
// never followed: a symlink planted in the data root cannot make the runtime delete outside it.
import type { FileSystem } from './ports/fileSystem.ts';
import { isNotFound } from './ports/fileSystem.ts';
import { assert } from './errors.ts';
import { joinPath } from './layout.ts';

export interface RemovedCounts {
  files: number;
  bytes: number;
}

const MAX_DEPTH = 8;

export async function removeTree(fs: FileSystem, path: string, depth = 0): Promise<RemovedCounts> {
  assert(depth <= MAX_DEPTH, `removeTree: ${path} is nested deeper than ${MAX_DEPTH}`);
  const counts: RemovedCounts = { files: 0, bytes: 0 };
  let stats;
  try {
    stats = await fs.lstat(path);
  } catch (error) {
    if (isNotFound(error)) return counts;
    throw error;
  }
  if (!stats.isDirectory) {
    await ignoreNotFound(fs.unlink(path));
    counts.files += 1;
    counts.bytes += stats.isFile ? stats.sizeBytes : 0;
    return counts;
  }
  let names: string[] = [];
  try {
    names = await fs.readdir(path);
  } catch (error) {
    if (isNotFound(error)) return counts;
    throw error;
  }
  for (const name of names) {
    const inner = await removeTree(fs, joinPath(path, name), depth + 1);
    counts.files += inner.files;
    counts.bytes += inner.bytes;
  }
  await ignoreNotFound(fs.rmdir(path));
  return counts;
}

export async function ignoreNotFound<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
