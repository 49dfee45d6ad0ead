// Phase 3 with real processes: several `npm run jobs -- run` processes (tsx) at once on one data
// root, many jobs across few sessions; and a runner SIGKILLed mid-stage whose stale locks several new
// runners race to take over. From their --log json events: no two holders of one lock at a time, and
// every job completed exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { nodeProcesses } from '../../src/adapters/systemPorts.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/spawnCli.ts';
import { lockIntervals, overlaps, startRunner, type RunnerEvent } from '../support/realRunners.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'durable-jobs-procs-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function enqueueMany(root: string, count: number, sessions: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const input = join(dir, `input-${i}.txt`);
    await writeFile(
      input,
      `${Array.from({ length: 400 }, (_, n) => `Job ${i} line ${n}: the quick brown fox.`).join('\n')}\n`,
    );
    const jobId = `job-${String(i).padStart(2, '0')}`;
    const result = await runCli([
      'enqueue',
      '--root',
      root,
      '--session',
      `s${i % sessions}`,
      '--input',
      input,
      '--job',
      jobId,
    ]);
    expect(result.code).toBe(0);
    ids.push(jobId);
  }
  return ids;
}

async function statuses(root: string): Promise<Record<string, string>> {
  const { stdout } = await runCli(['status', '--root', root, '--json']);
  return Object.fromEntries(
    (JSON.parse(stdout).jobs as { jobId: string; status: string }[]).map((j) => [j.jobId, j.status]),
  );
}

function completions(events: RunnerEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events)
    if (e.event === 'job.complete') counts.set(String(e.jobId), (counts.get(String(e.jobId)) ?? 0) + 1);
  return counts;
}

describe('real concurrent runner processes', () => {
  it('four runners at once (concurrency 3 each) over 16 jobs in 4 sessions: no session held twice, each job completed once', async () => {
    const root = join(dir, 'concurrent');
    const ids = await enqueueMany(root, 16, 4);
    const events: RunnerEvent[] = [];
    for (let round = 0; round < 4 && Object.values(await statuses(root)).some((s) => s !== 'complete'); round++) {
      const runners = Array.from({ length: 4 }, () =>
        startRunner(['run', '--root', root, '--concurrency', '3', '--json']),
      );
      const results = await Promise.all(runners.map((r) => r.done));
      for (const result of results) expect(result.code).toBe(0);
      for (const r of runners) events.push(...r.events);
    }
    expect(overlaps(lockIntervals(events, 'session'))).toEqual([]);
    expect(overlaps(lockIntervals(events, 'runner'))).toEqual([]);
    const done = completions(events);
    for (const id of ids) expect(done.get(id)).toBe(1);
    expect(Object.values(await statuses(root)).every((s) => s === 'complete')).toBe(true);
    // Within the pass that did the work, sessions really ran side by side.
    const sessionIntervals = lockIntervals(events, 'session');
    const concurrent = sessionIntervals.some((a) =>
      sessionIntervals.some((b) => a.key !== b.key && a.pid === b.pid && a.from < b.to && b.from < a.to),
    );
    expect(concurrent).toBe(true);
  });

  it('a runner SIGKILLed mid-stage; three runners race for its stale locks; exactly one owner at a time, every job done once', async () => {
    const root = join(dir, 'killed');
    const ids = await enqueueMany(root, 6, 2);
    const victim = startRunner(['run', '--root', root], (event, runner) => {
      if (event.event === 'stage.start' && event.stage === 'draft') runner.child.kill('SIGKILL');
    });
    const killed = await victim.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(victim.events.every((e) => e.pid === victim.child.pid)).toBe(true);
    expect(victim.events.some((e) => e.event === 'lock.released' && e.lock === 'runner')).toBe(false);
    const events: RunnerEvent[] = [...victim.events];
    for (let round = 0; round < 4 && Object.values(await statuses(root)).some((s) => s !== 'complete'); round++) {
      const racers = Array.from({ length: 3 }, () =>
        startRunner(['run', '--root', root, '--concurrency', '2', '--json']),
      );
      for (const result of await Promise.all(racers.map((r) => r.done))) expect(result.code).toBe(0);
      for (const r of racers) events.push(...r.events);
    }
    const reaped = events.filter((e) => e.event === 'lock.reaped');
    expect(reaped.filter((e) => e.lock === 'runner')).toHaveLength(1);
    expect(
      overlaps(
        lockIntervals(
          events.filter((e) => e.pid !== victim.child.pid),
          'session',
        ),
      ),
    ).toEqual([]);
    const done = completions(events);
    for (const id of ids) expect(done.get(id)).toBe(1);
    expect(Object.values(await statuses(root)).every((s) => s === 'complete')).toBe(true);
  });
});

describe('nodeProcesses.isAlive', () => {
  it('counts a zombie (exited, not yet collected by its parent) as dead, and a running process as alive', async () => {
    // `sleep 0.05` exits at once; its parent execs `sleep 60`, which never collects it: a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombiePid = Number(
        await new Promise<string>((resolve) => parent.stdout.once('data', (c: Buffer) => resolve(c.toString()))),
      );
      // Poll until the child has exited (bounded at 10 s, well inside the parent's 60 s); a fixed wait
      // would be a race on a loaded machine.
      for (let i = 0; i < 500 && nodeProcesses.isAlive(zombiePid); i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(nodeProcesses.isAlive(zombiePid)).toBe(false);
      expect(nodeProcesses.isAlive(parent.pid!)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
