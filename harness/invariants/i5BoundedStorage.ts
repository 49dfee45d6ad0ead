// I5 bounded storage. Model: a purge with the clock past every TTL leaves no finished job, no tmp
// file, no lock, and its report counts exactly the files and bytes that disappeared.
import type { RuntimeConfig } from '../../src/config.ts';
import type { PurgeReport } from '../../src/purge.ts';
import type { Snapshot } from '../simFs/snapshot.ts';
import type { Violation } from './violation.ts';
import { countCheck } from './checkCount.ts';

export function checkBoundedStorage(
  before: Snapshot,
  after: Snapshot,
  report: PurgeReport,
  config: RuntimeConfig,
): Violation[] {
  countCheck();
  const violations: Violation[] = [];
  const files = (s: Snapshot) => [...s].filter(([, e]) => e.kind === 'file');
  const removed = files(before).filter(([path]) => !after.has(path));
  const removedBytes = removed.reduce((sum, [, e]) => sum + (e.bytes?.length ?? 0), 0);
  if (removed.length !== report.files)
    violations.push({
      invariant: 'I5',
      message: `purge reported ${report.files} files removed; ${removed.length} disappeared`,
    });
  if (removedBytes !== report.bytes)
    violations.push({
      invariant: 'I5',
      message: `purge reported ${report.bytes} bytes removed; ${removedBytes} disappeared`,
    });
  for (const [path, entry] of after) {
    if (entry.kind !== 'file') continue;
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (path.startsWith(`${config.root}/jobs/`) && name === 'state.json')
      violations.push({ invariant: 'I5', path, message: `job past its TTL survived purge: ${path}` });
    if (path.split('/').some((part) => part.startsWith('.tmp-')))
      violations.push({ invariant: 'I5', path, message: `tmp file survived purge: ${path}` });
    if (name.endsWith('.lock')) violations.push({ invariant: 'I5', path, message: `lock survived purge: ${path}` });
  }
  return violations;
}

/** What a crash left behind after one crash/recover cycle: every tmp and lock entry, by identity. */
export interface CycleLeftovers {
  /** `path` of each tmp or lock entry, with its bytes for a file (a lock file names its owner). */
  readonly entries: ReadonlySet<string>;
  /** The cycle's pass got through its purge before it was killed. */
  readonly purged: boolean;
}

/**
 * Across repeated crash/recover cycles, tmp files and locks must not accumulate: every leftover of one
 * cycle is stale by the next (the clock moves past the stale bound), so a pass that got through its
 * purge must have removed it. One that survives such a purge is a leak; repeated, storage grows.
 */
export function checkNoGrowth(cycles: readonly CycleLeftovers[]): Violation[] {
  countCheck();
  const out: Violation[] = [];
  for (let i = 1; i < cycles.length; i++) {
    if (!cycles[i]!.purged) continue;
    const survivors = [...cycles[i - 1]!.entries].filter((entry) => cycles[i]!.entries.has(entry));
    if (survivors.length > 0) {
      out.push({
        invariant: 'I5',
        message:
          `tmp files and locks survived a purge across crash/recover cycles (cycle ${i}): ${survivors.map((e) => e.split('\u0000')[0]).join(', ')}; ` +
          `counts ${cycles.map((c) => c.entries.size).join(' → ')}`,
      });
    }
  }
  return out;
}
