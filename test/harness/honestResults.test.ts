// I8: what each operation reports is judged, not only what it leaves on disk. The correct runtime
// passes; a runtime whose bug surfaces only in a result (a programming error, an error no fault
// explains, a hang) is caught.
import { describe, expect, it } from 'vitest';
import { runChaosPlan } from '../../harness/chaos/runChaosPlan.ts';
import type { ChaosPlan } from '../../harness/chaos/chaosPlan.ts';
import { checkOperationResults } from '../../harness/invariants/i8HonestResults.ts';
import { simConfig } from '../../harness/workload/simConfig.ts';
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import { decorateFileSystem } from '../../harness/faults/decorateFileSystem.ts';
import type { StageHandlers } from '../../src/ports/stageHandlers.ts';
import { TransientError } from '../../src/errors.ts';

const config = simConfig();
const plan = (processes: ChaosPlan['processes']): ChaosPlan => ({
  jobs: [
    { jobId: 'j1', sessionId: 's1', input: 'talk.srt' },
    { jobId: 'j2', sessionId: 's2', input: 'notes.txt' },
  ],
  processes,
  clockSteps: [],
  choices: [],
});
const pass = (name: string, extra: Partial<ChaosPlan['processes'][number]> = {}): ChaosPlan['processes'][number] => ({
  name,
  task: 'pass',
  startAfterMs: 0,
  faults: [],
  upstream: [],
  ...extra,
});
const i8 = (violations: readonly { invariant: string; message: string }[]) =>
  violations.filter((v) => v.invariant === 'I8').map((v) => v.message);

describe('I8 honest results', () => {
  it('passes the correct runtime, with faults that explain every error it reports', async () => {
    expect(
      (await runChaosPlan(plan([pass('p0'), { ...pass('p1'), task: { retry: 'j1' } }]), config)).violations,
    ).toEqual([]);
    const faulted = plan([
      pass('p0', {
        faults: [{ errno: 'EIO', trigger: { op: 'readFile', nth: 3 } }],
        upstream: [{ stage: 'draft', kind: 'transient', times: 1 }],
      }),
    ]);
    expect((await runChaosPlan(faulted, config)).violations).toEqual([]);
  });

  it('catches a stage that throws a TypeError, whether the runtime retries it or fails the job', async () => {
    const buggyDraft = (h: StageHandlers): StageHandlers => ({
      ...h,
      draft: async () => (undefined as unknown as { text: string }).text as never,
    });
    expect(
      i8((await runChaosPlan(plan([pass('p0')]), config, 1, { wrapHandlers: buggyDraft })).violations),
    ).toContainEqual(
      expect.stringMatching(/job j1 failed with TypeError: .*\(a programming error recorded as a job failure\)/),
    );
    const retriedAsTransient = (h: StageHandlers): StageHandlers => ({
      ...h,
      draft: async () => {
        throw new TransientError('draft crashed', { cause: new TypeError('x is undefined') });
      },
    });
    expect(
      i8((await runChaosPlan(plan([pass('p0')]), config, 1, { wrapHandlers: retriedAsTransient })).violations),
    ).toContainEqual(
      expect.stringMatching(
        /job j1 was put back for retry with TransientError: draft crashed, and no injected fault reached that process/,
      ),
    );
  });

  it('catches a pass that reports a job error no fault explains', async () => {
    // A tombstone check that fails for real (say, it stats a path it built wrong): the pass reports an error.
    const brokenStat = (fs: FileSystem): FileSystem =>
      Object.assign(Object.create(fs) as FileSystem, {
        stat: async (path: string) =>
          path.endsWith('/j2/deleted')
            ? Promise.reject(Object.assign(new Error(`EIO: stat '${path}'`), { code: 'EIO' }))
            : fs.stat(path),
      });
    const messages = i8((await runChaosPlan(plan([pass('p0')]), config, 1, { decorate: [brokenStat] })).violations);
    expect(messages).toContainEqual(
      expect.stringMatching(/^p0 \(pass\) (reported .*job error|failed with no injected fault to explain it)/),
    );
  });

  it('catches an operation that never finishes', async () => {
    // The link that would take runner.lock never returns (a hung NFS server, a deadlocked FUSE daemon).
    const hangingLink = (fs: FileSystem): FileSystem =>
      decorateFileSystem(fs, { calls: { link: () => new Promise<never>(() => undefined) } });
    const result = await runChaosPlan(plan([pass('p0')]), config, 1, { decorate: [hangingLink] });
    expect(i8(result.violations)).toContainEqual(
      'p0 (pass) never finished: it was still waiting when the world had nothing left to run',
    );
  });

  it('accepts a refusal the user asked for, and a killed operation owes no result', () => {
    const usage = Object.assign(new Error('job j1 is complete, not failed'), { name: 'UsageError' });
    expect(
      checkOperationResults(
        [{ name: 'p1', pid: 2, task: 'retry', ended: 'exited', error: usage, result: undefined }],
        () => false,
      ),
    ).toEqual([]);
    expect(
      checkOperationResults(
        [{ name: 'p1', pid: 2, task: 'pass', ended: 'killed', error: undefined, result: undefined }],
        () => false,
      ),
    ).toEqual([]);
    const eio = Object.assign(new Error('EIO'), { name: 'FileError' });
    expect(
      checkOperationResults(
        [{ name: 'p1', pid: 2, task: 'delete', ended: 'exited', error: eio, result: undefined }],
        () => true,
      ),
    ).toEqual([]);
    expect(
      checkOperationResults(
        [{ name: 'p1', pid: 2, task: 'delete', ended: 'exited', error: eio, result: undefined }],
        () => false,
      ),
    ).toHaveLength(1);
  });
});
