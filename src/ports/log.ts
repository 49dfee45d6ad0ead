// The Log port: structured events. The runtime names the event and its fields; the adapter adds
// `time` and `pid` and chooses the rendering (JSON lines on stderr, or the simulation trace).

export type LogEventName =
  | 'lock.acquired'
  | 'lock.released'
  | 'lock.busy'
  | 'lock.reaped'
  | 'lock.lost'
  | 'stage.start'
  | 'stage.done'
  | 'stage.skipped'
  | 'job.enqueued'
  | 'job.started'
  | 'job.complete'
  | 'job.failed'
  | 'job.retry_scheduled'
  | 'job.requeued'
  | 'job.aborted'
  | 'job.deleted'
  | 'job.unreadable'
  | 'pass.start'
  | 'pass.done'
  | 'purge.done'
  | 'purge.kept'
  | 'purge.restored'
  | 'http.request'
  | 'http.error';

export interface LogFields {
  readonly jobId?: string;
  readonly sessionId?: string;
  readonly stage?: string;
  readonly lock?: 'runner' | 'session';
  readonly [key: string]: unknown;
}

export interface Log {
  emit(event: LogEventName, fields?: LogFields): void;
}
