// JUnit XML for CI: one test case per scenario, one for exploration, one for the chaos campaign.
import type { RunReport } from './runReport.ts';

/**
 * What XML 1.0 forbids in a document (its Char production): C0 controls other than tab, LF and CR,
 * surrogates that are not half of a pair, and U+FFFE, U+FFFF. A violation message can carry any of
 * them (a file's bytes, a stage's error text, ANSI colour codes), and one of them makes the whole
 * report unreadable to a CI server's parser.
 */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Text for an XML attribute or element: forbidden code points shown as `\uXXXX`, markup and quotes escaped. */
function escapeXml(text: string, where: 'attribute' | 'text'): string {
  const legal = text.replace(NOT_XML, (char) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  // In an attribute a parser turns tab, LF and CR into spaces; as character references they survive.
  return legal.replace(where === 'attribute' ? /[&<>"'\t\n\r]/g : /[&<>"'\r]/g, (char) => ENTITIES[char]!);
}

const escape = (text: string) => escapeXml(text, 'attribute');

export function renderJunit(report: RunReport): string {
  const cases: string[] = [];
  const failuresFor = (prefix: string) => report.violations.filter((v) => v.where.startsWith(prefix));
  const testCase = (name: string, seconds: number, prefix: string) => {
    const failures = failuresFor(prefix);
    const body =
      failures.length === 0
        ? ''
        : `<failure message="${escape(`${failures.length} violation(s)`)}">${escapeXml(failures.map((f) => `[${f.invariant}] ${f.where}: ${f.message}`).join('\n'), 'text')}</failure>`;
    cases.push(
      `    <testcase classname="durable-jobs" name="${escape(name)}" time="${seconds.toFixed(3)}">${body}</testcase>`,
    );
  };
  for (const s of report.scenarios) testCase(`scenario ${s.id}`, s.elapsedMs / 1000, `scenario:${s.id}`);
  if (report.explore !== undefined) testCase('explore', report.explore.elapsedMs / 1000, 'explore:');
  if (report.chaos !== undefined) testCase('chaos', report.chaos.elapsedMs / 1000, 'chaos:');
  const failed = cases.filter((c) => c.includes('<failure')).length;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="durable-jobs chaos" tests="${cases.length}" ` +
    `failures="${failed}" time="${(report.elapsedMs / 1000).toFixed(3)}">\n  <testsuite name="durable-jobs" ` +
    `tests="${cases.length}" failures="${failed}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`
  );
}
