// The production Log: one JSON object per line with `time` (ISO), `pid` and `event`, on a writable
// stream (stderr for the CLI). A disabled log drops events.
import type { Log, LogEventName, LogFields } from '../ports/log.ts';

export function jsonLinesLog(write: ((line: string) => void) | undefined, pid: number, nowMs: () => number): Log {
  return {
    emit(event: LogEventName, fields: LogFields = {}) {
      if (write === undefined) return;
      write(`${JSON.stringify({ time: new Date(nowMs()).toISOString(), pid, event, ...fields })}\n`);
    },
  };
}
