// A chaos plan through the production composition root: each process of the plan is the jobs CLI as
// cron or a user types it (`jobs run --json --log json --root /data --stale-after-ms ...`), with every
// setting of the plan passed as its flag, transcription through JOBS_UPSTREAM_URL to the simulated
// service, and the enqueued inputs read from the user's files on the simulated disk. What the plan
// cannot say through that door is refused loudly: a task no command runs, draft or export faults (no
// network stands behind those stages), a runtime variant that swaps decisions, handlers or clocks
// inside the process rather than its code or its disk.
import type { RuntimeConfig } from '../../src/config.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { inputBytes, type InputName } from '../workload/inputs.ts';
import { SIM_UPSTREAM_URL } from '../faults/simulatedUpstream.ts';
import type { RuntimeVariant } from '../bugs/runtimeVariant.ts';
import type { CliRun } from '../world/cliProcess.ts';
import type { ChaosPlan, ChaosProcess } from './chaosPlan.ts';

/** How a run enters the runtime: its entry functions in-process, or the CLI over a simulated machine. */
export type Entry = 'in-process' | 'production';

/** Where the user keeps the files they enqueue (outside the data root). */
export const USER_HOME = '/home/user';

/** The plan's configuration as the flags that set it. */
export function settingFlags(config: RuntimeConfig): string[] {
  return [
    ['--root', config.root],
    ['--deadline-ms', config.passDeadlineMs],
    ['--concurrency', config.concurrency],
    ['--max-jobs', config.maxJobsPerPass],
    ['--stale-after-ms', config.staleAfterMs],
    ['--heartbeat-ms', config.heartbeatEveryMs],
    ['--ttl-ms', config.ttlMs],
    ['--max-attempts', config.maxAttempts],
    ['--backoff-base-ms', config.backoffBaseMs],
    ['--backoff-cap-ms', config.backoffCapMs],
  ].flatMap(([flag, value]) => [String(flag), String(value)]);
}

function commandOf(plan: ChaosPlan, task: ChaosProcess['task']): string[] {
  if (task === 'pass') return ['run'];
  if (task === 'purge') return ['purge'];
  if (task === 'dueJobs') throw new Error('production entry: no command runs due jobs without runner.lock');
  if ('delete' in task) return ['delete', '--job', task.delete];
  if ('retry' in task) return ['retry', '--job', task.retry];
  const job = plan.jobs.find((j) => j.jobId === task.enqueue);
  if (job === undefined) throw new Error(`chaos plan: enqueue of ${task.enqueue}, which the plan does not list`);
  return ['enqueue', '--session', job.sessionId, '--input', `${USER_HOME}/${job.input}`, '--job', job.jobId];
}

/** The command line and environment of one plan process. */
export function cliRunFor(plan: ChaosPlan, spec: ChaosProcess, config: RuntimeConfig): CliRun {
  const off = spec.upstream.find((fault) => fault.stage !== 'transcribe');
  if (off !== undefined) throw new Error(`production entry: a ${off.stage} fault has no network to come from`);
  return {
    argv: [...commandOf(plan, spec.task), ...settingFlags(config), '--json', '--log', 'json'],
    env: { JOBS_UPSTREAM_URL: SIM_UPSTREAM_URL, JOBS_UPSTREAM_TIMEOUT_MS: '30000' },
    cwd: USER_HOME,
  };
}

/** `jobs run` with `config`'s settings and the embedded stage handlers (no upstream): the explorer's pass. */
export function cliRunForPass(config: RuntimeConfig): CliRun {
  return { argv: ['run', ...settingFlags(config), '--json', '--log', 'json'], env: {}, cwd: USER_HOME };
}

/** Refuses a variant the production root cannot run (it would be silently dropped there). */
export function checkProductionVariant(variant: RuntimeVariant): void {
  const inside = (['wrapHandlers', 'wrapClock', 'policy'] as const).filter((k) => variant[k] !== undefined);
  if (inside.length > 0)
    throw new Error(`production entry: a variant with ${inside.join(', ')} cannot run through the CLI`);
}

/** Writes the user's input files, durably, as they were before the run. */
export function placeUserInputs(core: SimFsCore, names: readonly InputName[]): void {
  core.mkdir(USER_HOME, true);
  for (const name of new Set(names)) {
    const file = core.open(`${USER_HOME}/${name}`, 'w');
    core.write(file, inputBytes(name), 0);
    core.close(file);
  }
  core.syncAll();
}

/**
 * The plan as the production root can run it: a `dueJobs` process (no command runs due jobs without
 * runner.lock) becomes a runner pass, and draft or export faults are dropped (no network stands behind
 * those stages). Every other part of the plan is kept as it is.
 */
export function toProductionPlan(plan: ChaosPlan): ChaosPlan {
  return {
    ...plan,
    processes: plan.processes.map((p) => ({
      ...p,
      task: p.task === 'dueJobs' ? 'pass' : p.task,
      upstream: p.upstream.filter((fault) => fault.stage === 'transcribe'),
    })),
  };
}
