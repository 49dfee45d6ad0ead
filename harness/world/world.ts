// The simulated world: one seed drives the filesystem, the clock, randomness, the processes and the
// scheduler. Every FileSystem call of every simulated process stops at a gate; the scheduler picks
// which pending call proceeds next, so interleavings are chosen, recorded and replayable.
//
// kill(p) is SIGKILL: p's pending and future calls never resolve and its timers are dropped, so no
// `finally` and no exit handler of p ever runs. pause(p, ms) is SIGSTOP for ms of simulated time.
// Time moves only when the world moves it: `opLatencyMs` per scheduled call, and straight to the
// next timer when every live process is waiting on one.
import { createClock } from '@sinonjs/fake-timers';
import type { Io } from '../../src/ports/io.ts';
import type { Clock, Timer } from '../../src/ports/clock.ts';
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import type { LogEventName, LogFields } from '../../src/ports/log.ts';
import type { StageHandlers } from '../../src/ports/stageHandlers.ts';
import { STANDARD_HANDLERS } from '../workload/handlers.ts';
import type { Policy } from '../../src/ports/policy.ts';
import { defaultPolicy } from '../../src/defaultPolicy.ts';
import { realRuntime, type RuntimeEntries } from './runtimeEntries.ts';
import { SeededRandom } from '../seededRandom.ts';
import { SimFsCore } from '../simFs/simFsCore.ts';
import { SimProcessFs } from '../simFs/simFs.ts';
import type { GateDecision, OpDesc, ProcessKernel } from '../simFs/processKernel.ts';
import { seededChoices, type ChoiceSource } from './choiceSource.ts';
import { Trace } from './trace.ts';

export type ProcessStatus = 'running' | 'paused' | 'killed' | 'exited';

/** Consulted for every picked call: return 'kill' to kill the process before the call runs. */
export type Interceptor = (
  process: SimProcess,
  op: OpDesc,
  seq: number,
) => GateDecision | 'kill' | { readonly kind: 'pause'; readonly durationMs: number };

export interface LoggedEvent {
  readonly seq: number;
  readonly pid: number;
  readonly timeMs: number;
  readonly event: LogEventName;
  readonly fields: LogFields;
}

/** A step of the wall clock (NTP, VM resume) at monotonic time `atMs`, after `eventsBefore` events. */
export interface WallStep {
  readonly atMs: number;
  readonly eventsBefore: number;
  readonly deltaMs: number;
}

interface PendingCall {
  readonly op: OpDesc;
  readonly resolve: (decision: GateDecision) => void;
}

export class SimProcess<T = unknown> {
  status: ProcessStatus = 'running';
  readonly pending: PendingCall[] = [];
  readonly timers = new Set<number>();
  /** Timers that came due while the process was paused: they fire when it resumes (SIGCONT). */
  readonly dueWhilePaused: (() => void)[] = [];
  result: T | undefined;
  error: unknown;
  /** Scheduled calls of this process so far. */
  opCount = 0;
  /** Monotonic times of its start and of its exit (a pass's deadline is measured between them). */
  spawnedAtMs = 0;
  exitedAtMs: number | undefined;
  io!: Io;
  done!: Promise<void>;
  /** This process's own gated FileSystem, before any fault decorator (foreign kernels use its extras). */
  simFs!: SimProcessFs;
  /** Work of this process running outside the harness thread (a worker computing its next call). */
  outside = 0;
  /** Called once when the process is killed (a foreign worker is terminated: SIGKILL). */
  onKill: (() => void) | undefined;

  constructor(
    readonly pid: number,
    readonly name: string,
    /** The host it runs on: its pid is looked up in that host's table only. */
    readonly host: string = SIM_HOST,
  ) {}

  get alive(): boolean {
    return this.status === 'running' || this.status === 'paused';
  }
}

/** The timers of one simulated process (see World.timersOf). */
export interface ProcessTimers {
  setTimeout(callback: () => void, delayMs: number): object;
  clearTimeout(timer: unknown): void;
  setInterval(callback: () => void, intervalMs: number): object;
  clearInterval(timer: unknown): void;
}

export interface SpawnOptions {
  readonly handlers?: StageHandlers;
  /** Fault decorators over this process's FileSystem, innermost first. */
  readonly decorate?: readonly ((fs: FileSystem, process: SimProcess) => FileSystem)[];
  /** The decisions the process makes (default: the production policy). */
  readonly policy?: Policy;
  /** The runtime the process runs (default: the real one; the bug zoo passes a patched copy). */
  readonly runtime?: RuntimeEntries;
  /** A view of this process's clock (a bug zoo entry that reads the wrong clock). */
  readonly wrapClock?: (clock: Clock) => Clock;
  /** The host it runs on (default SIM_HOST): each host has its own process table. */
  readonly host?: string;
}

