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
    // A rename moves its source away: renaming a job directory (or its state.json) removes the job.
    if (op.op === 'rename' || op.op === 'unlink' || op.op === 'rmdir') this.removed(world, op.path);
    if (op.op !== 'rename' && op.op !== 'link') return;
    const target = this.jobPath(op.to);
    if (target === undefined) return;
    const life = this.lifeOf(target.jobId);
    // The job directory moved back in (purge put back a captured enqueue): it is not removed.
    if (target.name === undefined) delete life.removedAtMs;
    if (target.name === 'deleted') life.tombstoned = true;
    if (target.name !== 'state.json') return;
    try {
      const state = readCoreState(world.core, this.config, target.jobId);
      if (state !== undefined) life.lastCommitted = { status: state.status, updatedAtMs: state.updatedAt };
    } catch {
      life.lastCommitted = { status: 'unreadable', updatedAtMs: Number.NaN };
    }
    delete life.removedAtMs;
  }

  private removed(world: World, path: string): void {
    const source = this.jobPath(path);
    if (source === undefined || (source.name !== 'state.json' && source.name !== undefined)) return;
    this.lifeOf(source.jobId).removedAtMs ??= world.wallNowMs();
  }

  /** `jobs/<jobId>` or `jobs/<jobId>/<name>`, for a path in the data root's jobs directory. */
  private jobPath(path: string | undefined): { jobId: string; name: string | undefined } | undefined {
    if (path === undefined || !path.startsWith(this.jobsDir)) return undefined;
    const [jobId, name, deeper] = path.slice(this.jobsDir.length).split('/');
    if (jobId === undefined || jobId === '' || deeper !== undefined) return undefined;
    return { jobId, name };
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
