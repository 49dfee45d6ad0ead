// Reading a file of the data root without following a symlink out of it. Someone who can write into
// the data root could plant `draft.md -> /etc/shadow`; the runtime refuses to read through it (a
// typed, permanent error naming the path) instead of copying the target into a job's artifacts.
// The check is lstat-then-read: a race with a concurrent planter is possible, but such a planter can
// already rewrite the job's files directly, so it gains nothing.
import type { FileSystem } from './ports/fileSystem.ts';
import { PermanentError } from './errors.ts';

export async function readNoFollow(fs: FileSystem, path: string): Promise<Uint8Array> {
  const stats = await fs.lstat(path);
  if (stats.isSymbolicLink)
    throw new PermanentError(`${path} is a symlink; refusing to follow it out of the data root`);
  return fs.readFile(path);
}
