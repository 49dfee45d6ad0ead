// The durable atomic write: the only way the runtime writes a final file.
//
//   open <tmpDir>/.tmp-<random> with O_CREAT|O_EXCL ('wx')   never reuse or follow an existing name
//   write every byte, looping on short writes                 a short write is not an error, a 0 is
//   fsync the file                                           data and size durable before the name
//   close
//   beforeCommit()                                           the fencing check of the caller
//   rename tmp over the target                               atomic: readers see old or new, never a mix
//   fsync the target's directory                             the rename itself durable
//   only then return
//
// Without the file fsync a power loss can leave the renamed name pointing at empty or torn data
// (the 2009 ext4 delayed-allocation state); without the directory fsync the rename itself can be
// undone, so a reported success is lost. On any failure the tmp file is removed (best effort) and
// a FileError naming the step, the path and the errno is thrown; the target is untouched unless the
// rename already happened, in which case success is still not reported.
import type { FileHandle, FileSystem } from './ports/fileSystem.ts';
import { errorCode } from './ports/fileSystem.ts';
import type { Random } from './ports/random.ts';
import { FileError, JobsError } from './errors.ts';
import { writeAll } from './writeAll.ts';
import { TMP_PREFIX, dirName, joinPath } from './layout.ts';

export interface AtomicWriteOptions {
  /**
   * Where the tmp file is created; it must be on the target's filesystem. Defaults to the target's
   * directory. The pipeline passes its lock's work directory: if the lock is taken over, that
   * directory is renamed away and the final rename fails, which is the fence (see ownerLock.ts).
   */
  readonly tmpDir?: string;
  /** Runs after the data is durable and before the rename; throwing aborts the write. */
  readonly beforeCommit?: () => Promise<void>;
}

const encoder = new TextEncoder();

export async function writeFileAtomic(
  io: { readonly fs: FileSystem; readonly random: Random },
  targetPath: string,
  content: Uint8Array | string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const bytes = typeof content === 'string' ? encoder.encode(content) : content;
  const targetDir = dirName(targetPath);
  const tmpPath = joinPath(options.tmpDir ?? targetDir, `${TMP_PREFIX}${io.random.hex(8)}`);
  let handle: FileHandle | undefined;
  let step = 'open';
  try {
    handle = await io.fs.open(tmpPath, 'wx', 0o644);
    step = 'write';
    await writeAll(handle, bytes);
    step = 'fsync';
    await handle.sync();
    step = 'close';
    const closing = handle;
    handle = undefined;
    await closing.close();
    step = 'commit check';
    await options.beforeCommit?.();
    step = 'rename';
    await io.fs.rename(tmpPath, targetPath);
    step = 'fsync directory';
    await io.fs.syncDir(targetDir);
  } catch (error) {
    if (handle !== undefined) await handle.close().catch(() => undefined);
    if (step !== 'fsync directory') await io.fs.unlink(tmpPath).catch(() => undefined);
    throw wrapFileError(error, step, step === 'fsync directory' ? targetDir : step === 'rename' ? targetPath : tmpPath);
  }
}

/**
 * A new file (O_EXCL) with all of `bytes`, not fsynced: for lock records, which need no durability
 * (after a power loss every owner is dead) but must never be seen half-written by another process.
 */
export async function writeNewFile(fs: FileSystem, path: string, bytes: Uint8Array): Promise<void> {
  const handle = await fs.open(path, 'wx', 0o644);
  try {
    await writeAll(handle, bytes);
  } finally {
    await handle.close();
  }
}

/** Runtime errors (fencing, deletion) pass through; errno errors gain the step and path. */
export function wrapFileError(error: unknown, step: string, path: string): unknown {
  if (error instanceof JobsError) return error;
  const code = errorCode(error);
  return code === undefined ? error : new FileError(code, step, path, { cause: error });
}
