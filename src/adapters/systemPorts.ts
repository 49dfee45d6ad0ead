// The production Clock, Random and Processes over a Platform: its clocks and timers, its entropy,
// its process. `systemClock`, `cryptoRandom` and `nodeProcesses` are the ones over Node itself.
import type { Clock } from '../ports/clock.ts';
import type { Random } from '../ports/random.ts';
import type { Processes } from '../ports/processes.ts';
import { nodePlatform, type Platform } from './platform.ts';

export function platformClock(platform: Platform): Clock {
  return {
    nowMs: () => platform.wallNowMs(),
    monotonicMs: () => platform.monotonicNowMs(),
    sleep: (durationMs) => new Promise((resolve) => platform.setTimeout(resolve, durationMs)),
    every(intervalMs, tick) {
      const timer = platform.setInterval(tick, intervalMs);
      // A heartbeat must never keep a finished runner process alive.
      timer.unref?.();
      return { cancel: () => platform.clearInterval(timer) };
    },
  };
}

export function platformRandom(platform: Platform): Random {
  return {
    hex: (byteCount) => Buffer.from(platform.randomBytes(byteCount)).toString('hex'),
    fraction: () => platform.randomInt(0, 2 ** 47) / 2 ** 47,
  };
}

export function platformProcesses(platform: Platform): Processes {
  return {
    pid: platform.pid,
    host: platform.hostname,
    isAlive(pid) {
      try {
        platform.signalZero(pid);
      } catch (error) {
        // EPERM: the process exists but belongs to someone else.
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
      return !isZombie(platform, pid);
    },
  };
}

/**
 * A zombie has exited; only its parent has not collected it. A runner SIGKILLed after its parent
 * died is re-parented to pid 1, and where pid 1 does not reap (many containers) it stays a zombie:
 * signal 0 still reaches it, but it holds nothing. Linux says so in /proc/<pid>/stat (state Z or X).
 */
function isZombie(platform: Platform, pid: number): boolean {
  let stat: string;
  try {
    stat = platform.readTextSync(`/proc/${pid}/stat`);
  } catch {
    return false; // not Linux, or gone meanwhile: kill(pid, 0) has the last word
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
  return state === 'Z' || state === 'X';
}

export const systemClock: Clock = platformClock(nodePlatform);
export const cryptoRandom: Random = platformRandom(nodePlatform);
export const nodeProcesses: Processes = platformProcesses(nodePlatform);
