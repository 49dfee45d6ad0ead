// The CLI's settings and --json failures, through main() on a real temporary data root: every
// setting has a flag, the derived defaults hold, and a failing command with --json says which error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-settings-'));
  expect(await run(['init', '--root', root])).toMatchObject({ code: 0 });
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {}, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

describe('jobs settings and --json failures', () => {
  it('--heartbeat-ms and --backoff-cap-ms set what they name', async () => {
    const ok = await run(['run', '--root', root, '--json', '--stale-after-ms', '1000', '--heartbeat-ms', '500']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ busy: false, ran: 0 });
    const capped = await run(['run', '--root', root, '--backoff-base-ms', '10', '--backoff-cap-ms', '20']);
    expect(capped.code).toBe(0);
  });

  it('a heartbeat over half the stale bound is refused, as one JSON error line with --json', async () => {
    const bad = await run(['run', '--root', root, '--json', '--stale-after-ms', '1000', '--heartbeat-ms', '600']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    const line = JSON.parse(bad.stderr) as { error: { name: string; message: string } };
    expect(line.error).toMatchObject({ name: 'UsageError', message: expect.stringMatching(/^--stale-after-ms/) });
    const human = await run(['run', '--root', root, '--stale-after-ms', '1000', '--heartbeat-ms', '600']);
    expect(human.stderr).toMatch(/^jobs: --stale-after-ms/);
  });

  it('a cap below the base is refused, naming --backoff-base-ms', async () => {
    const bad = await run(['run', '--root', root, '--backoff-base-ms', '30', '--backoff-cap-ms', '20']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--backoff-base-ms/);
  });

  it('a command failing with --json names its error class', async () => {
    const missing = await run(['retry', '--job', 'nope', '--root', root, '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stderr)).toEqual({ error: { name: expect.any(String), message: expect.any(String) } });
    expect(missing.stderr).not.toMatch(/^jobs:/);
  });
});
