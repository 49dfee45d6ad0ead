// I3, hygiene without a crash. Model: when no process was killed, the power stayed on, nothing hung
// and no call failed (faults only slowed calls, paused processes, shortened writes, stepped the clock
// or answered from upstream), the run itself ends with nothing left behind, before any recovery: no
// lock file, no work or reap directory, no half-made file. What recovery would clean up after such a
// run is a leak of the live protocol (a release that left its reap directory, a heartbeat that wrote
// into a retired directory), and a long-lived `jobs serve` would pile it up.
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { lockPaths, tmpPaths } from '../oracle/coreFiles.ts';
import type { Violation } from './violation.ts';
import { countCheck } from './checkCount.ts';

export function checkQuietEnd(core: SimFsCore): Violation[] {
  countCheck();
  return [...lockPaths(core), ...tmpPaths(core)].map((path) => ({
    invariant: 'I3',
    path,
    message: `${path} was left by a run in which no process crashed and no call failed`,
  }));
}
