// Reading runtime files straight out of a SimFsCore, for checkers (no process, no scheduling).
import type { RuntimeConfig } from '../../src/config.ts';
import { jobStateSchema, type JobState } from '../../src/jobState.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { snapshot } from '../simFs/snapshot.ts';

/** A file's bytes, undefined if it cannot be read. The array is the core's own: read it, never change it. */
export function readCoreFile(core: SimFsCore, path: string): Uint8Array | undefined {
  try {
    return core.peekFile(path);
  } catch {
    return undefined;
  }
}

/** Parsed state.json bytes by array: a core never changes an array in place, so a parse holds for it. */
const parsedStates = new WeakMap<Uint8Array, JobState | 'not-json' | 'schema'>();

function parseState(bytes: Uint8Array): JobState | 'not-json' | 'schema' {
  const known = parsedStates.get(bytes);
  if (known !== undefined) return known;
  let parsed: JobState | 'not-json' | 'schema';
  try {
    const result = jobStateSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    parsed = result.success ? result.data : 'schema';
  } catch {
    parsed = 'not-json';
  }
  parsedStates.set(bytes, parsed);
  return parsed;
}

/** The job's state if state.json exists and is valid; throws a description if it exists and is not. */
export function readCoreState(core: SimFsCore, config: RuntimeConfig, jobId: string): JobState | undefined {
  const bytes = readCoreFile(core, `${config.root}/jobs/${jobId}/state.json`);
  if (bytes === undefined) return undefined;
  const parsed = parseState(bytes);
  if (parsed === 'not-json') throw new Error(`state.json of ${jobId} is not JSON (${bytes.length} bytes)`);
  if (parsed === 'schema') throw new Error(`state.json of ${jobId} fails its schema`);
  return parsed;
}

export function tmpPaths(core: SimFsCore): string[] {
  return [...snapshot(core).keys()].filter(
    (path) => path.split('/').some((part) => part.startsWith('.tmp-')) && !/\/\.tmp-[^/]+\//.test(path),
  );
}

export function lockPaths(core: SimFsCore): string[] {
  return [...snapshot(core).keys()].filter((path) => path.endsWith('.lock'));
}
