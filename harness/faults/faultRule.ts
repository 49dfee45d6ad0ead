// The shared shape of environment faults. A fault decorates one process's FileSystem (FoundationDB
// style: faults are wrappers over one file interface); a trigger says which calls it hits, counted
// per process: the n-th matching call and, with `times`, the ones after it. Every injected error is
// tagged `injected` so checkers and reports can tell it from a real one.
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import type { OpName } from '../simFs/simFs.ts';
import { aroundEveryCall } from './decorateFileSystem.ts';

export interface FaultTrigger {
  readonly op?: OpName | readonly OpName[];
  readonly pathIncludes?: string;
  /** 1-based: the first matching call to hit (default 1). */
  readonly nth?: number;
  /** How many matching calls to hit from the n-th on (default 1; Infinity: until cleared). */
  readonly times?: number;
}

export interface InjectedTag {
  readonly fault: string;
  readonly op: OpName;
  readonly path: string;
}

export function injectedError(code: string, tag: InjectedTag): Error {
  const error = new Error(`${code}: injected ${tag.fault}, ${tag.op} '${tag.path}'`);
  return Object.assign(error, { code, syscall: tag.op, path: tag.path, injected: tag });
}

export function isInjected(error: unknown): error is Error & { injected: InjectedTag } {
  return typeof error === 'object' && error !== null && 'injected' in error;
}

/** Counts matching calls and says whether this one is hit. */
export class TriggerCounter {
  private seen = 0;
  cleared = false;

  constructor(private readonly trigger: FaultTrigger) {}

  hits(op: OpName, path: string): boolean {
    if (this.cleared) return false;
    const ops =
      this.trigger.op === undefined
        ? undefined
        : typeof this.trigger.op === 'string'
          ? [this.trigger.op]
          : this.trigger.op;
    if (ops !== undefined && !ops.includes(op)) return false;
    if (this.trigger.pathIncludes !== undefined && !path.includes(this.trigger.pathIncludes)) return false;
    this.seen += 1;
    const first = this.trigger.nth ?? 1;
    return this.seen >= first && this.seen < first + (this.trigger.times ?? 1);
  }
}

/**
 * Wraps every call of `fs` with `before(op, path, next)`: the hook may throw, delay, or call `next`.
 * Handle methods report the path the file was opened with; a rename or link is matched and reported
 * by its target, the name a scenario knows.
 */
export function interceptCalls(
  fs: FileSystem,
  intercept: <T>(op: OpName, path: string, next: () => Promise<T>) => Promise<T>,
): FileSystem {
  // An injected fault rejects the call's promise, as a real fs.promises call fails: never a synchronous
  // throw, which `promise.catch(...)` in the code under test would not see.
  return aroundEveryCall(fs, async (call, next) =>
    call.op === 'close'
      ? failedCloseReleases(intercept, call.path, next)
      : intercept(call.op, call.to ?? call.path, next),
  );
}

/**
 * close(2) releases the descriptor even when it reports an error: a close the fault fails without
 * running it is still run underneath (its own outcome dropped), so the kernel's handle count (I5)
 * sees the descriptor go, as Linux would.
 */
async function failedCloseReleases<T>(
  intercept: <U>(op: OpName, path: string, next: () => Promise<U>) => Promise<U>,
  path: string,
  next: () => Promise<T>,
): Promise<T> {
  let ran = false;
  try {
    return await intercept('close', path, () => {
      ran = true;
      return next();
    });
  } catch (error) {
    if (!ran) await next().catch(() => undefined);
    throw error;
  }
}
