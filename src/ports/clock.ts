// The Clock port. Wall time (`nowMs`) may jump backwards or forwards (NTP steps, a VM resumed);
// monotonic time (`monotonicMs`) never goes backwards and is only comparable within one process.
// Decisions shared between processes (lock heartbeats, TTLs, backoff) must use wall time and
// tolerate jumps; decisions within one process (a pass deadline) use monotonic time.

export interface Timer {
  cancel(): void;
}

export interface Clock {
  nowMs(): number;
  monotonicMs(): number;
  sleep(durationMs: number): Promise<void>;
  /** Calls `tick` every `intervalMs` until cancelled. Used for lock heartbeats. */
  every(intervalMs: number, tick: () => void): Timer;
}
