// A foreign process in the world: a worker thread running the user's module (worker/foreignWorkerMain.ts)
// whose every kernel request is answered here, inside a simulated process. fs calls go through the
// process's gated FileSystem, sleeps through its simulated clock; while the worker computes, the world
// waits for it (World.outside), so the interleaving depends only on the seed. SIGKILL is terminate().
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { SimProcess, SpawnOptions, World } from '../world/world.ts';
import type { KernelAnswer, KernelRequest } from './kernelProtocol.ts';
import type { ForeignEvent } from './foreignWorkload.ts';
import { ForeignKernel } from './foreignKernel.ts';

const BOOT = fileURLToPath(new URL('../parallel/workerBoot.mjs', import.meta.url));
const ENTRY = new URL('./worker/foreignWorkerMain.ts', import.meta.url).href;
/** Real time a worker may compute without a request before it is declared stuck (an endless loop). */
const STUCK_AFTER_REAL_MS = 30_000;

export interface ForeignRunLog {
  readonly events: ForeignEvent[];
  readonly acked: Set<string>;
  /** Calls the shim refused (each fails the run, even if the workload swallowed the error). */
  readonly refusals: string[];
  /** Worker terminations to await before the run's result is final. */
  readonly terminations: Promise<unknown>[];
}

export interface ForeignProcessOptions {
  readonly module: string;
  readonly mount: string;
  readonly processIndex: number;
  readonly processCount: number;
  readonly seed: number;
  readonly log: ForeignRunLog;
  readonly decorate?: SpawnOptions['decorate'];
}

/** Messages from the worker, one at a time; a worker error or exit ends the stream with an error. */
class Inbox {
  private readonly queue: (KernelRequest | Error)[] = [];
  private waiter: ((message: KernelRequest | Error) => void) | undefined;

  push(message: KernelRequest | Error): void {
    if (this.waiter === undefined) this.queue.push(message);
    else {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter(message);
    }
  }

  next(): Promise<KernelRequest> {
    const queued = this.queue.shift();
    const got =
      queued !== undefined
        ? Promise.resolve(queued)
        : new Promise<KernelRequest | Error>((resolve) => {
            this.waiter = resolve;
          });
    return got.then((message) => (message instanceof Error ? Promise.reject(message) : message));
  }
}

export function spawnForeignProcess(world: World, options: ForeignProcessOptions): SimProcess {
  // The body starts a microtask late: spawn() calls it before it returns the process it needs.
  const process: SimProcess = world.spawn(
    `foreign#${options.processIndex}`,
    () => Promise.resolve().then(() => serve(world, process, options)),
    {
      decorate: options.decorate ?? [],
    },
  );
  return process;
}

async function serve(world: World, process: SimProcess, options: ForeignProcessOptions): Promise<void> {
  const flag = new SharedArrayBuffer(4);
  const flagView = new Int32Array(flag);
  const { port1, port2 } = new MessageChannel();
  const inbox = new Inbox();
  const worker = new Worker(BOOT, {
    workerData: {
      entry: ENTRY,
      module: options.module,
      processIndex: options.processIndex,
      processCount: options.processCount,
      mount: options.mount,
      flag,
      port: port2,
      wallNowMs: world.wallNowMs(),
      monoNowMs: world.fake.now,
      seed: options.seed,
    },
    transferList: [port2],
    stdout: false,
  });
  port1.on('message', (message: KernelRequest) => inbox.push(message));
  worker.on('error', (error) =>
    inbox.push(
      harnessError(
        'WorkloadUncaught',
        `uncaught in the workload: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      ),
    ),
  );
  worker.on('exit', (code) =>
    inbox.push(harnessError('WorkloadExited', `the worker exited (code ${code}) before the workload finished`)),
  );
  const stop = () => {
    port1.close();
    options.log.terminations.push(worker.terminate());
  };
  process.onKill = stop;
  const kernel = new ForeignKernel(world, process);
  try {
    for (;;) {
      const request = await world.outside(process, withWatchdog(inbox.next()));
      if (request.kind === 'done') {
        answer(port1, flagView, world, { ok: true });
        if (request.error !== undefined)
          throw Object.assign(new Error(request.error.message), {
            name: request.error.name,
            stack: request.error.stack,
          });
        return;
      }
      answer(port1, flagView, world, await respond(world, kernel, request, options));
    }
  } finally {
    if (process.alive) stop();
  }
}

/** A failure of the run itself, never an outcome of the workload: it always fails the verdict. */
export const HARNESS_ERRORS = new Set(['WorkloadUncaught', 'WorkloadExited', 'WorkloadStuck', 'WorkloadHang']);

function harnessError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

async function respond(
  world: World,
  kernel: ForeignKernel,
  request: KernelRequest,
  options: ForeignProcessOptions,
): Promise<Omit<KernelAnswer, 'wallNowMs' | 'monoNowMs'>> {
  const { log } = options;
  switch (request.kind) {
    case 'ack':
      log.acked.add(request.label);
      return { ok: true };
    case 'event':
      if (request.name === 'durable-jobs:refused') {
        const { call, detail } = request.data as { call: string; detail: string };
        log.refusals.push(`${call} ${detail}`);
      } else {
        log.events.push({
          processIndex: options.processIndex,
          name: request.name,
          data: request.data,
          wallMs: world.wallNowMs(),
          monoMs: world.fake.now,
        });
      }
      return { ok: true };
    case 'sleep':
      await kernel.sleep(request.forMs);
      return { ok: true };
    case 'fs':
      try {
        return { ok: true, value: await kernel.handle(request.op, request.args) };
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        return {
          ok: false,
          error: {
            message: e.message,
            ...(e.code !== undefined ? { code: e.code } : {}),
            ...(e.syscall !== undefined ? { syscall: e.syscall } : {}),
            ...(e.path !== undefined ? { path: e.path } : {}),
          },
        };
      }
    case 'done':
      return { ok: true };
  }
}

function answer(
  port: MessagePort,
  flag: Int32Array,
  world: World,
  body: Omit<KernelAnswer, 'wallNowMs' | 'monoNowMs'>,
): void {
  port.postMessage({ ...body, wallNowMs: world.wallNowMs(), monoNowMs: world.fake.now } satisfies KernelAnswer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

/** A worker that computes for STUCK_AFTER_REAL_MS of real time without a request is stuck (an endless loop). */
function withWatchdog<T>(work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stuck = new Promise<never>((_, reject) => {
    // Real time on purpose: a safety net for foreign code that never yields, not simulation time.
    timer = setTimeout(
      () =>
        reject(
          harnessError(
            'WorkloadStuck',
            `stuck: the workload made no call for ${STUCK_AFTER_REAL_MS / 1000} s of real time (an endless loop?)`,
          ),
        ),
      STUCK_AFTER_REAL_MS,
    );
  });
  return Promise.race([work, stuck]).finally(() => clearTimeout(timer));
}
