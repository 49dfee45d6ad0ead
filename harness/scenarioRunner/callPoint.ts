// Matching a scenario's CallPoint against one process's calls as the scheduler runs them. A rule
// fires once: at the n-th matching call (or the n-th call after an event), before or after it.
import type { OpDesc } from '../simFs/simFs.ts';
import type { SimProcess, World } from '../world/world.ts';
import type { CallPoint } from './scenarioTypes.ts';

export type PointAction = 'kill' | { readonly kind: 'pause'; readonly durationMs: number };

export class CallPointRule {
  private matches = 0;
  private eventSeenAtCall: number | undefined;
  private pendingAfter = false;
  fired = false;

  constructor(
    private readonly point: CallPoint,
    private readonly action: PointAction,
  ) {}

  /** Consulted for each call of its process; returns the action when the rule fires. */
  decide(world: World, process: SimProcess, op: OpDesc): PointAction | undefined {
    if (this.fired) return undefined;
    if (this.pendingAfter) return this.fire();
    if (this.point.afterEvent !== undefined) {
      const wanted = this.point.afterEvent;
      if (this.eventSeenAtCall === undefined) {
        const seen = world.events.some(
          (e) =>
            e.pid === process.pid &&
            e.event === wanted.event &&
            (wanted.stage === undefined || e.fields.stage === wanted.stage) &&
            (wanted.jobId === undefined || e.fields.jobId === wanted.jobId),
        );
        if (!seen) return undefined;
        this.eventSeenAtCall = process.opCount;
      }
      if (process.opCount - this.eventSeenAtCall < (wanted.callsLater ?? 0)) return undefined;
      if (!this.matchesOp(op)) return undefined;
      return this.onMatch();
    }
    if (!this.matchesOp(op)) return undefined;
    this.matches += 1;
    if (this.matches !== (this.point.nth ?? 1)) return undefined;
    return this.onMatch();
  }

  private matchesOp(op: OpDesc): boolean {
    const ops =
      this.point.op === undefined ? undefined : typeof this.point.op === 'string' ? [this.point.op] : this.point.op;
    if (ops !== undefined && !ops.includes(op.op)) return false;
    return (
      this.point.pathIncludes === undefined ||
      op.path.includes(this.point.pathIncludes) ||
      (op.to ?? '').includes(this.point.pathIncludes)
    );
  }

  private onMatch(): PointAction | undefined {
    if ((this.point.when ?? 'before') === 'after') {
      this.pendingAfter = true;
      return undefined;
    }
    return this.fire();
  }

  private fire(): PointAction {
    this.fired = true;
    return this.action;
  }
}

/** The sweep's kill rule: the process's k-th call (0-based), before it or just after it. */
export class CallIndexRule {
  fired = false;
  constructor(
    private readonly index: number,
    private readonly when: 'before' | 'after',
  ) {}

  decide(_world: World, process: SimProcess): PointAction | undefined {
    if (this.fired) return undefined;
    const at = this.when === 'before' ? this.index : this.index + 1;
    if (process.opCount !== at) return undefined;
    this.fired = true;
    return 'kill';
  }
}
