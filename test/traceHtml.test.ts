// The failure picture: a failing run (an unfenced owner committing after its lock was taken over)
// rendered as a self-contained HTML timeline with lanes, the pause, the violation and the files.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../harness/scenarios/runScenario.ts';
import { renderTraceHtml } from '../harness/report/renderTraceHtml.ts';
import { parseTrace } from '../harness/report/traceModel.ts';
import { unfencedCommits } from '../harness/bugs/fsBugs.ts';
import pausedOwnerFenced from '../scenarios/pausedOwnerFenced.ts';

describe('trace picture', () => {
  it('draws every call of every process, the pause, and names the violated invariant and file', async () => {
    const result = await runScenario(pausedOwnerFenced, { seed: 1, variant: { decorate: [unfencedCommits] } });
    expect(result.ok).toBe(false);
    const html = renderTraceHtml({ title: 'paused-owner-fenced', trace: result.trace, violations: result.violations, replay: 'npm run chaos -- scenarios --only paused-owner-fenced' });
    const ops = parseTrace(result.trace).filter((i) => i.kind === 'op');
    expect(ops.length).toBeGreaterThan(100);
    expect(html.match(/<rect class="op/g)).toHaveLength(ops.length);
    expect(html).toMatch(/<path class="paused"/);
    expect(html).toMatch(/<b>I4<\/b> p\d+ \(paused\) committed/);
    expect(html).toMatch(/Files involved: <code>\/data\/jobs\/j1\//);
    expect(html).toMatch(/<text x="4" y="\d+" class="lane">p\d+ paused<\/text>/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});
