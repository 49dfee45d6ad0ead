// The worker's side of the kernel protocol (kernelProtocol.ts): one blocking call per request, and the
// worker's clocks kept on the world's. `Date` (fake-timers) shows the world's wall clock after every
// answer; the timers pending during a call age by the monotonic time it took (a pause, a slow call),
// and those due fire at the next idle point, so a timer callback never runs inside a synchronous fs
// call, and a timer set after a long call is not charged for time that passed before it existed.
// `performance.now` and `process.hrtime` show the world's monotonic clock.
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { KernelAnswer, KernelRequest } from '../kernelProtocol.ts';

/** The part of an installed @sinonjs/fake-timers clock the kernel drives. */
export interface WorkerClock {
  readonly now: number;
  setSystemTime(nowMs: number): void;
  tick(durationMs: number): unknown;
  countTimers(): number;
  /** fake-timers' pending timers by id; each has a `callAt` (setSystemTime shifts it the same way). */
  readonly timers?: ReadonlyMap<number, object>;
}

export class SyncKernel {
  private readonly flag: Int32Array;
  private lastMonoMs: number;

  constructor(
    private readonly port: MessagePort,
    flag: SharedArrayBuffer,
    private readonly clock: WorkerClock,
    readonly startMonoMs: number,
    private readonly mount: string,
  ) {
    this.flag = new Int32Array(flag);
    this.lastMonoMs = startMonoMs;
  }

  /** Monotonic milliseconds since the process started, as the world counts them. */
  get monoElapsedMs(): number {
    return this.lastMonoMs - this.startMonoMs;
  }

  /** Sends `request` and blocks until the kernel answers; throws the call's error as node:fs would. */
  call(request: KernelRequest): unknown {
    this.port.postMessage(request);
    Atomics.wait(this.flag, 0, 0);
    Atomics.store(this.flag, 0, 0);
    const received = receiveMessageOnPort(this.port);
    if (received === undefined) throw new Error('durable-jobs foreign kernel: woken without an answer');
    const answer = received.message as KernelAnswer;
    this.follow(answer);
    if (!answer.ok) throw this.errorOf(answer);
    return answer.value;
  }

  private follow(answer: KernelAnswer): void {
    const elapsedMs = answer.monoNowMs - this.lastMonoMs;
    this.lastMonoMs = answer.monoNowMs;
    // setSystemTime keeps every timer's remaining delay across the wall clock's move (a step too);
    // then each pending timer ages by the monotonic time the call took, down to now at the least
    // (fake-timers fires only timers due in [now, now + ms]; a timer due in the past would never run).
    this.clock.setSystemTime(answer.wallNowMs);
    if (elapsedMs <= 0) return;
    const nowMs = this.clock.now;
    for (const timer of this.clock.timers?.values() ?? []) {
      const pending = timer as { callAt: number };
      pending.callAt = Math.max(nowMs, pending.callAt - elapsedMs);
    }
  }

  /** At an idle point: fires the timers that have come due. */
  fireDueTimers(): void {
    this.clock.tick(0);
  }

  /** Milliseconds until the first pending timer, or undefined if there is none. */
  nextTimerInMs(): number | undefined {
    const heap = (this.clock as unknown as { timerHeap?: { peek(): { callAt: number } | undefined } }).timerHeap;
    if (heap === undefined && this.clock.countTimers() === 0) return undefined; // the heap is made with the first timer
    if (heap === undefined || typeof heap.peek !== 'function') {
      throw new Error(
        'durable-jobs foreign kernel: @sinonjs/fake-timers has no timerHeap (the installed version changed)',
      );
    }
    const first = heap.peek();
    return first === undefined ? undefined : Math.max(0, first.callAt - this.clock.now);
  }

  private errorOf(answer: KernelAnswer): Error {
    const detail = answer.error ?? { message: 'unknown kernel error' };
    const shownPath = detail.path === undefined ? undefined : `${this.mount}${detail.path}`;
    const message =
      detail.path === undefined ? detail.message : detail.message.split(`'${detail.path}'`).join(`'${shownPath}'`);
    const error = new Error(message) as NodeJS.ErrnoException;
    if (detail.code !== undefined) error.code = detail.code;
    if (detail.syscall !== undefined) error.syscall = detail.syscall;
    if (shownPath !== undefined) error.path = shownPath;
    if (detail.code !== undefined) error.errno = -1;
    return error;
  }
}
