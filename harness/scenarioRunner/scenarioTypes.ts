// The data a scenario is made of. A scenario file in scenarios/ is one object of this shape: which
// jobs exist, which processes run with which faults, where they are killed or paused, what the world
// does to the clock or the power, and what must hold afterwards. harness/scenarioRunner/runScenario.ts
// interprets it; nothing in a scenario file is code that the harness cannot show, replay or report.
import type { LogEventName } from '../../src/ports/log.ts';
import type { JobStatus, JobStage } from '../../src/jobState.ts';
import type { OpName } from '../simFs/simFs.ts';
import type { FaultTrigger } from '../faults/faultRule.ts';
import type { FaultErrno } from '../faults/errnoFault.ts';
import type { UpstreamFault } from '../faults/upstreamFault.ts';
import type { JobSpec } from '../workload/jobSpec.ts';
import type { InvariantId } from '../invariants/violation.ts';

/** Where a process is stopped: the n-th call matching op/path, or the n-th call after an event. */
export interface CallPoint {
  readonly op?: OpName | readonly OpName[];
  readonly pathIncludes?: string;
  readonly nth?: number;
  readonly afterEvent?: {
    readonly event: LogEventName;
    readonly stage?: string;
    readonly jobId?: string;
    readonly callsLater?: number;
  };
  /** Before the call runs, or just after it returned. */
  readonly when?: 'before' | 'after';
}

export type PausePoint = CallPoint & { readonly durationMs: number };

export type FaultSpec =
  | { readonly errno: FaultErrno; readonly trigger: FaultTrigger }
  | { readonly diskQuotaBytes: number }
  | { readonly fsyncEio: FaultTrigger }
  | { readonly slowMs: number; readonly trigger: FaultTrigger }
  | { readonly shortWritesMaxBytes: number };

export type Task =
  'pass' | 'dueJobs' | 'purge' | { readonly delete: string } | { readonly retry: string } | { readonly rerun: string };

export interface ProcessSpec {
  readonly name: string;
  readonly task: Task;
  readonly faults?: readonly FaultSpec[];
  /** Sessions this process works on at once (runner `--concurrency`). */
  readonly concurrency?: number;
  readonly upstream?: readonly UpstreamFault[];
  /** Transcribe through the real HTTP adapter to a simulated service (faults become HTTP answers). */
  readonly upstreamViaHttp?: boolean;
  readonly killAt?: CallPoint;
  readonly pauseAt?: PausePoint | readonly PausePoint[];
  /** Start this much simulated time after the step runs, concurrently with what is running. */
  readonly startAfterMs?: number;
  /** Start when any process logs this event (e.g. while the runner is paused right after it). */
  readonly startOnEvent?: { readonly event: LogEventName; readonly stage?: string; readonly jobId?: string };
}

export interface JobExpectation {
  readonly status?: JobStatus;
  readonly stage?: JobStage;
  readonly attempts?: number;
  readonly errorKind?: 'transient' | 'permanent' | null;
  readonly errorMatches?: string;
}

export interface EventExpectation {
  readonly event: LogEventName;
  readonly jobId?: string;
  readonly stage?: string;
  readonly process?: string;
  /** Exact count; default "at least one". */
  readonly count?: number;
}

export interface Expectation {
  readonly jobs?: Readonly<Record<string, JobExpectation>>;
  readonly noTmp?: boolean;
  readonly noLocks?: boolean;
  /** Complete jobs' artifacts are byte-equal to the fault-free run (I1). */
  readonly goldenArtifacts?: boolean;
  /** Nothing in these jobs' directories changed since the mark, mtimes included. */
  readonly unchangedSince?: { readonly mark: string; readonly jobs: readonly string[] };
  readonly events?: readonly EventExpectation[];
  readonly noEvents?: readonly EventExpectation[];
  /** Exact contents of files (absolute paths); null: must not exist. */
  readonly files?: Readonly<Record<string, string | null>>;
  /** Files that must exist (relative to the data root). */
  readonly present?: readonly string[];
  /** Files that must not exist (relative to the data root). */
  readonly absent?: readonly string[];
  /** The last purge report, field by field. */
  readonly purge?: Readonly<Record<string, number>>;
  /** Run these whole-state invariant checks too (I2 on the current state, I3 convergence). */
  readonly invariants?: readonly InvariantId[];
  /** A process's own outcome: `ok`, or a pattern its error must match (it is then not a violation). */
  readonly processes?: Readonly<Record<string, string>>;
}

export type Step =
  | { readonly spawn: ProcessSpec }
  | { readonly advanceMs: number }
  /** Step the wall clock; with `atMs`, while the processes spawned so far run (that many ms from now). */
  | { readonly stepWallClockMs: number; readonly atMs?: number }
  | { readonly powerLoss: 'lazyfs' | 'pessimistic' }
  | { readonly freeDisk: true }
  | { readonly mark: string }
  | { readonly expect: Expectation }
  /** Disk corruption or a foreign tool: truncate a file (path relative to the data root). */
  | { readonly corrupt: { readonly path: string; readonly keepBytes: number } }
  /** Someone removes a file (path relative to the data root). */
  | { readonly remove: string }
  /** Someone plants a symlink (absolute paths; the target may lie outside the data root). */
  | { readonly plantSymlink: { readonly path: string; readonly target: string } }
  /** A file outside the runtime's control (absolute path), e.g. the target of a planted symlink. */
  | { readonly writeFile: { readonly path: string; readonly text: string } };

/** Run the scenario once per matching call of one process in its fault-free run, killing it there. */
export interface Sweep {
  readonly process: string;
  readonly op?: OpName | readonly OpName[];
  readonly pathIncludes?: string;
  readonly when: readonly ('before' | 'after')[];
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** What in the plan this proves: a failure-mode row, an acceptance check, or a design requirement. */
  readonly proves: string;
  readonly jobs: readonly JobSpec[];
  readonly steps: readonly Step[];
  readonly sweep?: Sweep;
}

export function scenario(definition: Scenario): Scenario {
  return definition;
}
