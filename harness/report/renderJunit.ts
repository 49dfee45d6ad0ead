// JUnit XML for CI: one test case per scenario, one for exploration, one for the chaos campaign.
import type { RunReport } from './runReport.ts';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderJunit(report: RunReport): string {
  const cases: string[] = [];
  const failuresFor = (prefix: string) => report.violations.filter((v) => v.where.startsWith(prefix));
  const testCase = (name: string, seconds: number, prefix: string) => {
    const failures = failuresFor(prefix);
    const body = failures.length === 0 ? '' : `<failure message="${escape(`${failures.length} violation(s)`)}">${escape(failures.map((f) => `[${f.invariant}] ${f.where}: ${f.message}`).join('\n'))}</failure>`;
    cases.push(`    <testcase classname="durable-jobs" name="${escape(name)}" time="${seconds.toFixed(3)}">${body}</testcase>`);
  };
  for (const s of report.scenarios) testCase(`scenario ${s.id}`, s.elapsedMs / 1000, `scenario:${s.id}`);
  if (report.explore !== undefined) testCase('explore', report.explore.elapsedMs / 1000, 'explore:');
  if (report.chaos !== undefined) testCase('chaos', report.chaos.elapsedMs / 1000, 'chaos:');
  const failed = cases.filter((c) => c.includes('<failure')).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="durable-jobs chaos" tests="${cases.length}" failures="${failed}" time="${(report.elapsedMs / 1000).toFixed(3)}">\n  <testsuite name="durable-jobs" tests="${cases.length}" failures="${failed}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}
