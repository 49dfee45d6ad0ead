// Which directory is a data root. A root is made by `jobs init` or by the first enqueue, and holds
// `jobs/`. Every other command (run, status, retry, delete, purge, serve) refuses a path that does
// not exist or holds no `jobs/`: a typo in cron's JOBS_ROOT must fail loudly, not start an empty root
// that runs nothing forever. Enqueue creates a missing root only when its parent exists, so a typo
// higher up the path cannot create a whole new tree either.
import type { FileSystem } from './ports/fileSystem.ts';
import { isNotFound } from './ports/fileSystem.ts';
import { UsageError } from './errors.ts';
import { Layout, dirName } from './layout.ts';

async function kindOf(fs: FileSystem, path: string): Promise<'dir' | 'other' | 'missing'> {
  try {
    return (await fs.stat(path)).isDirectory ? 'dir' : 'other';
  } catch (error) {
    if (isNotFound(error)) return 'missing';
    throw error;
  }
}

/** Throws a UsageError (exit 2) unless `root` is a data root. */
export async function requireDataRoot(fs: FileSystem, root: string): Promise<void> {
  const hint = `(create it with: jobs init --root ${root})`;
  const kind = await kindOf(fs, root);
  if (kind === 'missing') throw new UsageError(`data root ${root} does not exist ${hint}`);
  if (kind === 'other') throw new UsageError(`data root ${root} is not a directory`);
  if ((await kindOf(fs, new Layout(root).jobsDir)) !== 'dir')
    throw new UsageError(`${root} is not a data root: it has no jobs/ directory ${hint}`);
}

/** Before an enqueue: a missing root may be created only if its parent directory exists. */
export async function allowRootCreation(fs: FileSystem, root: string): Promise<void> {
  if ((await kindOf(fs, root)) !== 'missing') return;
  const parent = dirName(root);
  if ((await kindOf(fs, parent)) !== 'dir')
    throw new UsageError(
      `cannot create data root ${root}: ${parent} does not exist (is the path right? jobs ` +
        `init --root creates the whole path)`,
    );
}
