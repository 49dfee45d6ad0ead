// Making a directory path exist durably. mkdir adds an entry to the parent directory, and only an
// fsync of the parent makes that entry survive a power loss; without it a session's whole directory
// can vanish after its transcript was fsynced and acknowledged.
//
// Existence is not durability: the process that created a directory may have been killed, or had its
// fsync fail, between its mkdir and its fsync of the parent. So every component below `root` gets its
// parent fsynced, whether this call created it or found it (found by the chaos campaign: a runner
// whose parent fsync failed with EACCES left `sessions/` non-durable for every other runner).
import type { FileSystem } from './ports/fileSystem.ts';
import { errorCode, isNotFound } from './ports/fileSystem.ts';
import { PermanentError, assert } from './errors.ts';
import { dirName } from './layout.ts';

const MAX_DEPTH = 32;

/** Ensures `path` (at or below `root`, which must exist) is a directory whose entry is durable. */
export async function ensureDir(fs: FileSystem, path: string, root: string): Promise<void> {
  const chain: string[] = [];
  for (let p = path; p !== root; p = dirName(p)) {
    assert(chain.length < MAX_DEPTH && p !== '/' && p !== '.', `ensureDir: ${path} is not below ${root}`);
    chain.unshift(p);
  }
  for (const dir of chain) {
    try {
      await fs.mkdir(dir);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
      const stats = await fs.lstat(dir).catch((statError: unknown) => {
        if (isNotFound(statError)) return undefined;
        throw statError;
      });
      // A symlink here could point anywhere: locks and transcripts would land outside the data root.
      if (stats?.isSymbolicLink)
        throw new PermanentError(`${dir} is a symlink; refusing to follow it out of the data root`);
      if (stats !== undefined && !stats.isDirectory) throw new PermanentError(`${dir} exists and is not a directory`);
    }
    await fs.syncDir(dirName(dir));
  }
}

/** The data root itself: created if missing (with its parents), its entry made durable. */
export async function ensureRoot(fs: FileSystem, root: string): Promise<void> {
  await fs.mkdir(root, { recursive: true });
  await fs.syncDir(dirName(root));
}
