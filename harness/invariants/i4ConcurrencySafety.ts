// I4 concurrency safety. Model: the session lock is authoritative. Watching every call as the
// scheduler runs it, every change to a session's artifacts (a job's state.json, transcript.txt,
// draft.md or export.html, or the session transcript) must come from the process that the session's
// lock file names at that instant: a rename or link onto one (a commit), an unlink of one or a rename
// of one away (deletion, purge), and an open for writing in place. A fenced-out owner (its lock taken
// over) and a second runner therefore change nothing: an attempt that the fence makes fail is fine.
// Enqueue's first state.json, which precedes any runner, is exempt.
import type { RuntimeConfig } from '../../src/config.ts';
import { FILE } from '../../src/layout.ts';
import { ownerRecordSchema } from '../../src/ownerLock.ts';
import type { OpDesc } from '../simFs/simFs.ts';
import type { SimProcess, World } from '../world/world.ts';
import { readCoreFile } from '../oracle/coreFiles.ts';
import type { Violation } from './violation.ts';
import { LockProtocolMonitor } from './i4LockProtocol.ts';

const COMMITTED = new Set<string>([FILE.state, FILE.transcript, FILE.draft, FILE.export]);

export class ConcurrencyMonitor {
  private readonly found: Violation[] = [];
  private readonly lockProtocol: LockProtocolMonitor;
  commitsChecked = 0;

  constructor(
    private readonly config: RuntimeConfig,
    private readonly sessionOfJob: ReadonlyMap<string, string>,
  ) {
    this.lockProtocol = new LockProtocolMonitor(config.staleAfterMs);
  }

  /** Commits by a non-holder, and breaches of the lock protocol itself (i4LockProtocol.ts). */
  get violations(): Violation[] {
    return [...this.found, ...this.lockProtocol.violations];
  }

  /** Verdicts taken just before a commit runs, kept only if the commit then succeeds. */
  private readonly pending = new Map<SimProcess, Violation>();

  attach(world: World): void {
    this.lockProtocol.attach(world);
    world.observers.push((process, op) => this.observe(world, process, op));
    world.completions.push((process, _op, ok) => {
      const verdict = this.pending.get(process);
      if (verdict === undefined) return;
      this.pending.delete(process);
      if (ok) this.found.push(verdict);
    });
  }

  private observe(world: World, process: SimProcess, op: OpDesc): void {
    for (const change of changesOf(op)) this.judge(world, process, change);
  }

  private judge(world: World, process: SimProcess, change: Change): void {
    const session = this.sessionOf(world, change.target, change.verb === 'committed');
    if (session === undefined) return;
    this.commitsChecked += 1;
    const lockBytes = readCoreFile(world.core, `${this.config.root}/sessions/${session}/${FILE.sessionLock}`);
    let holderPid: number | undefined;
    try {
      holderPid =
        lockBytes === undefined
          ? undefined
          : ownerRecordSchema.parse(JSON.parse(new TextDecoder().decode(lockBytes))).pid;
    } catch {
      holderPid = undefined;
    }
    if (holderPid !== process.pid) {
      // The lock holder is read at the instant the call is scheduled; the call runs atomically next.
      this.pending.set(process, {
        invariant: 'I4',
        path: change.target,
        message:
          `p${process.pid} (${process.name}) ${change.verb} ${change.target} while the session ${session} ` +
          `lock is held by ${holderPid === undefined ? 'nobody' : `p${holderPid}`}`,
      });
    }
  }

  /** The session whose lock must cover a change of `target`, or undefined if it is no artifact. */
  private sessionOf(world: World, target: string, commit: boolean): string | undefined {
    const root = this.config.root;
    const jobMatch = target.startsWith(`${root}/jobs/`) ? target.slice(root.length + 6).split('/') : undefined;
    if (jobMatch?.length === 2) {
      const [jobId, name] = jobMatch as [string, string];
      if (!COMMITTED.has(name)) return undefined;
      // Enqueue writes the first state.json before the job exists for any runner.
      if (commit && name === FILE.state && readCoreFile(world.core, target) === undefined) return undefined;
      return this.sessionOfJob.get(jobId);
    }
    const sessionMatch = target.startsWith(`${root}/sessions/`) ? target.slice(root.length + 10).split('/') : undefined;
    if (sessionMatch?.length === 2 && sessionMatch[1] === FILE.transcript) return sessionMatch[0];
    return undefined;
  }
}

interface Change {
  readonly target: string;
  readonly verb: string;
}

/** What a call changes, if it can change an artifact: each target and a verb for the report. */
function changesOf(op: OpDesc): Change[] {
  if ((op.op === 'rename' || op.op === 'link') && op.to !== undefined) {
    const committed = { target: op.to, verb: 'committed' };
    // A rename also takes its source away: moving an artifact out removes it like an unlink.
    return op.op === 'rename' ? [committed, { target: op.path, verb: 'moved away' }] : [committed];
  }
  if (op.op === 'unlink') return [{ target: op.path, verb: 'unlinked' }];
  if (op.op === 'open' && (op.flags === 'w' || op.flags === 'r+'))
    return [{ target: op.path, verb: 'opened for writing in place' }];
  return [];
}
