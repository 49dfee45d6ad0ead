// Slow calls: the process waits `latencyMs` of simulated time before the call runs (a stalled disk,
// a long GC pause in the middle of I/O). Other processes keep running meanwhile.
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import type { Clock } from '../../src/ports/clock.ts';
import { TriggerCounter, interceptCalls, type FaultTrigger } from './faultRule.ts';

export function slowOps(clock: () => Clock, latencyMs: number, trigger: FaultTrigger): (fs: FileSystem) => FileSystem {
  return (fs) => {
    const counter = new TriggerCounter(trigger);
    return interceptCalls(fs, async (op, path, next) => {
      if (counter.hits(op, path)) await clock().sleep(latencyMs);
      return next();
    });
  };
}
