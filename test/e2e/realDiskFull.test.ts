// Real ENOSPC and EROFS: a small tmpfs mounted as the data root (needs root and mount(2); CI runs as
// root). The runner fails loudly and transiently on a full disk with no partial final file, completes
// once space is freed, and gives a clear permanent error on a read-only remount.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/spawnCli.ts';

function tryMount(dir: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error).trim();
  }
}

let base: string;
let mountPoint: string;
let cannotMount: string | undefined;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'durable-jobs-tmpfs-'));
  mountPoint = join(base, 'mnt');
  execFileSync('mkdir', ['-p', mountPoint]);
  cannotMount = process.getuid?.() === 0 ? tryMount(mountPoint) : 'not running as root';
  if (cannotMount !== undefined)
    console.warn(
      `SKIPPED real disk-full/read-only tests: cannot mount a tmpfs here (${cannotMount}); CI runs them as root.`,
    );
});
afterAll(async () => {
  if (cannotMount === undefined) execFileSync('umount', [mountPoint]);
  await rm(base, { recursive: true, force: true });
});

async function treeFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

describe.skipIf(process.getuid?.() !== 0)('a real tmpfs data root', () => {
  it('disk full: transient ENOSPC, no partial final file; after space is freed the job completes', async (ctx) => {
    if (cannotMount !== undefined) ctx.skip();
    const root = join(mountPoint, 'data');
    const input = join(base, 'big.txt');
    // ~700 KiB of text: input + transcript + session transcript cannot all fit in 1 MiB.
    await writeFile(
      input,
      `${Array.from({ length: 9_000 }, (_, i) => `Line ${i}: the quick brown fox jumps over the lazy dog.`).join('\n')}\n`,
    );
    const enq = await runCli(['enqueue', '--root', root, '--session', 's1', '--input', input, '--job', 'big']);
    expect(enq.code).toBe(0);
    const run = await runCli(['run', '--root', root, '--json', '--log', 'json', '--backoff-base-ms', '0']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/ENOSPC/);
    const events = run.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; error?: { kind: string } });
    expect(events.find((e) => e.event === 'job.retry_scheduled')?.error?.kind).toBe('transient');
    const files = await treeFiles(root);
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
    // No partial final file: whatever final file exists now is byte-equal to the finished one below.
    const early = new Map<string, string>();
    for (const f of files.filter((f) => /(transcript\.txt|draft\.md|export\.html)$/.test(f)))
      early.set(f, await readFile(join(root, f), 'utf8'));
    expect(files).not.toContain('jobs/big/export.html');
    execFileSync('mount', ['-o', 'remount,size=16m', mountPoint]);
    const retry = await runCli(['run', '--root', root, '--json', '--backoff-base-ms', '0']);
    expect(retry.code).toBe(0);
    const status = JSON.parse((await runCli(['status', '--root', root, '--job', 'big', '--json'])).stdout).jobs[0];
    expect(status).toMatchObject({ status: 'complete', attempts: 2, error: null });
    expect((await readFile(join(root, 'jobs/big/transcript.txt'), 'utf8')).length).toBeGreaterThan(400_000);
    for (const [f, text] of early) expect(await readFile(join(root, f), 'utf8')).toBe(text);
  });

  it('read-only remount: the runner exits 1 with a clear EROFS message and changes nothing', async (ctx) => {
    if (cannotMount !== undefined) ctx.skip();
    const root = join(mountPoint, 'data');
    const before = await treeFiles(root);
    execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
    try {
      const run = await runCli(['run', '--root', root]);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/EROFS/);
      const enq = await runCli(['enqueue', '--root', root, '--session', 's1', '--input', join(base, 'big.txt')]);
      expect(enq.code).toBe(1);
      expect(enq.stderr).toMatch(/EROFS/);
      expect(await treeFiles(root)).toEqual(before);
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
    }
  });
});
