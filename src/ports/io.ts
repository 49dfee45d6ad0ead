// The one `io` object every runtime function takes first. Composition roots (src/cli.ts for
// production, harness/world for simulation) build it; nothing else binds an implementation.
import type { Clock } from './clock.ts';
import type { FileSystem } from './fileSystem.ts';
import type { Log } from './log.ts';
import type { Processes } from './processes.ts';
import type { Random } from './random.ts';
import type { StageHandlers } from './stageHandlers.ts';
import type { Policy } from './policy.ts';

export interface Io {
  readonly fs: FileSystem;
  readonly clock: Clock;
  readonly random: Random;
  readonly processes: Processes;
  readonly log: Log;
  readonly handlers: StageHandlers;
  readonly policy: Policy;
}
