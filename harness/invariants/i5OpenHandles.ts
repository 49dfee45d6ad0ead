// I5, for descriptors: the simulated kernel counts each process's open file handles (SimProcessFs),
// and an operation that ends must have closed every handle it opened, error paths included. A leak is
// a bound broken slowly: a long-lived `jobs serve` that leaks one descriptor per failed write stops
// with EMFILE after a few thousand requests. A process killed mid-call is not judged (the kernel
// closes its descriptors); one that returned or threw is.
import type { World } from '../world/world.ts';
import type { Violation } from './violation.ts';
import { countCheck } from './checkCount.ts';

/** `fromLeak`: judge only the processes that ended after that many leaks were recorded. */
export function checkOpenHandles(world: World, fromLeak = 0): Violation[] {
  countCheck();
  return world.leakedHandles.slice(fromLeak).map(({ pid, name, paths }) => ({
    invariant: 'I5',
    message: `p${pid} (${name}) ended with ${paths.length} file handle(s) open: ${paths.slice(0, 3).join(', ')}`,
  }));
}
