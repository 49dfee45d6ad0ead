// The verdicts of docs/ecosystem.md, kept honest: each studied package, unmodified, runs to its end
// under the simulation (nothing refused, nothing thrown), and the explorer or the shrunk campaign
// plan the study prints finds exactly the class of failure the study reports.
import { describe, expect, it } from 'vitest';
import { exploreForeign, type ForeignModel } from '../../harness/foreign/exploreForeign.ts';
import { runForeignPlan } from '../../harness/foreign/campaignForeign.ts';

const models: ForeignModel[] = ['process-kill', 'lazyfs', 'pessimistic'];
const workload = (name: string) => `examples/ecosystem/${name}.ts`;

/** The models under which the explorer finds a problem, and the first message under each. */
async function verdict(name: string): Promise<Record<string, string>> {
  const result = await exploreForeign(workload(name), { models });
  expect(result.workloadError, name).toBeUndefined();
  const first: Record<string, string> = {};
  for (const f of result.findings) first[f.model] ??= f.message;
  return first;
}

describe('the ecosystem study, as docs/ecosystem.md reports it', () => {
  it('steno, lowdb and node-json-db (defaults) leave an empty file after a LazyFS power loss', async () => {
    for (const name of ['steno', 'lowdb', 'nodeJsonDb']) {
      const found = await verdict(name);
      expect(found.lazyfs, name).toMatch(/acknowledged save lost: \/db\/\w+\.json holds ""/);
      expect(found['process-kill'], name).toBeUndefined();
    }
  });

  it('atomically and configstore are atomic but an acknowledged save is undone by a pessimistic power loss', async () => {
    for (const name of ['atomically', 'configstore']) {
      const found = await verdict(name);
      expect(Object.keys(found), name).toEqual(['pessimistic']);
      expect(found.pessimistic, name).toMatch(/acknowledged save lost: .* holds "\{\\"v\\":1\}"/);
    }
  });

  it('fs-extra outputJson leaves an empty file when the process is killed mid-save', async () => {
    expect((await verdict('fsExtra'))['process-kill']).toBe('torn or missing /db/settings.json: ""');
  });

  it('nedb never loses the stored document (crash-safe compaction) but loses an acknowledged insert on power loss', async () => {
    const result = await exploreForeign(workload('nedb'), { models: [...models, 'subset'] });
    expect(result.workloadError).toBeUndefined();
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.every((f) => f.message.startsWith('acknowledged insert lost'))).toBe(true);
  });

  it("proper-lockfile lets a second process in after a forward wall-clock step past `stale` (the study's shrunk plan)", async () => {
    const plan = {
      faults: [],
      crashAt: 0,
      model: 'process-kill' as const,
      schedule: {
        choices: [3],
        pauses: [{ processIndex: 1, afterCalls: 3, durationMs: 50 }],
        clockSteps: [{ atMs: 2, deltaMs: 11_001 }],
      },
    };
    expect((await runForeignPlan(workload('properLockfile'), plan)).messages).toEqual([
      'the run failed: checkRun: process 0 entered at 1800000000009 ms while process 1 was inside',
    ]);
    const withoutStep = { ...plan, schedule: { ...plan.schedule, clockSteps: [] } };
    expect((await runForeignPlan(workload('properLockfile'), withoutStep)).messages).toEqual([]);
  });

  it('lockfile@1.0.4 lets two processes take over one stale lock: a shared options object makes a live lock look stale', async () => {
    const plan = { faults: [], crashAt: 0, model: 'process-kill' as const, schedule: { choices: [0, 3, 1, 3, 1] } };
    const { messages, trace } = await runForeignPlan(workload('lockfileNpm'), plan);
    expect(messages).toEqual([
      'the run failed: checkRun: process 0 entered at 1800000000018 ms while process 1 was inside',
    ]);
    expect(trace).toMatch(/p100 stat \/locks\/job\.lock\.STALE = ENOENT[^]*p100 unlink \/locks\/job\.lock = ok/);
  });
});
