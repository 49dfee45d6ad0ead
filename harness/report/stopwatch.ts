// Elapsed real time, for statistics only (how long an exploration or a hunt took). The simulation's
// own time is the World's fake clock; nothing a verdict depends on may read this one, which is why
// the simulation code may not read real time itself (eslint.config.js) and takes it from here.
export function startStopwatch(): () => number {
  const startedMs = performance.now();
  return () => performance.now() - startedMs;
}
