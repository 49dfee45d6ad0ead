// What the model campaign records of one step: the step, what the user saw of it, the wall-clock
// window it ran in, and the data root before and after it.
import type { SimFsCore } from '../simFs/simFsCore.ts';
import type { Snapshot } from '../simFs/snapshot.ts';
import type { CliOutcome } from '../world/cliProcess.ts';
import type { ModelStep } from './modelPlan.ts';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

export interface StepRecord {
  readonly index: number;
  readonly step: ModelStep;
  readonly answer: CliOutcome | HttpAnswer | undefined;
  /** The wall clock when the step began and when it ended. */
  readonly window: readonly [number, number];
  readonly before: Snapshot;
  readonly after: Snapshot;
  readonly core: SimFsCore;
}
