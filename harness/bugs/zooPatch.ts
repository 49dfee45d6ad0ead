// Small builders for the zoo's source patches (harness/bugs/patchedRuntime.ts): where in src/ a bug
// of each kind is slipped in. Each names text that occurs once in today's source; if the source
// moves on, the patch fails loudly when the zoo loads it.
import type { SourcePatch } from './patchedRuntime.ts';

export const patch = (file: string, find: string, replace: string): SourcePatch => ({ file, find, replace });

/** An edit of writeFileAtomic (src/writeFileAtomic.ts). */
export const inAtomicWrite = (find: string, replace: string): SourcePatch => patch('writeFileAtomic.ts', find, replace);

/** `block` runs at the start of retire() (the stale-lock takeover), before the real protocol. */
export const retireFirst = (block: string): SourcePatch =>
  patch(
    'ownerLock.ts',
    '  const dir = dirName(options.path);\n  const myReap =',
    `${block}\n  const dir = dirName(options.path);\n  const myReap =`,
  );

/** `block` runs at the start of outputsValid() (the stage skip's check), before the real one. */
export const outputsValidFirst = (block: string): SourcePatch =>
  patch(
    'pipeline.ts',
    '  const bytes = await readOptional(io, jobOutput);\n  if (bytes === undefined',
    `${block}\n  const bytes = await readOptional(io, jobOutput);\n  if (bytes === undefined`,
  );

/** The name and message of a thrown value, as a classification records them. */
export const errorText = (error: unknown): { name: string; message: string } => ({
  name: error instanceof Error ? error.name : 'Error',
  message: error instanceof Error ? error.message : String(error),
});
