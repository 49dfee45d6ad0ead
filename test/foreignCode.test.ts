// The harness on code it did not write: published packages, unmodified, run through the node:fs shim
// and explored at every call under every crash model. Two known real bugs are rediscovered, and this
// project's writeFileAtomic (through its production node:fs adapter, shimmed the same way) passes.
import { describe, expect, it } from 'vitest';
import { Writer } from 'steno';
import writeFileAtomicPeer from 'write-file-atomic';
import { exploreForeign, type ForeignWorkload } from '../harness/foreign/exploreForeign.ts';
import { campaignForeign, runForeignPlan } from '../harness/foreign/campaignForeign.ts';
import { writeFileAtomic } from '../src/writeFileAtomic.ts';
import { nodeFileSystem } from '../src/adapters/nodeFileSystem.ts';
import { cryptoRandom } from '../src/adapters/systemPorts.ts';

/** Replace a file's content with a library's atomic write; once it resolved, the new content must survive. */
function replaceWorkload(name: string, write: (path: string, text: string) => Promise<void>): ForeignWorkload {
  return {
    name,
    files: { '/db/data.json': '{"v":"old"}' },
    run: async ({ mount, ack }) => {
      await write(`${mount}/db/data.json`, '{"v":"new"}');
      ack('written');
    },
    check: (state, acked) => {
      const content = state.read('/db/data.json');
      if (acked.has('written') && content !== '{"v":"new"}') return [`write acknowledged, but after the crash data.json is ${JSON.stringify(content ?? null)}`];
      if (content !== '{"v":"old"}' && content !== '{"v":"new"}') return [`data.json is torn: ${JSON.stringify(content ?? null)}`];
      return [];
    },
  };
}

const models = ['process-kill', 'lazyfs', 'pessimistic'] as const;

describe('foreign code under the explorer', () => {
  it('steno@4.0.2 loses data on power loss: it renames a file it never fsynced (found under lazyfs)', async () => {
    const result = await exploreForeign(replaceWorkload('steno', (path, text) => new Writer(path).write(text)), { models });
    expect(result.workloadError).toBeUndefined();
    const finding = result.findings.find((f) => f.model === 'lazyfs');
    expect(finding?.message).toMatch(/data\.json is "" |write acknowledged, but after the crash data\.json is ""/);
    expect(finding?.trace).toMatch(/rename .*\.data\.json\.tmp -> \/db\/data\.json = ok\n>>> lazyfs crash here/);
  });

  it('write-file-atomic@7.0.1 makes a rename that a power loss can undo: it never fsyncs the directory (found under pessimistic)', async () => {
    const result = await exploreForeign(replaceWorkload('write-file-atomic', (path, text) => writeFileAtomicPeer(path, text)), { models });
    expect(result.workloadError).toBeUndefined();
    expect(result.findings.every((f) => f.model === 'pessimistic')).toBe(true);
    expect(result.findings[0]?.message).toBe('write acknowledged, but after the crash data.json is "{\\"v\\":\\"old\\"}"');
  });

  it('the reference, this project\'s writeFileAtomic over its node:fs adapter, passes every crash state', async () => {
    const result = await exploreForeign(replaceWorkload('durable-jobs writeFileAtomic', (path, text) => writeFileAtomic({ fs: nodeFileSystem, random: cryptoRandom }, path, text)), { models: [...models, 'subset'] });
    expect(result.workloadError).toBeUndefined();
    expect(result.findings).toEqual([]);
    expect(result.calls).toBeGreaterThanOrEqual(6);
    expect(result.crashStates).toBeGreaterThan(result.calls * 3);
  });

  it('refuses what it cannot simulate, naming the call, instead of touching the real disk', async () => {
    const fs = await import('node:fs');
    const result = await exploreForeign({ name: 'sync', run: async ({ mount }) => fs.writeFileSync(`${mount}/x`, 'y'), check: () => [] });
    expect(String(result.workloadError)).toMatch(/fs shim: writeFileSync is not supported on simulated paths/);
  });
});

describe('foreign code under a randomized campaign', () => {
  it('finds write-file-atomic@7.0.1 ignoring a short write (it renames a torn file), shrunk to one fault, replayed by seed and path', async () => {
    const workload = replaceWorkload('write-file-atomic', (path, text) => writeFileAtomicPeer(path, text));
    const found = await campaignForeign(workload, { runs: 200, seed: 3 });
    expect(found.failure).toBeDefined();
    expect(found.failure!.plan.faults.length).toBeLessThanOrEqual(1);
    expect(found.failure!.messages[0]).toMatch(/data\.json is torn|write acknowledged, but after the crash/);
    const replayed = await campaignForeign(workload, { runs: 1, seed: found.failure!.seed, path: found.failure!.path });
    expect(replayed.failure?.plan).toEqual(found.failure!.plan);
    expect(replayed.failure?.messages).toEqual(found.failure!.messages);
  });

  it('with short writes, write-file-atomic@7.0.1 renames a torn file into place (a single write call, its count ignored)', async () => {
    const workload = replaceWorkload('write-file-atomic', (path, text) => writeFileAtomicPeer(path, text));
    const { messages, trace } = await runForeignPlan(workload, { faults: [{ shortWritesMaxBytes: 1 }], crashAt: 9, model: 'process-kill' });
    expect(messages).toEqual(['data.json is torn: "{"']);
    expect(trace).toMatch(/write \/db\/data\.json\.\d+ 1B@0 = 1\n[^]*rename \/db\/data\.json\.\d+ -> \/db\/data\.json = ok/);
  });

  it('the reference survives faults (errno, disk quota, fsync EIO, short writes) and every crash point', async () => {
    const workload = replaceWorkload('reference', (path, text) => writeFileAtomic({ fs: nodeFileSystem, random: cryptoRandom }, path, text));
    const result = await campaignForeign(workload, { runs: 200, seed: 3 });
    expect(result.failure).toBeUndefined();
    expect(result.runs).toBe(200);
  });
});

describe('reports for foreign findings', () => {
  it('a finding renders as the same HTML timeline as the runtime\'s failures', async () => {
    const { renderTraceHtml } = await import('../harness/report/renderTraceHtml.ts');
    const result = await exploreForeign(replaceWorkload('steno', (path, text) => new Writer(path).write(text)), { models: ['lazyfs'] });
    const finding = result.findings[0]!;
    const html = renderTraceHtml({ title: 'steno under lazyfs', trace: finding.trace, violations: [{ invariant: 'check', message: finding.message, path: '/db/data.json' }] });
    expect(html.match(/<rect class="op/g)?.length).toBe(finding.crashPoint);
    expect(html).toMatch(/<li class="violation"><b>check<\/b> /);
    expect(html).toMatch(/Files involved: <code>\/db\/data\.json<\/code>/);
  });
});
