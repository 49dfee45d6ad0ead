// The FileSystem port: the syscall-level subset of node:fs/promises the runtime needs, and nothing
// more. Keeping it small is what lets the simulated twin (harness/simFs) model every call exactly,
// including what each call makes durable. Errors are Node-style: an Error with a string `code`
// (ENOENT, EEXIST, ENOSPC, ...) and, where it applies, `syscall` and `path`.

export type OpenFlags = 'r' | 'wx' | 'w' | 'r+';

export interface FileStats {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly isSymbolicLink: boolean;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
}

export interface FileHandle {
  /** Writes `data` at `positionBytes`; may write fewer bytes than asked (a short write). */
  write(data: Uint8Array, positionBytes: number): Promise<number>;
  /** fsync(2): makes this file's data and size durable. It never makes the file's name durable. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface FileSystem {
  open(path: string, flags: OpenFlags, mode?: number): Promise<FileHandle>;
  readFile(path: string): Promise<Uint8Array>;
  rename(fromPath: string, toPath: string): Promise<void>;
  /** link(2): fails with EEXIST when `newPath` exists; that is what makes it an exclusive acquire. */
  link(existingPath: string, newPath: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  rmdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<FileStats>;
  lstat(path: string): Promise<FileStats>;
  /** fsync of a directory: makes its entries (creates, unlinks, renames into or out of it) durable. */
  syncDir(path: string): Promise<void>;
}

export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function isNotFound(error: unknown): boolean {
  return errorCode(error) === 'ENOENT';
}
