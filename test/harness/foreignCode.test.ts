// The harness on code it did not write: published packages and test workloads, unmodified, each
// process in its own worker thread with node:fs, Date, timers and randomness simulated. Known real
// bugs are rediscovered, correct code passes, and a run that throws, is refused a call, hangs or tries
// to escape to the real disk fails loudly (never OK). Each workload is a module in
// test/fixtures/foreign/ or examples/.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exploreForeign, recordForeign } from '../../harness/foreign/exploreForeign.ts';
import { campaignForeign, runForeignPlan } from '../../harness/foreign/campaignForeign.ts';

const fixture = (name: string) => join('test', 'fixtures', 'foreign', `${name}.ts`);
const models = ['process-kill', 'lazyfs', 'pessimistic'] as const;

describe('foreign code under the explorer', () => {
  it('steno@4.0.2 loses data on power loss: it renames a file it never fsynced (found under lazyfs)', async () => {
    const result = await exploreForeign(fixture('replaceWithSteno'), { models });
    expect(result.workloadError).toBeUndefined();
    const finding = result.findings.find((f) => f.model === 'lazyfs');
    expect(finding?.message).toMatch(/write acknowledged, but after the crash data\.json is ""|data\.json is torn: ""/);
    expect(finding?.trace).toMatch(/rename .*\.data\.json\.tmp -> \/db\/data\.json = ok\n>>> lazyfs crash here/);
  });

  it('write-file-atomic@7.0.1 makes a rename that a power loss can undo: it never fsyncs the directory (found under pessimistic)', async () => {
    const result = await exploreForeign('examples/writeFileAtomicWorkload.ts', { models });
    expect(result.workloadError).toBeUndefined();
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.every((f) => f.model === 'pessimistic')).toBe(true);
    expect(result.findings[0]?.message).toBe('acknowledged save lost: "{\\"v\\":1}"');
  });

  it("this project's writeFileAtomic over its node:fs adapter, and a sync-only atomic replace, pass every crash state", async () => {
    for (const module of ['examples/referenceWorkload.ts', fixture('replaceSyncOnly')]) {
      const result = await exploreForeign(module, { models: [...models, 'subset'] });
      expect(result.workloadError).toBeUndefined();
      expect(result.findings).toEqual([]);
      expect(result.calls).toBeGreaterThanOrEqual(6);
    }
  });
});

describe('honest verdicts: a run is OK only if it ran to its end against the simulation', () => {
  it('a workload that throws fails with its error', async () => {
    expect((await exploreForeign(fixture('throwing'))).workloadError).toMatch(/the library blew up/);
  });

  it('a workload refused a call fails naming the call, even if it swallowed the error', async () => {
    expect((await exploreForeign(fixture('refusedSwallowed'))).workloadError).toMatch(
      /refused: watch is not supported by the simulation/,
    );
  });

  it('a workload waiting on nothing the simulation can deliver is a hang', async () => {
    expect((await exploreForeign(fixture('hanging'))).workloadError).toMatch(
      /WorkloadHang: hang: the workload waits on something outside the simulation/,
    );
  });

  it('a workload that tries every fs function on a real path outside the mount fails, and nothing appears on the real disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'durable-jobs-escape-'));
    process.env.DURABLE_JOBS_ESCAPE_DIR = dir;
    try {
      const { workloadError } = await recordForeign(fixture('escaping'), { seed: 1 });
      for (const call of [
        'writeFileSync',
        'appendFileSync',
        'mkdirSync',
        'openSync',
        'symlinkSync',
        'linkSync',
        'copyFileSync',
        'createWriteStream',
        'mkdtempSync',
        'truncateSync',
        'utimesSync',
        'rmSync',
        'cpSync',
        'existsSync',
        'readFileSync',
      ]) {
        expect(workloadError).toContain(`refused: ${call} `);
      }
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      delete process.env.DURABLE_JOBS_ESCAPE_DIR;
    }
  });
});

