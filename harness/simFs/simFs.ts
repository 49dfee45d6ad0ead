// SimFs as one simulated process sees it: the FileSystem port over the shared SimFsCore. Every call
// waits at the world's gate (the scheduler decides when it runs), then runs atomically on the core
// and is recorded in the trace with its acting pid and its result. A write the world chose to cut
// short (a kill in the middle of a large write) applies a block-aligned prefix and then kills.
import type { FileHandle, FileStats, FileSystem, OpenFlags } from '../../src/ports/fileSystem.ts';
import type { OpenFile, SimFsCore } from './simFsCore.ts';
import type { GateDecision, SimProcess, World } from '../world/world.ts';

export type OpName = 'open' | 'write' | 'fsync' | 'close' | 'readFile' | 'rename' | 'link' | 'unlink' | 'mkdir'
  | 'rmdir' | 'readdir' | 'stat' | 'lstat' | 'fsyncDir'
  // Calls only foreign code makes (harness/simFs/coreExtras.ts):
  | 'read' | 'truncate' | 'utimes' | 'symlink' | 'readlink' | 'fstat';

export interface OpDesc {
  readonly op: OpName;
  readonly path: string;
  readonly to?: string;
  readonly flags?: OpenFlags;
  readonly sizeBytes?: number;
  readonly positionBytes?: number;
}

function describe(op: OpDesc): string {
  const parts: string[] = [op.op, op.path];
  if (op.to !== undefined) parts.push(`-> ${op.to}`);
  if (op.flags !== undefined) parts.push(op.flags);
  if (op.sizeBytes !== undefined) parts.push(`${op.sizeBytes}B@${op.positionBytes ?? 0}`);
  return parts.join(' ');
}

const NEVER = -1;

export class SimProcessFs implements FileSystem {
  constructor(private readonly world: World, private readonly process: SimProcess) {}

  /** One gated call: its trace line (`= ok`, the result `render` gives, or the error code) and completion hooks. */
  private async run<T>(op: OpDesc, apply: (decision: GateDecision) => T, render: (result: T) => string | undefined = () => 'ok'): Promise<T> {
    const decision = await this.world.gate(this.process, op);
    const prefix = this.world.tracing ? `#${this.world.seq - 1} t=${this.world.fake.now} p${this.process.pid} ${describe(op)}` : '';
    try {
      const result = apply(decision);
      const shown = this.world.tracing ? render(result) : undefined;
      if (shown !== undefined) this.world.trace.add(`${prefix} = ${shown}`);
      for (const done of this.world.completions) done(this.process, op, true);
      return result;
    } catch (error) {
      if (this.world.tracing) this.world.trace.add(`${prefix} = ${(error as { code?: string }).code ?? String(error)}`);
      for (const done of this.world.completions) done(this.process, op, false);
      throw error;
    }
  }

  /** A call beyond the FileSystem port (foreign code): gated, traced and observed like the port's. */
  call<T>(op: OpDesc, apply: (core: SimFsCore) => T): Promise<T> {
    return this.run(op, () => apply(this.world.core));
  }

  async open(path: string, flags: OpenFlags): Promise<FileHandle> {
    const file = await this.run({ op: 'open', path, flags }, () => this.world.core.open(path, flags));
    return this.handle(file);
  }

  private handle(file: OpenFile): FileHandle {
    // A handle belongs to the machine it was opened on: after a power loss the world runs on another
    // core, where the same inode number may be another file. Using it there would be an escape.
    const core = this.world.core;
    const live = () => {
      if (this.world.core !== core) throw Object.assign(new Error(`simulation escape: p${this.process.pid} used a handle of ${file.path} from before a power loss`), { name: 'SimulationEscape' });
      return core;
    };
    return {
      write: (data, positionBytes) => this.run({ op: 'write', path: file.path, sizeBytes: data.length, positionBytes }, (decision) => {
        const keep = decision.kind === 'partial-write' ? Math.min(decision.keepBytes, data.length) : data.length;
        const written = live().write(file, data.subarray(0, keep), positionBytes);
        if (decision.kind !== 'partial-write') return written;
        // Killed mid-write: a prefix reached the page cache, and the call never returns.
        this.world.trace.add(`#${this.world.seq - 1} t=${this.world.fake.now} p${this.process.pid} ${describe({ op: 'write', path: file.path, sizeBytes: data.length, positionBytes })} = torn: ${keep} of ${data.length} bytes reached the page cache`);
        this.world.kill(this.process, `during op #${this.world.seq - 1} write ${file.path}`);
        return NEVER;
      }, (written) => (written === NEVER ? undefined : String(written))).then((written) => (written === NEVER ? new Promise<number>(() => undefined) : written)),
      sync: () => this.run({ op: 'fsync', path: file.path }, () => live().fsync(file)),
      close: () => this.run({ op: 'close', path: file.path }, () => live().close(file)),
    };
  }

  readFile(path: string): Promise<Uint8Array> {
    return this.run({ op: 'readFile', path }, () => this.world.core.readFile(path));
  }
  rename(fromPath: string, toPath: string): Promise<void> {
    return this.run({ op: 'rename', path: fromPath, to: toPath }, () => this.world.core.rename(fromPath, toPath));
  }
  link(existingPath: string, newPath: string): Promise<void> {
    return this.run({ op: 'link', path: existingPath, to: newPath }, () => this.world.core.link(existingPath, newPath));
  }
  unlink(path: string): Promise<void> {
    return this.run({ op: 'unlink', path }, () => this.world.core.unlink(path));
  }
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    return this.run({ op: 'mkdir', path }, () => this.world.core.mkdir(path, options?.recursive ?? false));
  }
  rmdir(path: string): Promise<void> {
    return this.run({ op: 'rmdir', path }, () => this.world.core.rmdir(path));
  }
  readdir(path: string): Promise<string[]> {
    return this.run({ op: 'readdir', path }, () => this.world.core.readdir(path));
  }
  stat(path: string): Promise<FileStats> {
    return this.run({ op: 'stat', path }, () => this.world.core.stat(path, true));
  }
  lstat(path: string): Promise<FileStats> {
    return this.run({ op: 'lstat', path }, () => this.world.core.stat(path, false));
  }
  syncDir(path: string): Promise<void> {
    return this.run({ op: 'fsyncDir', path }, () => this.world.core.syncDir(path));
  }
}
