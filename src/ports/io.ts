// The one `io` object every runtime function takes first. Composition roots build it:
// src/adapters/systemIo.ts for production (the CLI, the HTTP server and the Next.js route use it; a
// user may bind their own Policy on top) and harness/world for simulation.
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
