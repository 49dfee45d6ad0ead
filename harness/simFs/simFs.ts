// SimFs as one simulated process sees it: the FileSystem port over the shared SimFsCore. Every call
// waits at the gate of the process's kernel (the scheduler decides when it runs), then runs atomically
// on the core and ends the same way: a trace line with its acting pid and its result, then the
// completion hooks. A write the world chose to cut short (a kill in the middle of a large write)
// applies a block-aligned prefix, ends like any call (`= torn: ...`), and then kills.
import type { FileHandle, FileStats, FileSystem, OpenFlags } from '../../src/ports/fileSystem.ts';
import type { OpenFile, SimFsCore } from './simFsCore.ts';
import type { OpDesc, ProcessKernel } from './processKernel.ts';

export type { OpDesc, OpName } from './processKernel.ts';

function describe(op: OpDesc): string {
  const parts: string[] = [op.op, op.path];
  if (op.to !== undefined) parts.push(`-> ${op.to}`);
  if (op.flags !== undefined) parts.push(op.flags);
  if (op.sizeBytes !== undefined) parts.push(`${op.sizeBytes}B@${op.positionBytes ?? 0}`);
  return parts.join(' ');
}

export class SimProcessFs implements FileSystem {
  /** The process's open file handles (numbered in open order) and the path each was opened at. */
  readonly openHandles = new Map<number, string>();
  private handlesOpened = 0;

  constructor(private readonly kernel: ProcessKernel) {}

  /** One gated call: it waits for the scheduler, then runs and ends (see `end`). */
  private async run<T>(op: OpDesc, apply: (core: SimFsCore) => T): Promise<T> {
    await this.kernel.gate(op);
    return this.end(
      op,
      () => apply(this.kernel.core()),
      () => 'ok',
    );
  }

  /** Runs a call the gate let through, and ends it: its trace line (`render`'s result, or the error code) and the completion hooks. */
  private end<T>(op: OpDesc, act: () => T, render: (result: T) => string): T {
    let result: T;
    try {
      result = act();
    } catch (error) {
      this.kernel.trace(() => `${describe(op)} = ${(error as { code?: string }).code ?? String(error)}`);
      this.kernel.completed(op, false);
      throw error;
    }
    this.kernel.trace(() => `${describe(op)} = ${render(result)}`);
    this.kernel.completed(op, true);
    return result;
  }

  /** A call beyond the FileSystem port (foreign code): gated, traced and observed like the port's. */
  call<T>(op: OpDesc, apply: (core: SimFsCore) => T): Promise<T> {
    return this.run(op, apply);
  }

  async open(path: string, flags: OpenFlags): Promise<FileHandle> {
    const file = await this.run({ op: 'open', path, flags }, (core) => core.open(path, flags));
    const id = this.handlesOpened++;
    this.openHandles.set(id, path);
    return this.handle(file, id);
  }

  private handle(file: OpenFile, id: number): FileHandle {
    // A handle belongs to the machine it was opened on: after a power loss the world runs on another
    // core, where the same inode number may be another file. Using it there would be an escape.
    const core = this.kernel.core();
    const live = () => {
      if (this.kernel.core() !== core)
        throw Object.assign(
          new Error(`simulation escape: p${this.kernel.pid} used a handle of ${file.path} from before a power loss`),
          { name: 'SimulationEscape' },
        );
      return core;
    };
    return {
      // A write resolves one microtask turn after its call ends, as it always has. The order in which
      // a process's concurrent calls reach the gate depends on these turns, and with it every
      // recorded interleaving: without this turn, saved failures and traces would replay differently.
      write: async (data, positionBytes) => await this.write(file, live, data, positionBytes),
      sync: () => this.run({ op: 'fsync', path: file.path }, () => live().fsync(file)),
      // close(2) releases the descriptor even when it reports an error, so the count drops first.
      close: () =>
        this.run({ op: 'close', path: file.path }, () => {
          this.openHandles.delete(id);
          return live().close(file);
        }),
    };
  }

  /** A write: gated and ended like every call; one the world tears keeps a prefix, then the process dies in it. */
  private async write(file: OpenFile, live: () => SimFsCore, data: Uint8Array, positionBytes: number): Promise<number> {
    const op: OpDesc = { op: 'write', path: file.path, sizeBytes: data.length, positionBytes };
    const decision = await this.kernel.gate(op);
    const torn = decision.kind === 'partial-write';
    const keep = torn ? Math.min(decision.keepBytes, data.length) : data.length;
    const render = (written: number) =>
      torn ? `torn: ${keep} of ${data.length} bytes reached the page cache` : String(written);
    const written = this.end(op, () => live().write(file, data.subarray(0, keep), positionBytes), render);
    if (!torn) return written;
    // Killed mid-write: a prefix reached the page cache, and the call never returns.
    this.kernel.killDuring(op);
    return new Promise<number>(() => undefined);
  }
  readFile(path: string): Promise<Uint8Array> {
    return this.run({ op: 'readFile', path }, (core) => core.readFile(path));
  }
  rename(fromPath: string, toPath: string): Promise<void> {
    return this.run({ op: 'rename', path: fromPath, to: toPath }, (core) => core.rename(fromPath, toPath));
  }
  link(existingPath: string, newPath: string): Promise<void> {
    return this.run({ op: 'link', path: existingPath, to: newPath }, (core) => core.link(existingPath, newPath));
  }
  unlink(path: string): Promise<void> {
    return this.run({ op: 'unlink', path }, (core) => core.unlink(path));
  }
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    return this.run({ op: 'mkdir', path }, (core) => core.mkdir(path, options?.recursive ?? false));
  }
  rmdir(path: string): Promise<void> {
    return this.run({ op: 'rmdir', path }, (core) => core.rmdir(path));
  }
  readdir(path: string): Promise<string[]> {
    return this.run({ op: 'readdir', path }, (core) => core.readdir(path));
  }
  stat(path: string): Promise<FileStats> {
    return this.run({ op: 'stat', path }, (core) => core.stat(path, true));
  }
  lstat(path: string): Promise<FileStats> {
    return this.run({ op: 'lstat', path }, (core) => core.stat(path, false));
  }
  syncDir(path: string): Promise<void> {
    return this.run({ op: 'fsyncDir', path }, (core) => core.syncDir(path));
  }
}
