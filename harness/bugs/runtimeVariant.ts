// A broken runtime, as the harness applies it to every runtime process of a run (the scenario's,
// the chaos plan's, and the recovery's): FileSystem decorators, a wrapper around the stage handlers,
// and swapped runtime functions (src/variants.ts). The empty variant is the real runtime.
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import type { StageHandlers } from '../../src/ports/stageHandlers.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { RuntimeVariants } from '../../src/variants.ts';
import type { SpawnOptions } from '../world/world.ts';
import { defaultHandlers } from '../../src/defaultHandlers.ts';

export interface RuntimeVariant {
  readonly decorate?: readonly ((fs: FileSystem) => FileSystem)[];
  /** Stage code that wraps the handlers (where a misclassifying catch-and-rethrow would live). */
  readonly wrapHandlers?: (handlers: StageHandlers) => StageHandlers;
  readonly variants?: RuntimeVariants;
  /** A view of the process's clock (code that reads the wrong clock). */
  readonly wrapClock?: (clock: Clock) => Clock;
}

/** Spawn options for a runtime process under `variant`, with the process's own faults and handlers. */
export function spawnWith(variant: RuntimeVariant, extra: { decorate?: SpawnOptions['decorate']; handlers?: StageHandlers } = {}): SpawnOptions {
  const handlers = extra.handlers ?? defaultHandlers;
  return {
    decorate: [...(variant.decorate ?? []), ...(extra.decorate ?? [])],
    handlers: variant.wrapHandlers?.(handlers) ?? handlers,
    ...(variant.variants !== undefined ? { variants: variant.variants } : {}),
    ...(variant.wrapClock !== undefined ? { wrapClock: variant.wrapClock } : {}),
  };
}
