// Creating directories durably. mkdir adds an entry to the parent directory, and only an fsync of the
// parent makes that entry survive a power loss; without it, a job's whole directory (or a session's)
// can vanish after its contents were fsynced and acknowledged. Each missing component is created
// and its parent fsynced, top-down; existing ones cost one stat.
import type { FileSystem } from './ports/fileSystem.ts';
import { errorCode, isNotFound } from './ports/fileSystem.ts';
import { PermanentError } from './errors.ts';
import { dirName } from './layout.ts';

const MAX_DEPTH = 32;

export async function ensureDir(fs: FileSystem, path: string, depth = 0): Promise<void> {
  if (depth > MAX_DEPTH) throw new PermanentError(`${path}: directory nesting deeper than ${MAX_DEPTH}`);
  try {
    const stats = await fs.stat(path);
    if (!stats.isDirectory) throw new PermanentError(`${path} exists and is not a directory`);
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const parent = dirName(path);
  if (parent !== path) await ensureDir(fs, parent, depth + 1);
  try {
    await fs.mkdir(path);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    return; // another process made it; it fsyncs the parent
  }
  await fs.syncDir(parent);
}
