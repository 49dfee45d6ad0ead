// The check shared by the lock libraries of the study: between `enter` and `leave`, no other process
// may enter (mutual exclusion), judged on the events of the whole run.
import type { ForeignEvent } from '../../harness/foreign/foreignWorkload.ts';

export function mutualExclusion(events: readonly ForeignEvent[]): string[] {
  let inside: number | undefined;
  for (const event of events) {
    if (event.name === 'enter') {
      if (inside !== undefined) return [`process ${event.processIndex} entered at ${event.monoMs} ms while process ${inside} was inside`];
      inside = event.processIndex;
    }
    if (event.name === 'leave' && inside === event.processIndex) inside = undefined;
  }
  return [];
}
