import { explore } from './harness/explorer/explore.ts';
import { SMALL_JOBS, STANDARD_JOBS } from './harness/workload/jobSpec.ts';
import { simConfig } from './harness/workload/simConfig.ts';
import { ZOO } from './harness/bugs/zoo.ts';
import { loadVariant } from './harness/bugs/runtimeVariant.ts';
const models = ['process-kill', 'lazyfs', 'pessimistic', 'subset'] as const;
for (const entry of ['in-process', 'production'] as const) {
  for (const jobs of [SMALL_JOBS, STANDARD_JOBS]) {
    const t = Date.now();
    const r = await explore({ jobs, config: simConfig(), seed: 1, models, subsetsPerPoint: 1, recoveryCrashShare: 0.1, entry });
    console.log(entry, jobs.length, r.crashPoints, r.crashStates, r.violations.length, Date.now() - t, 'ms');
  }
}
for (const id of ['adapter-dir-fsync-skipped', 'adapter-short-write-hidden', 'no-dir-fsync']) {
  const v = await loadVariant(ZOO.find((b) => b.id === id)!.variant);
  for (const entry of ['in-process', 'production'] as const) {
    const r = await explore({ jobs: SMALL_JOBS, config: simConfig(), seed: 1, models, runtime: v.runtime, entry, stopAtFirst: true });
    console.log(id, entry, r.violations.length, r.violations[0]?.invariant, r.violations[0]?.message?.slice(0, 100));
  }
}
