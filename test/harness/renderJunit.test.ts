// The JUnit report stays well-formed XML 1.0 whatever a violation message or a scenario id carries:
// code points XML forbids (C0 controls, lone surrogates, U+FFFE/U+FFFF) are shown as \uXXXX, markup
// and quotes are escaped, and the text reads back to the message with only those code points replaced.
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../harness/report/renderJunit.ts';
import { emptyReport, type RunReport } from '../../harness/report/runReport.ts';

/** XML 1.0's Char production, negated: what must never appear in the document. */
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+);/g;
const ATTRIBUTE = /\s+[a-z]+="([^"<]*)"/g;
const TAG = /<(\/?)([a-z]+)((?:\s+[a-z]+="[^"<]*")*)\s*>/g;

/** A well-formedness check for the report's shape: balanced tags, attribute values and text with no markup and only known entities. */
function wellFormed(xml: string): void {
  expect(xml).not.toMatch(FORBIDDEN);
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const open: string[] = [];
  let at = 0;
  for (const tag of body.matchAll(TAG)) {
    checkText(body.slice(at, tag.index));
    for (const attribute of tag[3]!.matchAll(ATTRIBUTE)) checkText(attribute[1]!);
    if (tag[1] === '/') expect(open.pop()).toBe(tag[2]);
    else open.push(tag[2]!);
    at = tag.index + tag[0].length;
  }
  checkText(body.slice(at));
  expect(open).toEqual([]);
}

function checkText(text: string): void {
  expect(text.replace(ENTITY, '')).not.toMatch(/[<>&"]/);
}

const decode = (text: string) =>
  text.replace(ENTITY, (entity) => {
    const named: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
    return named[entity] ?? String.fromCodePoint(Number(entity.slice(2, -1)));
  });

const NASTY =
  'nul\u0000 bell\u0007 esc\u001b[31m vt\u000b ff\u000c lone-high\uD800x lone-low\uDC00 pair\u{1F600} fffe\uFFFE ffff\uFFFF tab\t cr\r & < > " \'';
const SHOWN =
  'nul\\u0000 bell\\u0007 esc\\u001B[31m vt\\u000B ff\\u000C lone-high\\uD800x lone-low\\uDC00 pair\u{1F600} fffe\\uFFFE ffff\\uFFFF tab\t cr\r & < > " \'';

function nastyReport(): RunReport {
  const id = `odd\u0001"id'<&>`;
  return {
    ...emptyReport(1),
    ok: false,
    scenarios: [
      { id, title: 't', ok: false, runs: 1, elapsedMs: 12 },
      { id: 'clean', title: 'c', ok: true, runs: 1, elapsedMs: 3 },
    ],
    violations: [{ invariant: 'I2', where: `scenario:${id}`, message: NASTY }],
    explore: { crashPoints: 1, crashStates: 1, elapsedMs: 5, crashStatesPerSecond: 200 },
  };
}

describe('renderJunit', () => {
  it('writes well-formed XML 1.0 when a failure message and a test name carry forbidden code points and markup', () => {
    const xml = renderJunit(nastyReport());
    wellFormed(xml);
    expect(xml).toContain('name="scenario odd\\u0001&quot;id&apos;&lt;&amp;&gt;"');
    expect(xml).toContain('&amp; &lt; &gt; &quot; &apos;');
    expect(xml).toMatch(/<testsuites [^>]*tests="3" failures="1"/);
  });

  it('keeps everything else of the message: the failure text reads back to it with only forbidden code points replaced', () => {
    const xml = renderJunit(nastyReport());
    const failure = /<failure message="([^"]*)">([^<]*)<\/failure>/.exec(xml);
    expect(decode(failure![1]!)).toBe('1 violation(s)');
    expect(decode(failure![2]!)).toBe(`[I2] scenario:odd\\u0001"id'<&>: ${SHOWN}`);
    // A CR in element text would be read back as LF; as a character reference it survives.
    expect(failure![2]).toContain('cr&#13;');
  });

  it('keeps tab, LF and CR of an attribute as character references (a parser would turn them into spaces)', () => {
    const xml = renderJunit({
      ...emptyReport(1),
      scenarios: [{ id: 'a\tb\nc\rd', title: 't', ok: true, runs: 1, elapsedMs: 1 }],
    });
    wellFormed(xml);
    expect(xml).toContain('name="scenario a&#9;b&#10;c&#13;d"');
  });
});
