// Reading a JSON file the runtime depends on: bytes → UTF-8 → JSON → zod schema. Any failure past
// "file not found" is a CorruptFileError naming the file and what is wrong with it, never a crash.
import type { z } from 'zod';
import type { FileSystem } from './ports/fileSystem.ts';
import { isNotFound } from './ports/fileSystem.ts';
import { CorruptFileError, errorMessage } from './errors.ts';
import { wrapFileError } from './writeFileAtomic.ts';
import { readNoFollow } from './readNoFollow.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });

export function parseJsonBytes<T>(path: string, bytes: Uint8Array, schema: z.ZodType<T>): T {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new CorruptFileError(path, 'not valid UTF-8');
  }
  if (text.trim() === '') throw new CorruptFileError(path, `empty file (${bytes.length} bytes)`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CorruptFileError(path, `not valid JSON (${errorMessage(error)})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new CorruptFileError(path, `schema violation at ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Returns undefined when the file does not exist; throws CorruptFileError or FileError otherwise. */
export async function readJsonFile<T>(fs: FileSystem, path: string, schema: z.ZodType<T>): Promise<T | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readNoFollow(fs, path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw wrapFileError(error, 'read', path);
  }
  return parseJsonBytes(path, bytes, schema);
}
