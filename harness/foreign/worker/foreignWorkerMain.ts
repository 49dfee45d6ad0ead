// The entry of one foreign process (a worker thread). Order matters: the clocks and randomness are
// made simulated, then node:fs, and only then is the user's module imported, so whatever it copies at
// load time is already simulated. The workload then runs; at every idle point (no microtask left)
// the worker fires its due timers, asks the kernel to sleep to the next timer, and
// reports a hang if it waits on nothing the simulation can deliver.
import { workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import FakeTimers from '@sinonjs/fake-timers';
import type { ForeignWorkerData } from '../kernelProtocol.ts';
import type { ForeignContext, ForeignWorkload } from '../foreignWorkload.ts';
import { SyncKernel } from './syncKernel.ts';
import { installSimulatedFs, type Phase } from './installSimulatedFs.ts';
import { installSimulatedEntropy } from './simulatedEntropy.ts';

const data = workerData as ForeignWorkerData;
const realSetImmediate = globalThis.setImmediate;
const clock = FakeTimers.install({
  now: data.wallNowMs,
  toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate'],
  loopLimit: 100_000,
});
const kernel = new SyncKernel(data.port, data.flag, clock, data.monoNowMs, data.mount);
installSimulatedEntropy(kernel, data.seed, data.processIndex);
let phase: Phase = 'load';
installSimulatedFs({
  kernel,
  mount: data.mount,
  phase: () => phase,
  refused: (call, detail) => void kernel.call({ kind: 'event', name: 'durable-jobs:refused', data: { call, detail } }),
});

const errorData = (error: unknown) =>
  error instanceof Error
    ? { name: error.name, message: error.message, ...(error.stack !== undefined ? { stack: error.stack } : {}) }
    : { name: 'Error', message: `non-Error thrown: ${String(error)}` };

async function runWorkload(): Promise<unknown> {
  const loaded = (await import(pathToFileURL(data.module).href)) as { default?: ForeignWorkload };
  const workload = loaded.default;
  if (typeof workload?.run !== 'function') throw new Error(`${data.module}: its default export has no run function`);
  phase = 'run';
  const context: ForeignContext = {
    mount: data.mount,
    processIndex: data.processIndex,
    processCount: data.processCount,
    ack: (label) => void kernel.call({ kind: 'ack', label }),
    event: (name, eventData) => void kernel.call({ kind: 'event', name, data: eventData ?? null }),
  };
  let settled = false;
  let failure: unknown;
  workload.run(context).then(
    () => {
      settled = true;
    },
    (error: unknown) => {
      settled = true;
      failure = error ?? new Error('rejected with nothing');
    },
  );
  for (;;) {
    await new Promise<void>((resolve) => realSetImmediate(resolve));
    if (settled) return failure;
    kernel.fireDueTimers();
    const nextMs = kernel.nextTimerInMs();
    if (nextMs === undefined) {
      await new Promise<void>((resolve) => realSetImmediate(resolve));
      if (settled) return failure;
      return Object.assign(
        new Error(
          'hang: the workload waits on something outside the simulation (no fs call, no timer pending: ' +
            'a real timer, a socket, a worker, or a promise nobody resolves)',
        ),
        { name: 'WorkloadHang' },
      );
    }
    if (nextMs > 0) kernel.call({ kind: 'sleep', forMs: nextMs });
    kernel.fireDueTimers();
  }
}

let outcome: unknown;
try {
  outcome = await runWorkload();
} catch (error) {
  outcome = error;
}
kernel.call({ kind: 'done', ...(outcome === undefined ? {} : { error: errorData(outcome) }) });
