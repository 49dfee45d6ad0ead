// The human summary of a run report.
import type { RunReport } from './runReport.ts';

export function renderHuman(report: RunReport): string {
  const lines: string[] = [];
  if (report.scenarios.length > 0) {
    const passed = report.scenarios.filter((s) => s.ok).length;
    lines.push(`scenarios: ${passed}/${report.scenarios.length} passed`);
    for (const s of report.scenarios) lines.push(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.id.padEnd(28)} ${String(s.runs).padStart(4)} run(s) ${Math.round(s.elapsedMs)} ms`);
  }
  if (report.explore !== undefined) {
    const e = report.explore;
    lines.push(`explore: ${e.crashPoints} crash points, ${e.crashStates} crash states recovered and checked in ${(e.elapsedMs / 1000).toFixed(1)} s (${Math.round(e.crashStatesPerSecond)}/s)`);
  }
  if (report.chaos !== undefined) lines.push(`chaos: ${report.chaos.runs} randomized runs, ${report.chaos.crashes} crashes injected, ${(report.chaos.elapsedMs / 1000).toFixed(1)} s`);
  lines.push(`invariant checks: ${report.invariantChecks}; crash states: ${report.crashStates}; trace hash: ${report.traceHash.slice(0, 16)}`);
  if (report.violations.length === 0) {
    lines.push(`OK: no violation (seed ${report.seed}, ${(report.elapsedMs / 1000).toFixed(1)} s)`);
  } else {
    lines.push(`FAILED: ${report.violations.length} violation(s)`);
    const shown = report.violations.slice(0, 20);
    for (const v of shown) lines.push(`  [${v.invariant}] ${v.where}: ${v.message}`);
    if (report.violations.length > shown.length) lines.push(`  ... ${report.violations.length - shown.length} more (use --json)`);
    for (const command of report.replay) lines.push(`replay: ${command}`);
    for (const file of report.failureFiles) lines.push(`failure file: ${file}`);
    for (const file of report.traceFiles) lines.push(`trace: ${file}`);
  }
  return `${lines.join('\n')}\n`;
}
