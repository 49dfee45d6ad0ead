// The production Clock, Random and Processes: the system clock, crypto randomness, this process.
import { readFileSync } from 'node:fs';
import { randomBytes, randomInt } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../ports/clock.ts';
import type { Random } from '../ports/random.ts';
import type { Processes } from '../ports/processes.ts';

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  monotonicMs: () => performance.now(),
  sleep: (durationMs) => new Promise((resolve) => setTimeout(resolve, durationMs)),
  every(intervalMs, tick) {
    const timer = setInterval(tick, intervalMs);
    // A heartbeat must never keep a finished runner process alive.
    timer.unref();
    return { cancel: () => clearInterval(timer) };
  },
};

export const cryptoRandom: Random = {
  hex: (byteCount) => randomBytes(byteCount).toString('hex'),
  fraction: () => randomInt(0, 2 ** 47) / 2 ** 47,
};

export const nodeProcesses: Processes = {
  pid: process.pid,
  host: hostname(),
  isAlive(pid) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      // EPERM: the process exists but belongs to someone else.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
    return !isZombie(pid);
  },
};

/**
 * A zombie has exited; only its parent has not collected it. A runner SIGKILLed after its parent
 * died is re-parented to pid 1, and where pid 1 does not reap (many containers) it stays a zombie:
 * signal 0 still reaches it, but it holds nothing. Linux says so in /proc/<pid>/stat (state Z or X).
 */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false; // not Linux, or gone meanwhile: kill(pid, 0) has the last word
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
  return state === 'Z' || state === 'X';
}
