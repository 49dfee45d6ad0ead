// I3, hygiene after recovery: once recovery passes have converged, no lock file and no `.tmp-` entry
// (a half-made file, a work directory, a reap directory) is left anywhere in the data root.
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { lockPaths, tmpPaths } from '../oracle/coreFiles.ts';
import type { Violation } from './violation.ts';
import { countCheck } from './checkCount.ts';

export function checkLeftovers(core: SimFsCore): Violation[] {
  countCheck();
  return [
    ...lockPaths(core).map((path): Violation => ({
      invariant: 'I3',
      path,
      message: `orphan lock ${path} after recovery`,
    })),
    ...tmpPaths(core).map((path): Violation => ({
      invariant: 'I3',
      path,
      message: `tmp file ${path} left after recovery`,
    })),
  ];
}
