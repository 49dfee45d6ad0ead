// Reading runtime files straight out of a SimFsCore, for checkers (no process, no scheduling).
import type { RuntimeConfig } from '../../src/config.ts';
import { jobStateSchema, type JobState } from '../../src/jobState.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { snapshot } from '../simFs/snapshot.ts';

export function readCoreFile(core: SimFsCore, path: string): Uint8Array | undefined {
  try {
    return core.readFile(path);
  } catch {
    return undefined;
  }
}

/** The job's state if state.json exists and is valid; throws a description if it exists and is not. */
export function readCoreState(core: SimFsCore, config: RuntimeConfig, jobId: string): JobState | undefined {
  const bytes = readCoreFile(core, `${config.root}/jobs/${jobId}/state.json`);
  if (bytes === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error(`state.json of ${jobId} is not JSON (${bytes.length} bytes)`);
  }
  const parsed = jobStateSchema.safeParse(value);
  if (!parsed.success) throw new Error(`state.json of ${jobId} fails its schema`);
  return parsed.data;
}

export function tmpPaths(core: SimFsCore): string[] {
  return [...snapshot(core).keys()].filter((path) => path.split('/').some((part) => part.startsWith('.tmp-')) && !/\/\.tmp-[^/]+\//.test(path));
}

export function lockPaths(core: SimFsCore): string[] {
  return [...snapshot(core).keys()].filter((path) => path.endsWith('.lock'));
}
