// The runtime as a library (`import { jobsHandler, systemIo, makeConfig } from 'durable-jobs'`): the
// HTTP handler a Next.js route or node:http mounts, the production ports, the configuration, and
// every user-facing operation. Each takes `io` (the ports) and `config`.
export { jobsHandler, type JobsHandlerOptions } from './http/jobsHandler.ts';
export { systemIo, type SystemIoOptions } from './adapters/systemIo.ts';
export { parseSystemEnv, type SystemEnv } from './adapters/systemEnv.ts';
export { serveFetchHandler } from './adapters/httpServer.ts';
export { makeConfig, DEFAULT_CONFIG, type RuntimeConfig } from './config.ts';
export { enqueue, type EnqueueRequest } from './enqueue.ts';
export { runPass, type PassSummary } from './runnerPass.ts';
export { retryJob, JobBusyError, JobNotFailedError } from './retryJob.ts';
export { deleteJob, type DeleteOutcome } from './deleteJob.ts';
export { purge, type PurgeReport } from './purge.ts';
export { statusReport, renderStatusTable, type JobStatusRow } from './statusReport.ts';
export { requireDataRoot } from './dataRoot.ts';
export type { Io } from './ports/io.ts';
export type { FileSystem } from './ports/fileSystem.ts';
export type { Policy } from './ports/policy.ts';
export { defaultPolicy } from './defaultPolicy.ts';
export { classifyError, type Classified } from './classifyError.ts';
export * from './errors.ts';
