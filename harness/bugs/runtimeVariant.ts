// A broken runtime, as the harness applies it to every runtime process of a run (the scenario's, the
// chaos plan's, and the recovery's): FileSystem decorators, a wrapper around the stage handlers, a view
// of the clock, decisions swapped in the Policy port, and the runtime's own code patched
// (harness/bugs/patchedRuntime.ts). The empty variant is the real runtime.
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import type { StageHandlers } from '../../src/ports/stageHandlers.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { Policy } from '../../src/ports/policy.ts';
import type { SpawnOptions } from '../world/world.ts';
import type { RuntimeEntries } from '../world/runtimeEntries.ts';
import { STANDARD_HANDLERS } from '../workload/handlers.ts';
import { defaultPolicy } from '../../src/defaultPolicy.ts';
import { patchedRuntime, type SourcePatch } from './patchedRuntime.ts';

export interface RuntimeVariant {
  readonly decorate?: readonly ((fs: FileSystem) => FileSystem)[];
  /** Stage code that wraps the handlers (where a misclassifying catch-and-rethrow would live). */
  readonly wrapHandlers?: (handlers: StageHandlers) => StageHandlers;
  /** A view of the process's clock (code that reads the wrong clock). */
  readonly wrapClock?: (clock: Clock) => Clock;
  /** Decisions replaced by wrong ones; the rest of the policy is the default. */
  readonly policy?: Partial<Policy>;
  /** Edits to the runtime's source; `loadVariant` turns them into `runtime`. */
  readonly patches?: readonly SourcePatch[];
  /** The patched runtime's entry points (set by `loadVariant`). */
  readonly runtime?: RuntimeEntries;
}

/** The variant with its patched runtime loaded (a no-op for a variant without patches). */
export async function loadVariant(variant: RuntimeVariant): Promise<RuntimeVariant> {
  if (variant.patches === undefined || variant.runtime !== undefined) return variant;
  return { ...variant, runtime: await patchedRuntime(variant.patches) };
}

/** The policy a process of `variant` runs. */
export function policyOf(variant: RuntimeVariant): Policy | undefined {
  return variant.policy === undefined ? undefined : { ...defaultPolicy, ...variant.policy };
}

/** Spawn options for a runtime process under `variant`, with the process's own faults and handlers. */
export function spawnWith(
  variant: RuntimeVariant,
  extra: { decorate?: SpawnOptions['decorate']; handlers?: StageHandlers; host?: string } = {},
): SpawnOptions {
  if (variant.patches !== undefined && variant.runtime === undefined) {
    throw new Error('a variant with source patches must be loaded first (loadVariant)');
  }
  const handlers = extra.handlers ?? STANDARD_HANDLERS;
  const policy = policyOf(variant);
  return {
    decorate: [...(variant.decorate ?? []), ...(extra.decorate ?? [])],
    handlers: variant.wrapHandlers?.(handlers) ?? handlers,
    ...(policy !== undefined ? { policy } : {}),
    ...(variant.runtime !== undefined ? { runtime: variant.runtime } : {}),
    ...(variant.wrapClock !== undefined ? { wrapClock: variant.wrapClock } : {}),
    ...(extra.host !== undefined ? { host: extra.host } : {}),
  };
}
