// I4, the lock protocol, judged on every call (src/ownerLock.ts's header states the protocol):
// - Only a lock's retirer removes its lock file: an unlink of `<name>.lock` naming token T, or its
//   rename into a reap directory, must come from the process that renamed T's work directory (or a
//   dead retirer's reap directory of T) to its own reap name. A process that removes a lock it did not
//   retire may remove a newer owner's lock.
//   One exception is the lease working as designed: a retirer whose retirement was taken over after a
//   forward clock step aged its lease (it was alive at the step) may still finish its unlink.
// - A live owner is never retired: renaming `.tmp-work-T` away (by anyone but T's owner) is allowed
//   only when, as the retirer itself last saw it, the owner's pid was dead or its last heartbeat was
//   older than the stale bound. The retirer's own last look is the yardstick: an owner that refreshes
//   its heartbeat after that look is fenced by the rename, which is the protocol working; a retirer
//   that never looked, or misjudged what it saw (a clock step taken for age, wrong units), is a bug.
//   The retirer reads the clock at some moment between its look and its rename, so its judgement is
//   held against the latest wall time in that window (a forward step in it ages the lease).
// - A lock is reported lost only when it was taken: an owner that logs `lock.lost` for token T must
//   have had T retired by another process (its work directory, or its reap directory, renamed to
//   that process's reap name). A loss nobody caused (a heartbeat that fired during the owner's own
//   release, a read error taken for a takeover) aborts work for nothing and tells the user a lie.
import { ownerRecordSchema, REAP_PREFIX, WORK_PREFIX } from '../../src/ownerLock.ts';
import type { OpDesc } from '../simFs/simFs.ts';
import type { SimProcess, World } from '../world/world.ts';
import { readCoreFile } from '../oracle/coreFiles.ts';
import type { Violation } from './violation.ts';

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly acquiredAt: number;
}

