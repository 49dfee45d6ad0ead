// The production Log: one JSON object per line with `time` (ISO), `pid` and `event`, on a writable
// stream (stderr for the CLI). A disabled log drops events.
import type { Log, LogEventName, LogFields } from '../ports/log.ts';

export function jsonLinesLog(
  write: ((line: string) => void) | undefined,
  pid: number,
  nowMs: () => number,
  monotonicNs?: () => bigint,
): Log {
  return {
    emit(event: LogEventName, fields: LogFields = {}) {
      if (write === undefined) return;
      // `monoNs` (CLOCK_MONOTONIC, comparable between processes of one host) orders events of several
      // runners exactly, where `time` has only millisecond resolution and can step.
      const mono = monotonicNs === undefined ? {} : { monoNs: monotonicNs().toString() };
      write(`${JSON.stringify({ time: new Date(nowMs()).toISOString(), pid, event, ...mono, ...fields })}\n`);
    },
  };
}
