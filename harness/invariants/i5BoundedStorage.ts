// I5 bounded storage. Model: a purge with the clock past every TTL leaves no finished job, no tmp
// file, no lock, and its report counts exactly the files and bytes that disappeared.
import type { RuntimeConfig } from '../../src/config.ts';
import type { PurgeReport } from '../../src/purge.ts';
import type { Snapshot } from '../simFs/snapshot.ts';
import type { Violation } from './violation.ts';

export function checkBoundedStorage(before: Snapshot, after: Snapshot, report: PurgeReport, config: RuntimeConfig): Violation[] {
  const violations: Violation[] = [];
  const files = (s: Snapshot) => [...s].filter(([, e]) => e.kind === 'file');
  const removed = files(before).filter(([path]) => !after.has(path));
  const removedBytes = removed.reduce((sum, [, e]) => sum + (e.bytes?.length ?? 0), 0);
  if (removed.length !== report.files) violations.push({ invariant: 'I5', message: `purge reported ${report.files} files removed; ${removed.length} disappeared` });
  if (removedBytes !== report.bytes) violations.push({ invariant: 'I5', message: `purge reported ${report.bytes} bytes removed; ${removedBytes} disappeared` });
  for (const [path, entry] of after) {
    if (entry.kind !== 'file') continue;
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (path.startsWith(`${config.root}/jobs/`) && name === 'state.json') violations.push({ invariant: 'I5', path, message: `job past its TTL survived purge: ${path}` });
    if (path.split('/').some((part) => part.startsWith('.tmp-'))) violations.push({ invariant: 'I5', path, message: `tmp file survived purge: ${path}` });
    if (name.endsWith('.lock')) violations.push({ invariant: 'I5', path, message: `lock survived purge: ${path}` });
  }
  return violations;
}

/** Across repeated crash/recover cycles, tmp files and locks must not accumulate. */
export function checkNoGrowth(counts: readonly number[]): Violation[] {
  const first = counts[0] ?? 0;
  const last = counts[counts.length - 1] ?? 0;
  return last > first ? [{ invariant: 'I5', message: `tmp files and locks grew across crash/recover cycles: ${counts.join(' → ')}` }] : [];
}
