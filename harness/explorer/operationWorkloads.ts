// Every user-facing operation as a crash-explored workload, not only the runner pass: enqueue, retry,
// delete (of a queued and of a complete job), purge, and the HTTP handler's retry and delete routes.
// Each names the tree it starts from, runs the operation exactly as the CLI or the handler does, and
// says what its acknowledgement promises:
// - in every crash state (before recovery): what was acknowledged is durable (I6), and what was not
//   may be absent but never half-there (I2): a job is either as it was or as the operation leaves it;
// - after recovery converges: the operation's effect is final (I3), for acknowledged operations
//   exactly, for unacknowledged ones either way.
import type { Io } from '../../src/ports/io.ts';
import type { RuntimeConfig } from '../../src/config.ts';
import { runPass } from '../../src/runnerPass.ts';
import { withUpstreamFaults } from '../faults/upstreamFault.ts';
import { STANDARD_HANDLERS } from '../workload/handlers.ts';
import { World } from '../world/world.ts';
import { crashState } from '../simFs/crashStates.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { buildSetup, cloneCore } from '../workload/setup.ts';
import { inputBytes } from '../workload/inputs.ts';
import type { JobSpec } from '../workload/jobSpec.ts';
import type { Golden } from '../oracle/golden.ts';
import { JobView, jobView } from '../oracle/jobView.ts';
import type { Violation } from '../invariants/violation.ts';
import { checkAckDurable } from '../invariants/i6AckDurable.ts';
import type { RuntimeEntries } from '../world/runtimeEntries.ts';

export interface StartTree {
  readonly core: SimFsCore;
  /** Simulated monotonic time of the tree (the operation starts a second later). */
  readonly atMs: number;
  /** Wall-clock offset to start with (purge needs the jobs past their TTL). */
  readonly wallOffsetMs: number;
}

export interface OperationWorkload {
  readonly name: string;
  /** The jobs of the golden run: every job that exists once the operation is done. */
  readonly jobs: readonly JobSpec[];
  /** The job the operation is about. */
  readonly jobId: string;
  /** The other jobs are past their TTL too: recovery may purge them. */
  readonly othersExpire?: boolean;
  start(config: RuntimeConfig, seed: number): Promise<StartTree>;
  /** Resolves when the operation acknowledged (the CLI printed success, the handler answered 2xx). */
  run(io: Io, config: RuntimeConfig, runtime: RuntimeEntries): Promise<void>;
  /** The job in a crash state, before any recovery: `acked` says whether the operation had returned. */
  checkCrash(view: JobView, acked: boolean): string | undefined;
  /** The job once recovery has converged. */
  checkRecovered(view: JobView, acked: boolean): string | undefined;
}

export const OPERATION_JOBS: readonly JobSpec[] = [
  { jobId: 'j1', sessionId: 's1', input: 'talk.srt' },
  { jobId: 'j2', sessionId: 's1', input: 'notes.txt' },
  { jobId: 'j3', sessionId: 's2', input: 'captions.vtt' },
];

const SECRET = 'explorer-secret-0123456789';

async function settledTree(
  config: RuntimeConfig,
  seed: number,
  options: { upstreamDraftFault?: 'permanent'; pastTtl?: boolean } = {},
): Promise<StartTree> {
  const setup = await buildSetup(OPERATION_JOBS, config, seed);
  const world = new World({ seed, core: cloneCore(setup.core), startMs: setup.atMs + 1_000, trace: false });
  const handlers =
    options.upstreamDraftFault === undefined
      ? STANDARD_HANDLERS
      : withUpstreamFaults(STANDARD_HANDLERS, [{ stage: 'draft', jobId: 'j1', kind: options.upstreamDraftFault }]);
  const pass = world.spawn('setup-pass', (io) => runPass(io, config), { handlers });
  await world.run();
  if (pass.error !== undefined) throw pass.error;
  if (options.pastTtl === true) world.stepWallClock(config.ttlMs + config.staleAfterMs + 1);
  return {
    core: crashState(world.core, { kind: 'process-kill' }),
    atMs: world.fake.now,
    wallOffsetMs: world.wallOffsetMs,
  };
}

