// How many checker calls ran in this thread: every exported check of harness/invariants counts itself
// here on entry, so the "invariant checks" figure a report prints is calls that really ran (a shared
// verdict costs none), never a formula over states or runs. A driver reads the count before and after
// its work; a worker thread returns its own difference.
let calls = 0;

export function countCheck(): void {
  calls += 1;
}

export function checkCalls(): number {
  return calls;
}