export interface WorldOptions {
  readonly seed: number;
  readonly core?: SimFsCore;
  readonly startMs?: number;
  readonly opLatencyMs?: number;
  readonly choices?: ChoiceSource;
  readonly maxSteps?: number;
  /** Keep the trace text (default). The explorer turns it off: its verdicts need no trace lines. */
  readonly trace?: boolean;
}

export const SIM_HOST = 'sim-host';
/** A second machine sharing the data root (a network filesystem): its pids mean nothing on SIM_HOST. */
export const OTHER_HOST = 'sim-host-b';
const MICROTASK_TURNS = 200;
export const SIM_START_MS = 1_800_000_000_000;

export class World {
  readonly seed: number;
  readonly fake: ReturnType<typeof createClock>;
  core: SimFsCore;
  readonly trace: Trace;
  /** Whether calls and events are written to the trace; when false, no trace text is even built. */
  readonly tracing: boolean;
  readonly events: LoggedEvent[] = [];
  readonly processes: SimProcess[] = [];
  readonly random: SeededRandom;
  wallOffsetMs = 0;
  /** Every wall-clock step, at the monotonic time it happened (durations are judged across them). */
  readonly wallSteps: WallStep[] = [];
  seq = 0;
  interceptor: Interceptor | undefined;
  /** Called for every logged event, as it is logged (scenarios start processes on events). */
  readonly eventListeners: ((event: LoggedEvent) => void)[] = [];
  /** Processes that exited with file handles still open, and the paths those were opened at. */
  readonly leakedHandles: { readonly pid: number; readonly name: string; readonly paths: readonly string[] }[] = [];
  /** Called after each call ran, with whether it succeeded (a monitor keeps only commits that happened). */
  readonly completions: ((process: SimProcess, op: OpDesc, ok: boolean) => void)[] = [];
  /** Called for every call the scheduler lets run, before it runs (invariant monitors). */
  readonly observers: ((process: SimProcess, op: OpDesc, seq: number) => void)[] = [];
  private readonly choices: ChoiceSource;
  private readonly opLatencyMs: number;
  private readonly maxSteps: number;
  private nextPid = 100;
  private worldTimers = 0;

  constructor(options: WorldOptions) {
    this.seed = options.seed;
    this.tracing = options.trace ?? true;
    this.trace = new Trace(this.tracing ? undefined : 0);
    this.random = new SeededRandom(options.seed);
    this.fake = createClock(options.startMs ?? SIM_START_MS, 10_000);
    this.core = options.core ?? new SimFsCore(() => this.wallNowMs());
    this.core.clockMs = () => this.wallNowMs();
    this.choices = options.choices ?? seededChoices(this.random.next());
    this.opLatencyMs = options.opLatencyMs ?? 1;
    this.maxSteps = options.maxSteps ?? 2_000_000;
  }

  wallNowMs(): number {
    return this.fake.now + this.wallOffsetMs;
  }

  /** Steps the wall clock (NTP step, VM resume); monotonic time is unaffected. */
  stepWallClock(deltaMs: number): void {
    this.wallOffsetMs += deltaMs;
    this.wallSteps.push({ atMs: this.fake.now, eventsBefore: this.events.length, deltaMs });
    this.trace.add(`t=${this.fake.now} world wall-clock step ${deltaMs >= 0 ? '+' : ''}${deltaMs}ms`);
  }

  /** Runs `action` at simulated time now + delayMs (a world event, not owned by any process). */
  at(delayMs: number, label: string, action: () => void): void {
    this.worldTimers += 1;
    this.fake.setTimeout(() => {
      this.worldTimers -= 1;
      this.trace.add(`t=${this.fake.now} world ${label}`);
      action();
    }, delayMs);
  }

  spawn<T>(
    name: string,
    main: (io: Io, runtime: RuntimeEntries, process: SimProcess<T>) => Promise<T>,
    options: SpawnOptions = {},
  ): SimProcess<T> {
    const process = new SimProcess<T>(this.nextPid++, name, options.host ?? SIM_HOST);
    process.spawnedAtMs = this.fake.now;
    process.simFs = new SimProcessFs(this.kernelOf(process));
    let fs: FileSystem = process.simFs;
    for (const decorate of options.decorate ?? []) fs = decorate(fs, process);
    process.io = {
      fs,
      clock: options.wrapClock?.(this.clockFor(process)) ?? this.clockFor(process),
      random: this.random.fork(),
      processes: { pid: process.pid, host: process.host, isAlive: (pid) => this.isAlive(pid, process.host) },
      log: { emit: (event, fields = {}) => this.logEvent(process, event, fields) },
      handlers: options.handlers ?? STANDARD_HANDLERS,
      policy: options.policy ?? defaultPolicy,
    };
    this.processes.push(process);
    this.trace.add(`t=${this.fake.now} p${process.pid} spawn ${name}`);
    process.done = main(process.io, options.runtime ?? realRuntime, process).then(
      (result) => this.exit(process, result, undefined),
      (error: unknown) => this.exit(process, undefined, error),
    );
    return process;
  }