async function handle(
  io: Io,
  runtime: RuntimeEntries,
  config: RuntimeConfig,
  method: string,
  path: string,
): Promise<void> {
  const response = await runtime.jobsHandler({ io, config, secret: SECRET })(
    new Request(`http://localhost${path}`, { method, headers: { authorization: `Bearer ${SECRET}` } }),
  );
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
}

const deleteChecks = {
  checkCrash: (v: JobView, acked: boolean) => {
    if (v.deletionAsked || v.status === 'deleted') return undefined;
    if (acked) return `delete was acknowledged, but the job is ${v.describe()} with no tombstone`;
    return v.intact ? undefined : `half-deleted: ${v.describe()} with no tombstone`;
  },
  checkRecovered: (v: JobView, acked: boolean) => {
    if (v.status === 'deleted' || v.status === undefined)
      return v.onlyStateLeft || v.status === undefined ? undefined : `deleted, but files remain: ${v.describe()}`;
    return acked
      ? `delete was acknowledged, but the job ended ${v.describe()}`
      : v.intact
        ? undefined
        : `neither deleted nor intact: ${v.describe()}`;
  },
};

export const OPERATION_WORKLOADS: readonly OperationWorkload[] = [
  {
    name: 'enqueue',
    jobs: OPERATION_JOBS,
    jobId: 'j3',
    start: async (config, seed) => {
      const setup = await buildSetup(OPERATION_JOBS.slice(0, 2), config, seed);
      return { core: setup.core, atMs: setup.atMs, wallOffsetMs: 0 };
    },
    run: async (io, config, runtime) => {
      await runtime.enqueue(io, config, {
        jobId: 'j3',
        sessionId: 's2',
        inputName: 'captions.vtt',
        inputBytes: inputBytes('captions.vtt'),
      });
    },
    checkCrash: (v, acked) => {
      if (acked && v.status !== 'queued') return `enqueue was acknowledged, but the job is ${v.describe()}`;
      if (v.status !== undefined && !v.inputIntact)
        return `half-enqueued: state.json says ${v.status} but the input is ${v.inputDescription()}`;
      return undefined;
    },
    checkRecovered: (v, acked) => {
      if (v.status === undefined)
        return acked
          ? 'enqueue was acknowledged, but the job is gone after recovery'
          : v.dirExists
            ? 'an incomplete enqueue was left after recovery'
            : undefined;
      return v.finishedAsGolden
        ? undefined
        : `after recovery the job is ${v.describe()}, not as the fault-free run ends it`;
    },
  },
  {
    name: 'retry',
    jobs: OPERATION_JOBS,
    jobId: 'j1',
    start: (config, seed) => settledTree(config, seed, { upstreamDraftFault: 'permanent' }),
    run: (io, config, runtime) => runtime.retryJob(io, config, 'j1'),
    checkCrash: (v, acked) =>
      acked && v.status !== 'queued'
        ? `retry was acknowledged, but the job is ${v.describe()}`
        : v.status === 'failed' || v.status === 'queued'
          ? undefined
          : `the job is ${v.describe()}`,
    checkRecovered: (v, acked) =>
      v.finishedAsGolden || (!acked && v.status === 'failed')
        ? undefined
        : `after recovery the job is ${v.describe()}${acked ? ' though its retry was acknowledged' : ''}`,
  },
  {
    name: 'http-retry',
    jobs: OPERATION_JOBS,
    jobId: 'j1',
    start: (config, seed) => settledTree(config, seed, { upstreamDraftFault: 'permanent' }),
    run: (io, config, runtime) => handle(io, runtime, config, 'POST', '/api/jobs/j1/retry'),
    checkCrash: (v, acked) =>
      acked && v.status !== 'queued' ? `POST retry answered 2xx, but the job is ${v.describe()}` : undefined,
    checkRecovered: (v, acked) =>
      v.finishedAsGolden || (!acked && v.status === 'failed') ? undefined : `after recovery the job is ${v.describe()}`,
  },
  {
    name: 'delete-queued',
    jobs: OPERATION_JOBS,
    jobId: 'j1',
    start: async (config, seed) => ({ ...(await buildSetup(OPERATION_JOBS, config, seed)), wallOffsetMs: 0 }),
    run: async (io, config, runtime) => void (await runtime.deleteJob(io, config, 'j1')),
    ...deleteChecks,
  },
  {
    name: 'delete-complete',
    jobs: OPERATION_JOBS,
    jobId: 'j1',
    start: (config, seed) => settledTree(config, seed),
    run: async (io, config, runtime) => void (await runtime.deleteJob(io, config, 'j1')),
    ...deleteChecks,
  },
  {
    name: 'http-delete',
    jobs: OPERATION_JOBS,
    jobId: 'j2',
    start: (config, seed) => settledTree(config, seed),
    run: (io, config, runtime) => handle(io, runtime, config, 'DELETE', '/api/jobs/j2'),
    ...deleteChecks,
  },
  {
    name: 'purge',
    jobs: OPERATION_JOBS,
    jobId: 'j1',
    othersExpire: true,
    start: (config, seed) => settledTree(config, seed, { pastTtl: true }),
    run: async (io, config, runtime) => {
      if ((await runtime.purgePass(io, config)) === undefined) throw new Error('purge: runner.lock is busy');
    },
    checkCrash: (v, acked) =>
      acked && v.dirExists
        ? `purge returned, but the expired job is still there: ${v.describe()}`
        : v.intact || !v.visible
          ? undefined
          : `half-purged: ${v.describe()}`,
    checkRecovered: (v) => (v.dirExists ? `an expired job survived purge and recovery: ${v.describe()}` : undefined),
  },
];

