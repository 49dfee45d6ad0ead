// The model-based campaign (I9): quiet on the correct runtime over many sessions and seeds, the same
// trace for the same seed, and able to fail: a hand-written session shows a known-bad answer caught.
import { describe, expect, it } from 'vitest';
import { runModelCampaign } from '../../harness/model/modelCampaign.ts';
import { runModelPlan } from '../../harness/model/runModelPlan.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import { patchedRuntime } from '../../harness/bugs/patchedRuntime.ts';
import { patch } from '../../harness/bugs/zooPatch.ts';
import { exportMarkupProblem } from '../../harness/invariants/exportMarkup.ts';
import type { ModelPlan } from '../../harness/model/modelPlan.ts';

const SESSION: ModelPlan = {
  upstream: true,
  envs: [{ TZ: 'UTC', LANG: 'C' }],
  maxJobs: 10_000,
  steps: [
    { kind: 'enqueue', jobId: 'a', sessionId: 's1', input: 'markup.txt' },
    { kind: 'enqueue', jobId: 'a', sessionId: 's1', input: 'talk.srt' },
    { kind: 'enqueue', jobId: 'b', sessionId: 's2', input: 'song.mp3' },
    { kind: 'http', method: 'HEAD', route: 'runner', jobId: 'a', credential: 'correct', upstream: [] },
    { kind: 'http', method: 'GET', route: 'job', jobId: 'a', credential: 'longer', upstream: [] },
    { kind: 'run', upstream: [{ jobId: '*', answer: 'unavailable' }] },
    { kind: 'advance', ms: 70_000 },
    { kind: 'http', method: 'POST', route: 'runner', jobId: 'a', credential: 'correct', upstream: [] },
    { kind: 'http', method: 'GET', route: 'export', jobId: 'a', credential: 'correct-lowercase-scheme', upstream: [] },
    { kind: 'http', method: 'POST', route: 'retry', jobId: 'b', credential: 'correct', upstream: [] },
    { kind: 'status' },
    { kind: 'delete', jobId: 'a' },
    { kind: 'advance', ms: 4_000_000 },
    { kind: 'purge' },
    { kind: 'status', jobId: 'a' },
  ],
};

describe('model-based campaign (I9)', () => {
  it('a hand-written session on the correct runtime: every judgement passes, and there are many', async () => {
    const result = await runModelPlan(SESSION, simConfig(), 1);
    expect(result.violations).toEqual([]);
    expect(result.checks).toBeGreaterThan(150);
  });

  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed} × 200 sessions: no violation on the correct runtime`, async () => {
      const result = await runModelCampaign({ seed, runs: 200, config: simConfig() });
      expect(result.failure?.result.violations ?? []).toEqual([]);
      expect(result.runs).toBe(200);
      expect(result.checks).toBeGreaterThan(200 * 50);
    });
  }

  it('same seed, same sessions, same traces', async () => {
    const hashes = async () => {
      const seen: string[] = [];
      await runModelCampaign({ seed: 9, runs: 20, config: simConfig(), onRun: (_i, r) => seen.push(r.traceHash) });
      return seen;
    };
    expect(await hashes()).toEqual(await hashes());
  });

  it('catches a secret check that lets the secret plus a suffix through, in the hand-written session', async () => {
    const runtime = await patchedRuntime([
      patch('http/constantTimeEqual.ts', 'let diff = a.length ^ b.length;', 'let diff = 0;'),
    ]);
    const result = await runModelPlan(SESSION, simConfig(), 1, { runtime });
    expect(result.violations[0]?.invariant).toBe('I9');
    expect(result.violations[0]?.message).toMatch(/credential":"longer".*expected HTTP 401; got 200/);
  });

  it('the export markup check refuses user markup, a second heading, a raw < or &', () => {
    const frame = (body: string) =>
      `<!doctype html>\n<html lang="en">\n<meta charset="utf-8">\n<title>t</title>\n<body>\n<h1>T</h1>\n${body}\n</body>\n</html>\n`;
    expect(exportMarkupProblem(frame('<p><em>by</em></p>\n<p>a &amp; b &lt; c</p>'))).toBeUndefined();
    expect(exportMarkupProblem(frame('<p><script>x</script></p>'))).toMatch(/<script>/);
    expect(exportMarkupProblem(frame('<h1>user</h1>'))).toMatch(/2 headings/);
    expect(exportMarkupProblem(frame('<p>5 < 6</p>'))).toMatch(/raw "<"/);
    expect(exportMarkupProblem(frame('<p>a & b</p>'))).toMatch(/raw "&"/);
  });
});
