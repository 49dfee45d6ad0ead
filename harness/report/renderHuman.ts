// The human summary of a run report.
import type { RunReport } from './runReport.ts';
import { INVARIANT_TITLES, type InvariantId } from '../invariants/violation.ts';

type Paint = { ok: (s: string) => string; bad: (s: string) => string; dim: (s: string) => string };
const plain: Paint = { ok: (s) => s, bad: (s) => s, dim: (s) => s };

function scenarioLines(report: RunReport, paint: Paint): string[] {
  if (report.scenarios.length === 0) return [];
  const passed = report.scenarios.filter((s) => s.ok).length;
  return [
    `scenarios: ${passed}/${report.scenarios.length} passed`,
    ...report.scenarios.map(
      (s) =>
        `  ${s.ok ? paint.ok('ok  ') : paint.bad('FAIL')} ${s.id.padEnd(28)} ${String(s.runs).padStart(4)} ` +
        `run(s) ${paint.dim(`${Math.round(s.elapsedMs)} ms`)}`,
    ),
  ];
}

export function renderHuman(report: RunReport, paint: Paint = plain): string {
  const lines: string[] = scenarioLines(report, paint);
  if (report.explore !== undefined) {
    const e = report.explore;
    lines.push(
      `explore: ${e.crashPoints} crash points, ${e.crashStates} crash states recovered and checked ` +
        `in ${(e.elapsedMs / 1000).toFixed(1)} s (${Math.round(e.crashStatesPerSecond)}/s)`,
    );
  }
  if (report.productionExplore !== undefined) {
    const p = report.productionExplore;
    lines.push(
      `explore through the jobs CLI: ${p.crashPoints} crash points, ${p.crashStates} crash states in ` +
        `${(p.elapsedMs / 1000).toFixed(1)} s`,
    );
  }
  if (report.operations !== undefined) {
    const o = report.operations;
    lines.push(
      `operations: ${o.workloads.length} workloads (${o.workloads.join(', ')}), ${o.crashPoints} ` +
        `crash points, ${o.crashStates} crash states checked in ${(o.elapsedMs / 1000).toFixed(1)} s`,
    );
  }
  if (report.faults !== undefined) {
    const f = report.faults;
    lines.push(
      `fault, then crash: ${f.faultPoints} fault points (EIO, ENOSPC, fsync EIO, short write), ${f.crashStates} ` +
        `later crash states checked in ${(f.elapsedMs / 1000).toFixed(1)} s`,
    );
  }
  if (report.crashCycles !== undefined) {
    const c = report.crashCycles;
    lines.push(
      `crash cycles: ${c.sequences} sequences, ${c.crashes} passes killed one after another, ` +
        `in ${(c.elapsedMs / 1000).toFixed(1)} s`,
    );
  }
  if (report.chaos !== undefined)
    lines.push(
      `chaos: ${report.chaos.runs} randomized runs (${report.chaos.productionRuns} through the jobs CLI, ` +
        `${report.chaos.longHoldRuns} of long lock holds), ` +
        `${report.chaos.crashes} crashes injected, ` +
        `${(report.chaos.elapsedMs / 1000).toFixed(1)} s`,
    );
  if (report.model !== undefined)
    lines.push(
      `model: ${report.model.runs} user sessions through the jobs CLI and jobs serve (${report.model.steps} steps), ` +
        `${report.model.checks} answers and states judged against the reference model, ` +
        `${(report.model.elapsedMs / 1000).toFixed(1)} s`,
    );
  lines.push(
    `invariant checks: ${report.invariantChecks}; crash states: ${report.crashStates}; ` +
      `trace hash: ${report.traceHash.slice(0, 16)}`,
  );
  lines.push('violations by invariant:', ...violationCounts(report, paint));
  if (report.violations.length === 0) {
    lines.push(paint.ok(`OK: no violation (seed ${report.seed}, ${(report.elapsedMs / 1000).toFixed(1)} s)`));
  } else {
    lines.push(paint.bad(`FAILED: ${report.violations.length} violation(s)`));
    const shown = report.violations.slice(0, 20);
    for (const v of shown) lines.push(`  [${v.invariant}] ${v.where}: ${v.message}`);
    if (report.violations.length > shown.length)
      lines.push(`  ... ${report.violations.length - shown.length} more (use --json)`);
    for (const command of report.replay) lines.push(`replay: ${command}`);
    for (const file of report.failureFiles) lines.push(`failure file: ${file}`);
    for (const file of report.traceFiles) lines.push(`trace: ${file}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One line per invariant (then scenario expectations and workload checks): how many violations. */
function violationCounts(report: RunReport, paint: Paint): string[] {
  const others = [...new Set(report.violations.map((v) => v.invariant))].filter(
    (id) => !(id in INVARIANT_TITLES) && id !== 'expect',
  );
  return [...(Object.keys(INVARIANT_TITLES) as InvariantId[]), 'expect', ...others].map((id) => {
    const count = report.violations.filter((v) => v.invariant === id).length;
    const title =
      id === 'expect'
        ? 'scenario expectations'
        : id in INVARIANT_TITLES
          ? INVARIANT_TITLES[id as InvariantId]
          : "the workload's own check";
    const shown = String(count).padStart(3);
    return `  ${count === 0 ? paint.ok(shown) : paint.bad(shown)}  ${id.padEnd(6)} ${paint.dim(title)}`;
  });
}
