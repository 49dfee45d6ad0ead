// I1 idempotency. Model: handlers are deterministic, so however a job was interrupted and re-run,
// a complete job's artifacts must be byte-equal to the golden (fault-free) run's; and re-running a
// complete job must change no byte and no mtime of anything in its directory.
import type { RuntimeConfig } from '../../src/config.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { bytesEqual, type Snapshot } from '../simFs/snapshot.ts';
import type { Golden } from '../oracle/golden.ts';
import { readCoreFile, readCoreState } from '../oracle/coreFiles.ts';
import type { Violation } from './violation.ts';
import { countCheck } from './checkCount.ts';

export function checkIdempotency(core: SimFsCore, golden: Golden, config: RuntimeConfig): Violation[] {
  countCheck();
  const violations: Violation[] = [];
  for (const [jobId, expected] of golden.jobs) {
    let state;
    try {
      state = readCoreState(core, config, jobId);
    } catch {
      continue; // unreadable state is I2/I3's finding
    }
    if (state?.status !== 'complete') continue;
    for (const [name, bytes] of expected.artifacts) {
      const path = `${config.root}/jobs/${jobId}/${name}`;
      if (!bytesEqual(readCoreFile(core, path), bytes)) {
        violations.push({
          invariant: 'I1',
          path,
          message: `complete job ${jobId}: ${name} differs from the fault-free run`,
        });
      }
    }
  }
  return violations;
}

/** After re-running complete jobs: nothing under their directories changed, not even an mtime. */
export function checkRerunUnchanged(before: Snapshot, after: Snapshot, jobDirs: readonly string[]): Violation[] {
  countCheck();
  const violations: Violation[] = [];
  for (const dir of jobDirs) {
    const paths = new Set([...before.keys(), ...after.keys()].filter((p) => p.startsWith(`${dir}/`)));
    for (const path of paths) {
      const a = before.get(path);
      const b = after.get(path);
      if (a === undefined || b === undefined) {
        violations.push({
          invariant: 'I1',
          path,
          message: `rerun of a complete job ${a === undefined ? 'created' : 'removed'} ${path}`,
        });
      } else if (!bytesEqual(a.bytes, b.bytes) || a.mtimeMs !== b.mtimeMs) {
        violations.push({
          invariant: 'I1',
          path,
          message: `rerun of a complete job changed ${path} (${bytesEqual(a.bytes, b.bytes) ? 'mtime' : 'bytes'})`,
        });
      }
    }
  }
  return violations;
}