/** The verdicts of a workload on one job: a message names the invariant it breaks. */
export function judgeCrash(
  workload: OperationWorkload,
  core: SimFsCore,
  config: RuntimeConfig,
  golden: Golden,
  acked: boolean,
): Violation[] {
  const message = workload.checkCrash(jobView(core, config, golden, workload.jobId), acked);
  return message === undefined
    ? []
    : [{ invariant: acked ? 'I6' : 'I2', message: `${workload.name} of ${workload.jobId}: ${message}` }];
}

export function judgeWorkload(
  workload: OperationWorkload,
  core: SimFsCore,
  config: RuntimeConfig,
  golden: Golden,
  acked: boolean,
): Violation[] {
  const message = workload.checkRecovered(jobView(core, config, golden, workload.jobId), acked);
  const out: Violation[] =
    message === undefined ? [] : [{ invariant: 'I3', message: `${workload.name} of ${workload.jobId}: ${message}` }];
  // Bystanders: every other job ends as the fault-free run ends it (a complete one with its session
  // transcript, which a deletion in the same session must keep), or, past its TTL, gone.
  const others = [...golden.jobs.keys()].filter((id) => id !== workload.jobId);
  for (const id of others) {
    const view = jobView(core, config, golden, id);
    if (view.finishedAsGolden || (workload.othersExpire === true && !view.dirExists)) continue;
    out.push({
      invariant: 'I3',
      message: `${workload.name} of ${workload.jobId}: bystander job ${id} ended ${view.describe()}`,
    });
  }
  const complete = others.filter((id) => jobView(core, config, golden, id).status === 'complete');
  out.push(
    ...checkAckDurable(core, golden, config, complete, 'recovery').map((v) => ({
      ...v,
      message: `${workload.name} of ${workload.jobId}: bystander ${v.message}`,
    })),
  );
  return out;
}

export { JobView };
