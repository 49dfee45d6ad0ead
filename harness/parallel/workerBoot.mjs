// Boots a harness worker thread: registers tsx's loader (the worker has its own module graph, and the
// parent's loader hooks do not reach it), then loads the TypeScript entry named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
