// Which processes an injected fault reached. The witness is the outermost decorator of a process's
// FileSystem: every error an injected fault threw passes through it (the runtime sees nothing else),
// so it can tell the oracle that this process met a fault, and only then may its work fail.
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import { interceptCalls, isInjected, type InjectedTag } from './faultRule.ts';

export class FaultWitness {
  private readonly reached = new Set<number>();

  /** `onInjected` hears of every injected error as it reaches the runtime (the trace records it). */
  constructor(private readonly onInjected?: (pid: number, tag: InjectedTag) => void) {}

  /** A decorator for process `pid`: put it outside every fault decorator of that process. */
  decorator(pid: () => number): (fs: FileSystem) => FileSystem {
    return (fs) =>
      interceptCalls(fs, async (_op, _path, next) => {
        try {
          return await next();
        } catch (error) {
          if (isInjected(error)) {
            this.reached.add(pid());
            this.onInjected?.(pid(), error.injected);
          }
          throw error;
        }
      });
  }

  /** Marks a process disturbed by a fault that throws nothing (a pause, a slow call, an upstream fault). */
  mark(pid: number): void {
    this.reached.add(pid);
  }

  has(pid: number): boolean {
    return this.reached.has(pid);
  }
}
