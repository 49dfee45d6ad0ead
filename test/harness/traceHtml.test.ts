// The failure picture: a failing run (an unfenced owner committing after its lock was taken over)
// rendered as a self-contained HTML timeline with lanes, the pause, the violation and the files.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../harness/scenarioRunner/runScenario.ts';
import { renderTraceHtml } from '../../harness/report/renderTraceHtml.ts';
import { parseTrace } from '../../harness/report/traceModel.ts';
import { unfencedCommits } from '../../harness/bugs/fsBugs.ts';
import pausedOwnerFenced from '../../scenarios/pausedOwnerFenced.ts';
import { runChaosPlan } from '../../harness/chaos/runChaosPlan.ts';
import type { ChaosPlan } from '../../harness/chaos/chaosPlan.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';

describe('trace picture', () => {
  it('draws every call of every process, the pause, and names the violated invariant and file', async () => {
    const result = await runScenario(pausedOwnerFenced, { seed: 1, variant: { decorate: [unfencedCommits] } });
    expect(result.ok).toBe(false);
    const html = renderTraceHtml({
      title: 'paused-owner-fenced',
      trace: result.trace,
      violations: result.violations,
      replay: 'npm run chaos -- scenarios --only paused-owner-fenced',
    });
    const ops = parseTrace(result.trace).filter((i) => i.kind === 'op');
    expect(ops.length).toBeGreaterThan(100);
    expect(html.match(/<rect class="op/g)).toHaveLength(ops.length);
    expect(html).toMatch(/<path class="paused"/);
    expect(html).toMatch(/<b>I4<\/b> p\d+ \(paused\) committed/);
    expect(html).toMatch(/Files involved: <code>\/data\/jobs\/j1\//);
    expect(html).toMatch(/<text x="4" y="\d+" class="lane">p\d+ paused<\/text>/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it("keeps each world's processes apart, and draws injected faults, crash points, outcomes and the failed-call key", () => {
    const trace = [
      't=1 p100 spawn first',
      '#0 t=2 p100 open /data/jobs/j1/.tmp-a wx = ok',
      't=3 p100 fault errno-EIO on write /data/jobs/j1/.tmp-a',
      '#1 t=4 p100 rename /data/jobs/j1/.tmp-a -> /data/jobs/j1/state.json = EIO',
      't=5 p100 log job.retry_scheduled {"jobId":"j1"}',
      't=6 p100 killed (SIGKILL) after 2 ops',
      '--- recovery ---',
      't=7 p100 spawn recovery-1',
      '#0 t=8 p100 readFile /data/jobs/j1/state.json = ok',
      't=9 p100 log job.complete {"jobId":"j1"}',
      '>>> lazyfs crash here (before call 3)',
    ].join('\n');
    const html = renderTraceHtml({ title: 't', trace, violations: [] });
    expect(html).toMatch(/class="lane">p100 first<\/text>/);
    expect(html).toMatch(/class="lane">p100 recovery-1 \(recovery\)<\/text>/);
    // The kill is drawn on the first world's lane (y 4), not on the recovery's (y 38).
    expect(html).toMatch(/<path class="killed" d="M\d+ 4 /);
    expect(html).toMatch(
      /<path class="fault" d="M\d+ 4 [^"]*" fill="#e040fb"><title>t=3 p100 fault errno-EIO on write/,
    );
    expect(html).toMatch(/<rect class="op failed"[^>]*fill="#e040fb" stroke="#000"/);
    expect(html.match(/<circle class="event"/g)).toHaveLength(2);
    expect(html).toMatch(/<line class="world"[^>]*stroke="#000"[^>]*><title>lazyfs crash here \(before call 3\)/);
    expect(html).toMatch(/<i style="background:#e040fb"><\/i>failed call/);
  });

  it("a chaos run's trace names every injected fault where it struck", async () => {
    const plan: ChaosPlan = {
      jobs: [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }],
      processes: [
        {
          name: 'p0',
          task: 'pass' as const,
          startAfterMs: 0,
          faults: [{ errno: 'EIO' as const, trigger: { op: 'rename' as const, nth: 2 } }],
          upstream: [],
        },
      ],
      clockSteps: [],
      choices: [],
    };
    const result = await runChaosPlan(plan, simConfig());
    expect(result.trace).toMatch(/^t=\d+ p100 fault errno-EIO on rename \/data\/\S+$/m);
    expect(renderTraceHtml({ title: 't', trace: result.trace, violations: [] })).toMatch(/<path class="fault"/);
  });
});
