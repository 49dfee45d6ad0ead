// I8's CLI outputs: what a user of `jobs ... --json --log json` sees, judged against the documented
// contract. Each rule is shown failing on a wrong answer, and passing the right one.
import { describe, expect, it } from 'vitest';
import { checkCliOutputs, type CliCommandRecord } from '../../harness/invariants/i8CliOutputs.ts';

const event = (pid: number) => `{"time":"2027-01-15T08:00:00.000Z","pid":${pid},"event":"pass.start"}\n`;
const summary = (ran: number, complete: number, deferred = 0) =>
  `${JSON.stringify({
    busy: false,
    jobsSeen: 3,
    ran,
    outcomes: { complete, unchanged: 0, failed: 0, retry_scheduled: 0, aborted: 0, deleted: 0, deferred, error: 0 },
    unreadable: [],
    deadlineReached: false,
    purge: null,
  })}\n`;

function record(argv: string[], exitCode: number, stdout: string, stderr = '', jobId?: string): CliCommandRecord {
  return { name: 'p0', pid: 100, outcome: { argv, exitCode, stdout, stderr }, ...(jobId ? { jobId } : {}) };
}

const messages = (r: CliCommandRecord) => checkCliOutputs([r]).map((v) => `${v.invariant} ${v.message}`);

describe('I8 CLI outputs', () => {
  it('passes right answers', () => {
    expect(messages(record(['run'], 0, summary(2, 2, 1), event(100)))).toEqual([]);
    expect(messages(record(['enqueue'], 0, '{"jobId":"j1"}\n', '', 'j1'))).toEqual([]);
    expect(messages(record(['delete'], 0, '{"jobId":"j1","outcome":"pending"}\n', '', 'j1'))).toEqual([]);
    const notFailed = '{"error":{"name":"JobNotFailedError","message":"job j1 is queued, not failed"}}\n';
    expect(messages(record(['retry'], 2, '', notFailed, 'j1'))).toEqual([]);
  });

  it.each([
    [
      'a pass summary that does not add up',
      record(['run'], 0, summary(3, 2, 1)),
      /ran 3, but its outcomes add up to 2/,
    ],
    ['enqueue printing another id', record(['enqueue'], 0, '{"jobId":"j2"}\n', '', 'j1'), /enqueue of j1 printed/],
    [
      'a delete outcome that does not exist',
      record(['delete'], 0, '{"jobId":"j1","outcome":"gone"}\n', '', 'j1'),
      /delete/,
    ],
    ['text on stdout', record(['run'], 0, 'ran 2 job(s)\n'), /stdout is not JSON/],
    ['an event with another pid', record(['run'], 0, summary(2, 2), event(7)), /own pid 100/],
    ['stray text on stderr', record(['run'], 0, summary(2, 2), 'warning: slow disk\n'), /not JSON/],
    ['a failure without an error line', record(['run'], 1, ''), /without an error line/],
    [
      'exit 1 for a usage error',
      record(['retry'], 1, '', '{"error":{"name":"UsageError","message":"x"}}\n'),
      /exit 1 for/,
    ],
    [
      'a valid setting refused',
      record(['run'], 2, '', '{"error":{"name":"UsageError","message":"--stale-after-ms: must be at least twice"}}\n'),
      /valid settings refused/,
    ],
    ['an exit code outside 0..2', record(['run'], 3, ''), /exit code 3/],
  ])('fails on %s', (_what, bad, expected) => {
    expect(messages(bad).join('\n')).toMatch(expected);
  });
});
