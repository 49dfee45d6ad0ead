// Deletion while a job may be running: the deleter never touches state.json (a second writer there
// would be a lost update); it drops this tombstone, and whoever holds the session lock finishes the
// deletion. The runner looks for it between stages and before every commit.
import type { FileSystem } from './ports/fileSystem.ts';
import type { Random } from './ports/random.ts';
import type { Clock } from './ports/clock.ts';
import { isNotFound } from './ports/fileSystem.ts';
import { FILE, joinPath } from './layout.ts';
import { writeFileAtomic } from './writeFileAtomic.ts';

export function tombstonePath(jobDir: string): string {
  return joinPath(jobDir, FILE.tombstone);
}

export async function hasTombstone(io: { readonly fs: FileSystem }, jobDir: string): Promise<boolean> {
  try {
    await io.fs.stat(tombstonePath(jobDir));
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

export async function writeTombstone(
  io: { fs: FileSystem; random: Random; clock: Clock },
  jobDir: string,
): Promise<void> {
  await writeFileAtomic(io, tombstonePath(jobDir), `${JSON.stringify({ deletedAt: io.clock.nowMs() })}\n`);
}