  private exit<T>(process: SimProcess<T>, result: T | undefined, error: unknown): void {
    if (!process.alive) return;
    process.status = 'exited';
    process.exitedAtMs = this.fake.now;
    process.result = result;
    process.error = error;
    this.dropTimers(process);
    if (process.simFs.openHandles.size > 0)
      this.leakedHandles.push({ pid: process.pid, name: process.name, paths: [...process.simFs.openHandles.values()] });
    const how =
      error === undefined
        ? 'ok'
        : `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    this.trace.add(`t=${this.fake.now} p${process.pid} exit ${how}`);
  }

  /** Whether `pid` names a live process on `host` (kill(pid, 0) there): another host's table is not this one's. */
  isAlive(pid: number, host = SIM_HOST): boolean {
    return this.processes.some((p) => p.pid === pid && p.host === host && p.alive);
  }

  kill(process: SimProcess, reason = 'SIGKILL'): void {
    if (!process.alive) return;
    process.status = 'killed';
    process.pending.length = 0;
    process.dueWhilePaused.length = 0;
    this.dropTimers(process);
    this.trace.add(`t=${this.fake.now} p${process.pid} killed (${reason}) after ${process.opCount} ops`);
    process.onKill?.();
  }

  /**
   * Awaits work of `process` that runs outside the harness thread (a worker thread computing until its
   * next call). The scheduler waits for every such piece of work before it picks the next call, so
   * the interleaving depends only on the seed, not on which thread was faster.
   */
  async outside<T>(process: SimProcess, work: Promise<T>): Promise<T> {
    process.outside += 1;
    try {
      return await work;
    } finally {
      process.outside -= 1;
      const wake = this.outsideWake;
      this.outsideWake = undefined;
      wake?.();
    }
  }

  private outsideWake: (() => void) | undefined;

  /** Resolves when some outside work of a live process ends; at once if there is none. */
  private waitForOutside(): Promise<void> | undefined {
    if (!this.processes.some((p) => p.alive && p.outside > 0)) return undefined;
    return new Promise<void>((resolve) => {
      this.outsideWake = resolve;
    });
  }

  pause(process: SimProcess, durationMs: number): void {
    if (process.status !== 'running') return;
    process.status = 'paused';
    this.trace.add(`t=${this.fake.now} p${process.pid} paused for ${durationMs}ms`);
    this.at(durationMs, `resume p${process.pid}`, () => {
      if (process.status !== 'paused') return;
      process.status = 'running';
      for (const fire of process.dueWhilePaused.splice(0)) fire();
    });
  }

  private dropTimers(process: SimProcess): void {
    for (const id of process.timers) this.fake.clearTimeout(id);
    process.timers.clear();
  }

  /** The Clock port of `process`: the world's clocks, and its timers (World.timersOf). */
  private clockFor(process: SimProcess): Clock {
    const timers = this.timersOf(process);
    return {
      nowMs: () => this.wallNowMs(),
      monotonicMs: () => this.fake.now,
      sleep: (durationMs) =>
        new Promise<void>((resolve) => {
          if (process.alive) timers.setTimeout(resolve, durationMs);
        }),
      every: (intervalMs, tick): Timer => {
        const timer = timers.setInterval(tick, intervalMs);
        return { cancel: () => timers.clearInterval(timer) };
      },
    };
  }

  /**
   * Node's timers as `process` has them: a timeout due while it is paused fires when it resumes, an
   * interval ticks only while it runs, and a kill drops both (the simulated machine's setTimeout).
   */
  timersOf(process: SimProcess): ProcessTimers {
    const owned = (id: number) => {
      process.timers.add(id);
      return { id };
    };
    return {
      setTimeout: (callback, delayMs) => {
        const id = this.fake.setTimeout(() => {
          process.timers.delete(id);
          if (process.status === 'paused') process.dueWhilePaused.push(callback);
          else if (process.alive) callback();
        }, delayMs) as unknown as number;
        return owned(id);
      },
      setInterval: (callback, intervalMs) =>
        owned(
          this.fake.setInterval(() => {
            if (process.status === 'running') callback();
          }, intervalMs) as unknown as number,
        ),
      clearTimeout: (timer) => {
        const { id } = timer as { id: number };
        this.fake.clearTimeout(id);
        process.timers.delete(id);
      },
      clearInterval: (timer) => {
        const { id } = timer as { id: number };
        this.fake.clearInterval(id);
        process.timers.delete(id);
      },
    };
  }

  /** Records an event `process` logged (through the Log port, or a line its log adapter wrote). */
  logEvent(process: SimProcess, event: LogEventName, fields: LogFields): void {
    const logged = { seq: this.seq, pid: process.pid, timeMs: this.wallNowMs(), event, fields };
    this.events.push(logged);
    if (this.tracing) this.trace.add(`t=${this.fake.now} p${process.pid} log ${event} ${JSON.stringify(fields)}`);
    for (const listener of this.eventListeners) listener(logged);
  }

  /** What `process`'s SimProcessFs may do to the world: the gate, the trace, the completion hooks, a kill mid-call. */
  private kernelOf(process: SimProcess): ProcessKernel {
    return {
      pid: process.pid,
      core: () => this.core,
      gate: (op) => this.gate(process, op),
      trace: (line) => {
        if (this.tracing) this.trace.add(`#${this.seq - 1} t=${this.fake.now} p${process.pid} ${line()}`);
      },
      completed: (op, ok) => {
        for (const done of this.completions) done(process, op, ok);
      },
      killDuring: (op) => this.kill(process, `during op #${this.seq - 1} ${op.op} ${op.path}`),
    };
  }

  /** Parks the call until the scheduler picks it. A killed process parks forever. */
  private gate(process: SimProcess, op: OpDesc): Promise<GateDecision> {
    return new Promise((resolve) => {
      if (process.alive) process.pending.push({ op, resolve });
    });
  }

  /** Runs until every process has exited or been killed and no world event is pending. */
  async run(): Promise<void> {
    let resumed: SimProcess | undefined;
    for (let steps = 0; ; steps++) {
      if (steps >= this.maxSteps) throw new Error(`world did not settle within ${this.maxSteps} steps`);
      await this.settle(resumed);
      resumed = undefined;
      const outside = this.waitForOutside();
      if (outside !== undefined) {
        await outside;
        continue;
      }
      const ready = this.processes.filter((p) => p.status === 'running' && p.pending.length > 0);
      if (ready.length === 0) {
        const live = this.processes.some((p) => p.alive);
        if ((!live && this.worldTimers === 0) || this.fake.countTimers() === 0) return;
        this.fake.next();
        continue;
      }
      const process = ready[this.choices.choose(ready.length)]!;
      const call = process.pending.shift()!;
      const seq = this.seq;
      const decision = this.interceptor?.(process, call.op, seq) ?? { kind: 'proceed' };
      if (decision === 'kill') {
        this.kill(process, `before op #${seq} ${call.op.op} ${call.op.path}`);
        continue;
      }
      if (decision.kind === 'pause') {
        // SIGSTOP before the call: it runs when the process resumes.
        process.pending.unshift(call);
        this.pause(process, decision.durationMs);
        continue;
      }
      for (const observe of this.observers) observe(process, call.op, seq);
      this.seq += 1;
      process.opCount += 1;
      this.fake.tick(this.opLatencyMs);
      // A world event during the call's latency (a power loss, a scripted kill) killed the process:
      // the call never happens. Running it would act on the rebooted machine's files through a handle
      // of the old one (an escape from the simulation).
      if (!process.alive) continue;
      call.resolve(decision);
      resumed = process;
    }
  }

  /**
   * Lets every process run until it waits at a gate, on a timer, or has exited. Fast path: turn the
   * microtask queue until the process just resumed is parked again; the slow path (a macrotask turn,
   * which drains every microtask) covers timers and freshly started processes. Both are deterministic:
   * nothing here depends on real time.
   */
  private async settle(resumed: SimProcess | undefined): Promise<void> {
    if (resumed !== undefined) {
      for (let turns = 0; turns < MICROTASK_TURNS; turns++) {
        await Promise.resolve();
        if (!resumed.alive || resumed.pending.length > 0) return;
      }
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Power loss: every process dies at once and the machine reboots on `core`. */
  powerLoss(core: SimFsCore, model: string): void {
    for (const process of this.processes) this.kill(process, `power loss (${model})`);
    core.clockMs = () => this.wallNowMs();
    this.core = core;
    this.trace.add(`t=${this.fake.now} world power loss (${model}); rebooted on the crash state`);
  }
}
