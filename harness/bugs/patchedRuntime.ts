// A zoo bug as a source patch: a copy of src/ with a few edits, loaded as its own modules, so a broken
// runtime is written the way a maintainer would slip the bug into src/ and src/ carries no switch for
// it. Only the patched files and the files that import them (transitively) are copied; every other
// import of the copy points back at the real module, so what those define (errors.ts, the ports, the
// job-state schema) stays the real one and an `instanceof` in the oracle still holds. A class defined
// in a copied file (say, HeldLock in ownerLock.ts) is the copy's own; the oracle never tests those by
// class, only by name. Copies are content-addressed under .zoo/ in the
// package, written once (tmp + rename), and a patch whose text no longer occurs exactly once in its
// file fails loudly: the zoo never runs a bug that silently stopped applying.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import { ENTRY_MODULES, realRuntime, type RuntimeEntries } from '../world/runtimeEntries.ts';

export interface SourcePatch {
  /** A file of src/, relative to it (`ownerLock.ts`). */
  readonly file: string;
  /** Text that occurs exactly once in that file. */
  readonly find: string;
  readonly replace: string;
}

const SRC_DIR = fileURLToPath(new URL('../../src/', import.meta.url));
const ZOO_DIR = fileURLToPath(new URL('../../.zoo/', import.meta.url));
const RELATIVE_IMPORT = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']+)'/g;
const loaded = new Map<string, Promise<RuntimeEntries>>();

async function sourceFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await sourceFiles(join(dir, entry.name), rel)));
    else if (entry.name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

function importsOf(file: string, text: string): string[] {
  return [...text.matchAll(RELATIVE_IMPORT)].map((m) => posix.normalize(posix.join(posix.dirname(file), m[2]!)));
}

/** The patched files and every file that imports one of them, directly or not. */
function copySet(texts: ReadonlyMap<string, string>, patched: ReadonlySet<string>): Set<string> {
  const copied = new Set(patched);
  for (let grew = true; grew;) {
    grew = false;
    for (const [file, text] of texts) {
      if (copied.has(file) || !importsOf(file, text).some((target) => copied.has(target))) continue;
      copied.add(file);
      grew = true;
    }
  }
  return copied;
}

function applyPatches(file: string, text: string, patches: readonly SourcePatch[]): string {
  let out = text;
  for (const patch of patches.filter((p) => p.file === file)) {
    const count = out.split(patch.find).length - 1;
    if (count !== 1) {
      throw new Error(
        `zoo patch of src/${file} no longer applies: its text occurs ${count} times (must ` +
          `be once): ${JSON.stringify(patch.find.slice(0, 80))}`,
      );
    }
    out = out.replace(patch.find, () => patch.replace);
  }
  return out;
}

/** Imports of files that are not copied point at the real src/ from the copy's place. */
function relink(file: string, text: string, copied: ReadonlySet<string>, copyRoot: string): string {
  return text.replace(RELATIVE_IMPORT, (whole, head: string, spec: string) => {
    const target = posix.normalize(posix.join(posix.dirname(file), spec));
    if (copied.has(target)) return whole;
    const fromDir = dirname(join(copyRoot, file));
    const real = relative(fromDir, join(SRC_DIR, target)).split('\\').join('/');
    return `${head}'${real.startsWith('.') ? real : `./${real}`}'`;
  });
}

async function writeOnce(path: string, text: string): Promise<void> {
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing === text) return;
  await mkdir(dirname(path), { recursive: true });
  // pid and thread: worker threads of one process may write the same copy at once.
  const tmp = `${path}.tmp-${process.pid}-${threadId}`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

async function materialize(patches: readonly SourcePatch[]): Promise<RuntimeEntries> {
  const files = await sourceFiles(SRC_DIR);
  const texts = new Map(
    await Promise.all(files.map(async (f) => [f, await readFile(join(SRC_DIR, f), 'utf8')] as const)),
  );
  for (const patch of patches)
    if (!texts.has(patch.file)) throw new Error(`zoo patch names src/${patch.file}, which does not exist`);
  const copied = copySet(texts, new Set(patches.map((p) => p.file)));
  const patchedTexts = [...copied].sort().map((file) => [file, applyPatches(file, texts.get(file)!, patches)] as const);
  const hash = createHash('sha256').update(JSON.stringify(patchedTexts)).digest('hex').slice(0, 16);
  const copyRoot = join(ZOO_DIR, hash, 'src');
  for (const [file, text] of patchedTexts) await writeOnce(join(copyRoot, file), relink(file, text, copied, copyRoot));
  const entries: Record<string, unknown> = { ...realRuntime };
  for (const [name, file] of Object.entries(ENTRY_MODULES)) {
    if (!copied.has(file)) continue;
    const module = (await import(pathToFileURL(join(copyRoot, file)).href)) as Record<string, unknown>;
    if (typeof module[name] !== 'function') throw new Error(`the patched copy of src/${file} has no function ${name}`);
    entries[name] = module[name];
  }
  return entries as unknown as RuntimeEntries;
}

/** The runtime with `patches` applied (loaded once per process for the same patches). */
export function patchedRuntime(patches: readonly SourcePatch[]): Promise<RuntimeEntries> {
  if (patches.length === 0) return Promise.resolve(realRuntime);
  const key = JSON.stringify(patches);
  let entries = loaded.get(key);
  if (entries === undefined) {
    entries = materialize(patches);
    loaded.set(key, entries);
  }
  return entries;
}
