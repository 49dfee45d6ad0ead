// What a user writes to test their own code (or a library) in the simulation: a module whose default
// export is a ForeignWorkload. Each of its `processes` runs `run` in its own worker thread (its own
// module graph, node:fs and clocks simulated); `check` judges every crash state, `checkRun` the run.

export interface ForeignContext {
  /** Where the simulated filesystem is mounted: every path the workload uses starts with it. */
  readonly mount: string;
  /** This process's index, 0..processCount-1. */
  readonly processIndex: number;
  readonly processCount: number;
  /** Marks what the workload has been told is done: a check may demand that it survive any crash. */
  ack(label: string): void;
  /** Records an event (with the simulated wall and monotonic time) for the checks. */
  event(name: string, data?: unknown): void;
}

export interface ForeignEvent {
  readonly processIndex: number;
  readonly name: string;
  readonly data: unknown;
  readonly wallMs: number;
  readonly monoMs: number;
}

/** A seeded file: its text, or its text and mtime. */
export type SeededFile = string | { readonly text: string; readonly mtimeMs?: number };

export interface CrashView {
  /** The file's content in this crash state (a mount path or a simulated path), or undefined. */
  read(path: string): string | undefined;
  /** Names in a directory, sorted, or undefined if it is not a directory. */
  list(path: string): string[] | undefined;
  kind(path: string): 'file' | 'dir' | 'symlink' | undefined;
}

export interface ForeignWorkload {
  readonly name: string;
  /** Files present and durable before the workload starts (simulated paths, e.g. `/db/data.json`). */
  readonly files?: Readonly<Record<string, SeededFile>>;
  /** Directories present and durable before the workload starts. */
  readonly dirs?: readonly string[];
  /** How many processes run `run` at once (default 1). */
  readonly processes?: number;
  readonly run: (ctx: ForeignContext) => Promise<void>;
  /** Problems with one crash state, given what had been acknowledged (and the events logged) by then. */
  readonly check: (state: CrashView, acked: ReadonlySet<string>, events: readonly ForeignEvent[]) => string[];
  /** Problems with the whole run, crash or not (e.g. two processes inside a critical section at once). */
  readonly checkRun?: (events: readonly ForeignEvent[], state: CrashView) => string[];
}
