// Console output: a progress line and colours only on a terminal; plain, quiet output in CI.
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli.ts';

async function run(args: string[], tty: boolean) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), tty });
  return { code, stdout, stderr };
}

describe('harness console output', () => {
  it('in CI (no terminal): no progress, no escape codes, a table of violations per invariant', async () => {
    const { code, stdout, stderr } = await run(['scenarios', '--only', 'orphaned-lock'], false);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).not.toMatch(/\x1b\[/);
    expect(stdout).toMatch(/violations by invariant:\n {4}0 {2}I1 {5}idempotency/);
    expect(stdout).toMatch(/ {4}0 {2}expect scenario expectations/);
  });

  it('on a terminal: a rewritten progress line with rate and ETA, and coloured results', async () => {
    const { stdout, stderr } = await run(['chaos', '--runs', '5'], true);
    expect(stderr).toMatch(/\r\x1b\[2Kchaos: \d+\/5 runs · \d+ runs\/s( · ETA \d+ s)?/);
    expect(stdout).toMatch(/\x1b\[32mOK: no violation/);
  });
});
