// The checks that replay the product on a recovered world: every complete job run again must change
// nothing (I1's second half), and a purge past every TTL must remove exactly what it reports (I5).
// Both spawn processes of the runtime under test; their verdicts are memoized per configuration.
import type { RuntimeConfig } from '../../src/config.ts';
import { type PurgeReport } from '../../src/purge.ts';
import { Layout } from '../../src/layout.ts';
import { readJobState } from '../../src/jobState.ts';
import type { World, SpawnOptions } from '../world/world.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { snapshot } from '../simFs/snapshot.ts';
import { readCoreState } from '../oracle/coreFiles.ts';
import { checkRerunUnchanged } from '../invariants/i1Idempotency.ts';
import { checkBoundedStorage } from '../invariants/i5BoundedStorage.ts';
import type { Violation } from '../invariants/violation.ts';
import { Fingerprinter } from '../simFs/fingerprint.ts';

/**
 * The rerun (I1) and purge (I5) checks start from a configuration with no process in it: the files,
 * the clock, the world's next random fork (set by how many processes it spawned) and the runtime under
 * test. They are deterministic functions of it, so two recoveries that end in the same configuration
 * get the same verdict, and the explorer checks each configuration once. With calls that take no
 * simulated time, recoveries from different crash points often end in the same one (standard workload,
 * process kill: 131 distinct crash states end in 19 configurations). Durability layers are not part of
 * the key: no crash follows, so only the visible files can matter.
 */
export class AfterRecoveryMemo {
  /** Each configuration's verdict, with the checker calls that reached it (a reuse counts them again). */
  readonly verdicts = new Map<string, { readonly violations: Violation[]; readonly checks: number }>();
  private readonly fingerprints = new Fingerprinter();

  keyOf(world: World): string {
    return `${world.seed}|${world.fake.now}|${world.wallOffsetMs}|${world.processes.length}|${this.fingerprints.of(world.core)}`;
  }
}

/** I1's second half: run every complete job again; nothing in its directory may change. */
export async function rerunCompleteJobs(
  world: World,
  config: RuntimeConfig,
  spawn?: SpawnOptions,
): Promise<Violation[]> {
  const layout = new Layout(config.root);
  const complete: string[] = [];
  for (const name of safeReaddir(world.core, layout.jobsDir)) {
    try {
      if (readCoreState(world.core, config, name)?.status === 'complete') complete.push(name);
    } catch {
      // unreadable: reported by I3
    }
  }
  const before = snapshot(world.core);
  world.fake.tick(5_000);
  const rerun = world.spawn(
    'rerun',
    async (io, runtime) => {
      for (const jobId of complete) {
        const state = await readJobState(io.fs, layout.jobDir(jobId));
        if (state === undefined) continue;
        await runtime.withSessionLock(io, config, state.sessionId, { jobId }, (lock) =>
          runtime.runJob(io, config, lock, state),
        );
      }
    },
    spawn,
  );
  await world.run();
  if (rerun.error !== undefined)
    return [{ invariant: 'I1', message: `rerun of complete jobs failed: ${String(rerun.error)}` }];
  return checkRerunUnchanged(
    before,
    snapshot(world.core),
    complete.map((id) => layout.jobDir(id)),
  );
}

/** I5: move past every TTL, purge, and compare what disappeared with what purge reported. */
export async function purgeEverything(world: World, config: RuntimeConfig, spawn?: SpawnOptions): Promise<Violation[]> {
  // Past every TTL, also for files made before a backward clock step (their mtimes are ahead).
  world.stepWallClock(config.ttlMs + config.staleAfterMs + 1 + Math.max(0, -world.wallOffsetMs));
  const before = snapshot(world.core);
  const purger = world.spawn('purge', (io, runtime) => runtime.purgePass(io, config), spawn);
  await world.run();
  if (purger.error !== undefined) return [{ invariant: 'I5', message: `purge failed: ${String(purger.error)}` }];
  const report = purger.result as PurgeReport | undefined;
  if (report === undefined) return [{ invariant: 'I5', message: 'purge could not take runner.lock after recovery' }];
  const after = snapshot(world.core);
  // The purger's own runner.lock and work directory come and go within the purge: compare the rest.
  return checkBoundedStorage(before, after, report, config);
}

function safeReaddir(core: SimFsCore, path: string): string[] {
  try {
    return core.readdir(path);
  } catch {
    return [];
  }
}
