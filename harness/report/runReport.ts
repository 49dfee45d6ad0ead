// What one `npm run chaos` invocation found, as data. Renderers (human, JSON, JUnit) read this and
// nothing else.
export interface ReportViolation {
  readonly invariant: string;
  readonly message: string;
  /** Where it was found: `scenario:<id>` (+ run), `explore:<crash point>`, or `chaos:seed=<S> path=<P>`. */
  readonly where: string;
  readonly path?: string;
}

export interface ScenarioSummary {
  readonly id: string;
  readonly title: string;
  readonly ok: boolean;
  readonly runs: number;
  readonly elapsedMs: number;
}

export interface RunReport {
  ok: boolean;
  seed: number;
  /** Simulated runs: scenario runs + crash states recovered + chaos runs. */
  runs: number;
  crashStates: number;
  invariantChecks: number;
  violations: ReportViolation[];
  traceHash: string;
  scenarios: ScenarioSummary[];
  explore?: { crashPoints: number; crashStates: number; elapsedMs: number; crashStatesPerSecond: number };
  /** The same exploration with the pass run as `jobs run` through the CLI (the production root). */
  productionExplore?: { crashPoints: number; crashStates: number; elapsedMs: number };
  /** The user-facing operations (enqueue, retry, delete, purge, HTTP routes), each crash-explored. */
  operations?: { workloads: string[]; crashPoints: number; crashStates: number; elapsedMs: number };
  /** Fault, then crash: fault points injected into the pass, each followed by every later crash point. */
  faults?: { faultPoints: number; crashStates: number; elapsedMs: number };
  /** Repeated crash/recover cycles: passes killed one after another, leftovers judged (I5), then recovered. */
  crashCycles?: { sequences: number; crashes: number; elapsedMs: number };
  /**
   * `productionRuns` of the runs went through the production root (the jobs CLI over a simulated
   * machine), `longHoldRuns` were drawn by the long-hold generator.
   */
  chaos?: { runs: number; productionRuns: number; longHoldRuns: number; crashes: number; elapsedMs: number };
  /** The model-based campaign: user sessions, their steps, and the judgements I9 made of what they saw. */
  model?: { runs: number; steps: number; checks: number; elapsedMs: number };
  replay: string[];
  failureFiles: string[];
  traceFiles: string[];
  elapsedMs: number;
}

export function emptyReport(seed: number): RunReport {
  return {
    ok: true,
    seed,
    runs: 0,
    crashStates: 0,
    invariantChecks: 0,
    violations: [],
    traceHash: '',
    scenarios: [],
    replay: [],
    failureFiles: [],
    traceFiles: [],
    elapsedMs: 0,
  };
}

/** Adds explorer violations to the report, each found at `explore:<crash point>`. */
export function addExploreViolations(
  report: RunReport,
  violations: readonly { invariant: string; message: string; crashPoint: string; path?: string }[],
): void {
  for (const v of violations)
    report.violations.push({
      invariant: v.invariant,
      message: v.message,
      where: `explore:${v.crashPoint}`,
      ...(v.path ? { path: v.path } : {}),
    });
}
