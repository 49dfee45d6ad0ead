// The golden oracle: the same workload run once with no fault, to quiescence. Every other run of the
// workload, however it crashed and recovered, must end with byte-equal artifacts (the runtime's
// handlers are deterministic) and the same final status per job.
import type { RuntimeConfig } from '../../src/config.ts';
import { runPass } from '../../src/runnerPass.ts';
import { FILE } from '../../src/layout.ts';
import { World } from '../world/world.ts';
import type { JobSpec } from '../workload/jobSpec.ts';
import { inputBytes } from '../workload/inputs.ts';
import { storedInputName } from '../../src/enqueue.ts';
import type { Setup } from '../workload/setup.ts';
import { cloneCore } from '../workload/setup.ts';
import { readCoreState } from './coreFiles.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';

export const ARTIFACT_NAMES = [FILE.transcript, FILE.draft, FILE.export] as const;

export interface GoldenJob {
  readonly spec: JobSpec;
  readonly status: 'complete' | 'failed';
  readonly inputName: string;
  readonly input: Uint8Array;
  /** Final artifacts by file name (absent for a job that fails before making them). */
  readonly artifacts: ReadonlyMap<string, Uint8Array>;
}

export interface Golden {
  readonly jobs: ReadonlyMap<string, GoldenJob>;
  /** Every transcript any job of the session produces: the session transcript must be one of them. */
  readonly sessionTranscripts: ReadonlyMap<string, readonly Uint8Array[]>;
}

const MAX_PASSES = 6;

export async function computeGolden(
  jobs: readonly JobSpec[],
  config: RuntimeConfig,
  setup: Setup,
  seed: number,
): Promise<Golden> {
  const world = new World({ seed, core: cloneCore(setup.core), startMs: setup.atMs + 1_000 });
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const runner = world.spawn(`golden-pass-${pass}`, (io) => runPass(io, config));
    await world.run();
    if (runner.error !== undefined) throw runner.error;
    if (
      jobs.every((job) => ['complete', 'failed'].includes(readCoreState(world.core, config, job.jobId)?.status ?? ''))
    )
      break;
    world.fake.tick(config.backoffCapMs + 1);
  }
  return goldenFrom(world.core, jobs, config);
}

function goldenFrom(core: SimFsCore, jobs: readonly JobSpec[], config: RuntimeConfig): Golden {
  const out = new Map<string, GoldenJob>();
  const sessions = new Map<string, Uint8Array[]>();
  for (const spec of jobs) {
    const state = readCoreState(core, config, spec.jobId);
    if (state === undefined || (state.status !== 'complete' && state.status !== 'failed')) {
      throw new Error(
        `golden run: job ${spec.jobId} ended ${state?.status ?? 'without state'}; the fault-free workload must finish`,
      );
    }
    const artifacts = new Map<string, Uint8Array>();
    for (const name of ARTIFACT_NAMES) {
      try {
        artifacts.set(name, core.readFile(`${config.root}/jobs/${spec.jobId}/${name}`));
      } catch {
        // not produced by this job
      }
    }
    const transcript = artifacts.get(FILE.transcript);
    if (transcript !== undefined) sessions.set(spec.sessionId, [...(sessions.get(spec.sessionId) ?? []), transcript]);
    out.set(spec.jobId, {
      spec,
      status: state.status,
      inputName: storedInputName(spec.input),
      input: inputBytes(spec.input),
      artifacts,
    });
  }
  return { jobs: out, sessionTranscripts: sessions };
}