describe('what foreign code sees', () => {
  it("simulated time: Date, setTimeout, performance.now and file mtimes follow the world's clocks", async () => {
    const { events, workloadError } = await recordForeign(fixture('simulatedTime'), { seed: 1 });
    expect(workloadError).toBeUndefined();
    const { before, after, mtimeMs } = events[0]!.data as {
      before: { wall: number; mono: number };
      after: { wall: number; mono: number };
      mtimeMs: number;
    };
    expect(before.wall).toBe(1_800_000_000_000);
    expect(after.wall - before.wall).toBeGreaterThanOrEqual(60_000);
    expect(after.wall - before.wall).toBeLessThan(60_100);
    expect(after.mono - before.mono).toBeGreaterThanOrEqual(60_000);
    expect(Math.abs(mtimeMs - after.wall)).toBeLessThan(10);
  });

  it('the same seed gives the same trace (workers, timers and randomness are deterministic)', async () => {
    const first = await recordForeign(fixture('lockExclusiveCreate'), { seed: 4 });
    const second = await recordForeign(fixture('lockExclusiveCreate'), { seed: 4 });
    expect(second.opLines).toEqual(first.opLines);
    expect(first.opLines.length).toBeGreaterThan(10);
  });
});

describe('two processes: lock libraries can be judged', () => {
  it('a check-then-create lock is caught breaking mutual exclusion; an O_EXCL lock never is', async () => {
    const naive: string[] = [];
    const correct: string[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      naive.push((await recordForeign(fixture('lockCheckThenCreate'), { seed })).workloadError ?? '');
      correct.push((await recordForeign(fixture('lockExclusiveCreate'), { seed })).workloadError ?? '');
    }
    expect(
      naive.some((error) => /checkRun: process \d entered at \d+ ms while process \d was inside/.test(error)),
    ).toBe(true);
    expect(correct).toEqual(['', '', '', '', '', '']);
  });
});

describe('foreign code under a randomized campaign', () => {
  it('with short writes, write-file-atomic@7.0.1 renames a torn file into place (a single write call, its count ignored)', async () => {
    const { messages, trace } = await runForeignPlan('examples/writeFileAtomicWorkload.ts', {
      faults: [{ shortWritesMaxBytes: 1 }],
      crashAt: 10,
      model: 'process-kill',
      schedule: {},
    });
    expect(messages).toEqual(['torn config: "{"']);
    expect(trace).toMatch(
      /write \/db\/config\.json\.\d+ 1B@0 = 1\n[^]*rename \/db\/config\.json\.\d+ -> \/db\/config\.json = ok/,
    );
  });

  it('a plan replays exactly, and the reference survives a campaign of faults and crashes', async () => {
    const plan = { faults: [{ shortWritesMaxBytes: 1 }], crashAt: 10, model: 'process-kill' as const, schedule: {} };
    const first = await runForeignPlan('examples/writeFileAtomicWorkload.ts', plan);
    expect(await runForeignPlan('examples/writeFileAtomicWorkload.ts', plan)).toEqual(first);
    const reference = await campaignForeign('examples/referenceWorkload.ts', { runs: 15, seed: 3 });
    expect(reference.failure).toBeUndefined();
    expect(reference.runs).toBe(15);
  });
  it('chooses interleavings: the check-then-create lock fails under the campaign, the O_EXCL lock passes it', async () => {
    const naive = await campaignForeign(fixture('lockCheckThenCreate'), { runs: 10, seed: 2 });
    expect(naive.failure?.messages.join('\n')).toMatch(/entered at \d+ ms while process \d was inside/);
    const correct = await campaignForeign(fixture('lockExclusiveCreate'), { runs: 10, seed: 2 });
    expect(correct.failure).toBeUndefined();
  });

  it('pauses a process after its n-th call; a timer it sets afterwards still waits its whole delay', async () => {
    const schedule = { pauses: [{ processIndex: 0, afterCalls: 1, durationMs: 2_000 }] };
    const recording = await recordForeign(fixture('timerAfterPause'), { seed: 1, schedule });
    expect(recording.traceLines.join('\n')).toMatch(/paused for 2000ms[^]*write \/db\/b/);
    expect(recording.workloadError).toBeUndefined();
    expect(recording.events.find((e) => e.name === 'slept')?.data).toEqual({ forMs: 100 });
    // A timer already pending when the pause began is due when the call returns, and fires then.
    const during = await recordForeign(fixture('timerDuringPause'), { seed: 1, schedule });
    expect(during.workloadError).toBeUndefined();
    expect((during.events.find((e) => e.name === 'fired')?.data as { afterMs: number }).afterMs).toBeGreaterThanOrEqual(
      2_000,
    );
  });
});
