// Real runner processes for end-to-end tests: spawn `tsx src/cli.ts` children, collect their JSON-line
// events, SIGKILL them on cue, and check lock intervals from the events.
import { spawn, type ChildProcess } from 'node:child_process';
import { NODE_TSX, REPO_ROOT } from './spawnCli.ts';

export interface RunnerEvent {
  readonly time: string;
  readonly pid: number;
  readonly event: string;
  readonly monoNs: string;
  readonly [key: string]: unknown;
}

export interface RunnerProcess {
  readonly child: ChildProcess;
  readonly events: RunnerEvent[];
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export function startRunner(
  args: string[],
  onEvent?: (event: RunnerEvent, runner: RunnerProcess) => void,
): RunnerProcess {
  const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), `${REPO_ROOT}src/cli.ts`, ...args, '--log', 'json'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: RunnerEvent[] = [];
  let stdout = '';
  let stderr = '';
  let partial = '';
  const runner: RunnerProcess = {
    child,
    events,
    done: new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    }),
  };
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr += text;
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as RunnerEvent;
      events.push(event);
      onEvent?.(event, runner);
    }
  });
  return runner;
}

/** Intervals during which each lock token was held, from acquired to released/lost (or to the end, if killed). */
export function lockIntervals(
  events: readonly RunnerEvent[],
  lock: 'runner' | 'session',
): { key: string; token: string; pid: number; from: bigint; to: bigint }[] {
  const open = new Map<string, { key: string; token: string; pid: number; from: bigint }>();
  const out: { key: string; token: string; pid: number; from: bigint; to: bigint }[] = [];
  const sorted = [...events].sort((a, b) => (BigInt(a.monoNs) < BigInt(b.monoNs) ? -1 : 1));
  for (const e of sorted) {
    if (e.lock !== lock || typeof e.token !== 'string') continue;
    const key = lock === 'runner' ? 'runner' : String(e.sessionId);
    if (e.event === 'lock.acquired') open.set(e.token, { key, token: e.token, pid: e.pid, from: BigInt(e.monoNs) });
    if (e.event === 'lock.released' || e.event === 'lock.lost' || (e.event === 'lock.reaped' && open.has(e.token))) {
      const started = open.get(e.token);
      if (started !== undefined) out.push({ ...started, to: BigInt(e.monoNs) });
      open.delete(e.token);
    }
  }
  for (const started of open.values()) out.push({ ...started, to: BigInt(Number.MAX_SAFE_INTEGER) * 1000n });
  return out;
}

/** Pairs of intervals on one key held by two different tokens at the same time. */
export function overlaps(intervals: ReturnType<typeof lockIntervals>): string[] {
  const found: string[] = [];
  for (const [i, a] of intervals.entries()) {
    for (const b of intervals.slice(i + 1)) {
      if (a.key === b.key && a.token !== b.token && a.from < b.to && b.from < a.to)
        found.push(`${a.key}: pid ${a.pid} and pid ${b.pid} held it at once`);
    }
  }
  return found;
}
