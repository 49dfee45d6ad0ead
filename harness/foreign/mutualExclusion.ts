// A ready-made checkRun for lock workloads: each process emits `enter` and `leave` events around its
// critical section; no process may enter while another is inside (judged on the whole run's events).
import type { ForeignEvent } from './foreignWorkload.ts';

export function mutualExclusion(events: readonly ForeignEvent[]): string[] {
  let inside: number | undefined;
  for (const event of events) {
    if (event.name === 'enter') {
      if (inside !== undefined)
        return [`process ${event.processIndex} entered at ${event.monoMs} ms while process ${inside} was inside`];
      inside = event.processIndex;
    }
    if (event.name === 'leave' && inside === event.processIndex) inside = undefined;
  }
  return [];
}
