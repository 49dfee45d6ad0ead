// What happened to each job's directory on disk, watched call by call across every world of a run (the
// chaos world and the recovery worlds): the last state.json committed (its status and updatedAt, read
// from the file the commit put in place), whether a tombstone was committed, and the first removal of
// that state.json after the commit (with the wall time it ran at). The oracle uses it to judge a job
// whose state.json is gone: that is a loss unless the job was deleted, or unless its last committed
// state was finished and the removal ran more than the TTL after that state's updatedAt, which is
// exactly when purge must remove it.
import type { RuntimeConfig } from '../../src/config.ts';
import type { OpDesc } from '../simFs/simFs.ts';
import type { World } from '../world/world.ts';
import { readCoreState } from './coreFiles.ts';

export interface JobLife {
  /** The last state committed by a rename or link onto state.json. */
  lastCommitted?: { readonly status: string; readonly updatedAtMs: number };
  tombstoned: boolean;
  /** Wall time of the first removal of state.json (or of the job directory) after the last commit. */
  removedAtMs?: number;
}

const FINISHED = new Set(['complete', 'failed', 'deleted']);

export class JobLifeWatch {
  readonly lives = new Map<string, JobLife>();
  private readonly jobsDir: string;

  constructor(private readonly config: RuntimeConfig) {
    this.jobsDir = `${config.root}/jobs/`;
  }

  attach(world: World): void {
    world.completions.push((_process, op, ok) => {
      if (ok) this.completed(world, op);
    });
  }

  /** Why a job with no state.json is legitimately gone, or undefined if it was lost. */
  goneBecause(jobId: string): string | undefined {
    const life = this.lives.get(jobId);
    if (life === undefined) return undefined;
    if (life.tombstoned) return 'deleted';
    const last = life.lastCommitted;
    if (last === undefined || life.removedAtMs === undefined || !FINISHED.has(last.status)) return undefined;
    return life.removedAtMs - last.updatedAtMs > this.config.ttlMs ? 'purged past its TTL' : undefined;
  }

  private completed(world: World, op: OpDesc): void {
    const target = op.op === 'rename' || op.op === 'link' ? op.to : op.op === 'unlink' || op.op === 'rmdir' ? op.path : undefined;
    if (target === undefined || !target.startsWith(this.jobsDir)) return;
    const [jobId, name] = target.slice(this.jobsDir.length).split('/');
    if (jobId === undefined || jobId === '') return;
    const life = this.lifeOf(jobId);
    if (op.op === 'unlink' || op.op === 'rmdir') {
      if (name === 'state.json' || name === undefined) life.removedAtMs ??= world.wallNowMs();
      return;
    }
    if (name === 'deleted') life.tombstoned = true;
    if (name !== 'state.json') return;
    try {
      const state = readCoreState(world.core, this.config, jobId);
      if (state !== undefined) life.lastCommitted = { status: state.status, updatedAtMs: state.updatedAt };
    } catch {
      life.lastCommitted = { status: 'unreadable', updatedAtMs: Number.NaN };
    }
    delete life.removedAtMs;
  }

  private lifeOf(jobId: string): JobLife {
    let life = this.lives.get(jobId);
    if (life === undefined) {
      life = { tombstoned: false };
      this.lives.set(jobId, life);
    }
    return life;
  }
}