function parseJson(bytes: Uint8Array | undefined): unknown {
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

const split = (path: string) => ({
  dir: path.slice(0, path.lastIndexOf('/')),
  name: path.slice(path.lastIndexOf('/') + 1),
});

export class LockProtocolMonitor {
  readonly violations: Violation[] = [];
  /** Who retired each token, by `dir|token`. */
  private readonly retirers = new Map<string, SimProcess>();
  /** Each process's last look at each owner's heartbeat: the wall time and what it showed. */
  private readonly looks = new Map<
    SimProcess,
    Map<string, { nowMs: number; heartbeatAt: number | undefined; peaksSeen: number }>
  >();
  /** Wall time just before each forward clock step, per world: the latest times a window can hold. */
  private readonly peaks = new WeakMap<World, number[]>();
  private readonly pending = new Map<SimProcess, { verdict?: Violation; after?: () => void }>();
  /** Everyone who retired each token, by `dir|token`, in order. */
  private readonly formerRetirers = new Map<string, Set<SimProcess>>();
  /** Processes alive when the wall clock jumped forward: their leases may look stale since. */
  private readonly agedByStep = new Set<SimProcess>();
  private readonly offsets = new WeakMap<World, number>();

  constructor(private readonly staleAfterMs: number) {}

  attach(world: World): void {
    world.eventListeners.push((event) => {
      if (event.event === 'lock.lost') this.judgeLoss(world, event.pid, String(event.fields.token));
    });
    world.observers.push((process, op) => this.before(world, process, op));
    world.completions.push((process, op, ok) => {
      const step = this.pending.get(process);
      this.pending.delete(process);
      if (ok && step?.verdict !== undefined) this.violations.push(step.verdict);
      if (ok) step?.after?.();
      // A look at the heartbeat is a read or an lstat of it; one that finds none is a look too.
      if ((op.op === 'readFile' || op.op === 'lstat') && op.path.endsWith('/heartbeat.json'))
        this.looked(world, process, op.path);
    });
  }

  private before(world: World, process: SimProcess, op: OpDesc): void {
    const lastOffset = this.offsets.get(world) ?? world.wallOffsetMs;
    if (world.wallOffsetMs !== lastOffset) this.peaksOf(world).push(world.fake.now + lastOffset);
    if (world.wallOffsetMs > lastOffset) for (const p of world.processes) if (p.alive) this.agedByStep.add(p);
    this.offsets.set(world, world.wallOffsetMs);
    if (op.op === 'unlink' && op.path.endsWith('.lock'))
      this.pending.set(process, { ...this.judgeUnlink(world, process, op.path) });
    else if (op.op === 'rename' && op.to !== undefined && op.path.endsWith('.lock'))
      this.pending.set(
        process,
        split(split(op.to).dir).name.startsWith(REAP_PREFIX) ? this.judgeUnlink(world, process, op.path) : {},
      );
    else if (op.op === 'rename' && op.to !== undefined)
      this.pending.set(process, this.judgeRename(world, process, op.path, op.to));
  }

  private judgeUnlink(world: World, process: SimProcess, lockPath: string): { verdict?: Violation } {
    const record = ownerRecordSchema.safeParse(parseJson(readCoreFile(world.core, lockPath)));
    if (!record.success) return {};
    const token = record.data.token;
    const key = `${split(lockPath).dir}|${token}`;
    const retirer = this.retirers.get(key);
    if (retirer === process) return {};
    if (this.agedByStep.has(process) && this.formerRetirers.get(key)?.has(process) === true) return {};
    return {
      verdict: {
        invariant: 'I4',
        path: lockPath,
        message:
          `p${process.pid} (${process.name}) removed ${lockPath} of owner ${token}, which ` +
          `${retirer === undefined ? 'nobody' : `p${retirer.pid}`} retired`,
      },
    };
  }

  private judgeRename(
    world: World,
    process: SimProcess,
    from: string,
    to: string,
  ): { verdict?: Violation; after?: () => void } {
    const { dir, name } = split(from);
    const target = split(to).name;
    if (!target.startsWith(REAP_PREFIX)) return {};
    const token = target.slice(REAP_PREFIX.length).split('-by-')[0] ?? '';
    const after = () => {
      this.retirers.set(`${dir}|${token}`, process);
      const former = this.formerRetirers.get(`${dir}|${token}`) ?? new Set<SimProcess>();
      this.formerRetirers.set(`${dir}|${token}`, former.add(process));
    };
    if (!name.startsWith(WORK_PREFIX)) return { after };
    const owner = this.ownerOf(world, `${from}/owner.json`);
    if (owner === undefined || owner.pid === process.pid || !world.isAlive(owner.pid, owner.host)) return { after };
    const look = this.looks.get(process)?.get(`${dir}|${token}`);
    const heartbeatAt = look === undefined ? this.heartbeatAt(world, `${from}/heartbeat.json`) : look.heartbeatAt;
    const nowMs =
      look === undefined
        ? world.wallNowMs()
        : Math.max(look.nowMs, world.wallNowMs(), ...this.peaksOf(world).slice(look.peaksSeen));
    const lastSeenAt = Math.max(owner.acquiredAt, heartbeatAt ?? owner.acquiredAt);
    if (nowMs - lastSeenAt > this.staleAfterMs) return { after };
    const how =
      look === undefined
        ? 'without looking at its heartbeat'
        : `though its last look showed a heartbeat ${nowMs - lastSeenAt} ms old`;
    return {
      after,
      verdict: {
        invariant: 'I4',
        path: from,
        message:
          `p${process.pid} (${process.name}) retired the live owner p${owner.pid} of ${from} ` +
          `${how} (stale bound ${this.staleAfterMs} ms)`,
      },
    };
  }

  private judgeLoss(world: World, pid: number, token: string): void {
    const owner = world.processes.find((p) => p.pid === pid);
    const takers = [...this.retirers.entries()].filter(([key]) => key.endsWith(`|${token}`)).map(([, p]) => p);
    if (takers.some((taker) => taker !== owner)) return;
    this.violations.push({
      invariant: 'I4',
      message:
        `p${pid} (${owner?.name ?? '?'}) reported its lock ${token} lost, but no other process retired it ` +
        `(${takers.length === 0 ? 'nobody did' : 'only the owner itself did'})`,
    });
  }

  private looked(world: World, process: SimProcess, heartbeatPath: string): void {
    const workDir = split(heartbeatPath).dir;
    const { dir, name } = split(workDir);
    if (!name.startsWith(WORK_PREFIX)) return;
    let views = this.looks.get(process);
    if (views === undefined) {
      views = new Map();
      this.looks.set(process, views);
    }
    views.set(`${dir}|${name.slice(WORK_PREFIX.length)}`, {
      nowMs: world.wallNowMs(),
      heartbeatAt: this.heartbeatAt(world, heartbeatPath),
      peaksSeen: this.peaksOf(world).length,
    });
  }

  private peaksOf(world: World): number[] {
    let list = this.peaks.get(world);
    if (list === undefined) {
      list = [];
      this.peaks.set(world, list);
    }
    return list;
  }

  private ownerOf(world: World, path: string): Owner | undefined {
    const record = ownerRecordSchema.safeParse(parseJson(readCoreFile(world.core, path)));
    return record.success
      ? { pid: record.data.pid, host: record.data.host, acquiredAt: record.data.acquiredAt }
      : undefined;
  }

  private heartbeatAt(world: World, path: string): number | undefined {
    const value = parseJson(readCoreFile(world.core, path)) as { heartbeatAt?: unknown } | undefined;
    return typeof value?.heartbeatAt === 'number' ? value.heartbeatAt : undefined;
  }
}
