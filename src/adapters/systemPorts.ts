// The production Clock, Random and Processes: the system clock, crypto randomness, this process.
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
      return true;
    } catch (error) {
      // EPERM: the process exists but belongs to someone else.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
};
