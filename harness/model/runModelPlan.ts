// Runs a model plan through the product's public doors: `jobs init`, then `jobs serve` (the real
// serve command over a SimNetwork), then each step as a `jobs` command (main() of src/cli.ts over a
// simulated machine) or an HTTP request to the serving process, with time passing between them. It
// records what a user sees of each step (exit code and output, or status, headers and body) and the
// data root before and after it, and hands each to the reference-model judge.
import type { RuntimeConfig } from '../../src/config.ts';
import { defaultHandlers } from '../../src/defaultHandlers.ts';
import { simulatedService, SIM_UPSTREAM_URL } from '../faults/simulatedUpstream.ts';
import type { UpstreamFault } from '../faults/upstreamFault.ts';
import { settingFlags, USER_HOME } from '../chaos/productionEntry.ts';
import { runCliProcess, type CliOutcome } from '../world/cliProcess.ts';
import { SimNetwork } from '../world/simNetwork.ts';
import { World, type SimProcess, type SpawnOptions } from '../world/world.ts';
import type { RuntimeEntries } from '../world/runtimeEntries.ts';
import { snapshot } from '../simFs/snapshot.ts';
import type { Violation } from '../invariants/violation.ts';
import { ModelJudge } from '../invariants/i9ReferenceModel.ts';
import { checkOpenHandles } from '../invariants/i5OpenHandles.ts';
import type { HttpAnswer, StepRecord } from './stepRecord.ts';
import {
  EVERY_JOB,
  MODEL_INPUTS,
  MODEL_JOB_IDS,
  type ModelPlan,
  type ModelStep,
  type ProcessEnv,
} from './modelPlan.ts';
import { modelInputBytes } from './modelInputs.ts';
import { httpRequestOf, SERVE_PORT, MODEL_SECRET } from './modelRequests.ts';

export interface ModelRunResult {
  readonly violations: Violation[];
  /** Judgements the run made (each a comparison of one observed value with the model). */
  readonly checks: number;
  readonly steps: number;
  readonly trace: string;
  readonly traceHash: string;
}

/** The transcription service for one step: the step's scripted answers, then real transcripts. */
function serviceFor(world: World, upstream: readonly { jobId: string; answer: string }[]): typeof fetch {
  const faults: UpstreamFault[] = upstream.flatMap(({ jobId, answer }) =>
    (jobId === EVERY_JOB ? MODEL_JOB_IDS : [jobId]).map((id) => ({
      stage: 'transcribe' as const,
      jobId: id,
      kind: answer === 'unavailable' ? 'transient' : answer.startsWith('rate-limited') ? 'rate-limited' : 'permanent',
      ...(answer === 'rate-limited-date' ? { retryAfterForm: 'date' as const } : {}),
    })),
  );
  return simulatedService(defaultHandlers, faults, () => world.wallNowMs());
}

class ModelRun {
  readonly world: World;
  readonly network = new SimNetwork();
  private upstream: typeof fetch;
  private server: SimProcess | undefined;
  private serverEnv: ProcessEnv | undefined;
  /** Processes started so far: the k-th takes the plan's envs[k mod length]. */
  private started = 0;

  constructor(
    seed: number,
    readonly config: RuntimeConfig,
    readonly spawn: ModelSpawn,
    readonly plan: ModelPlan,
  ) {
    this.world = new World({ seed });
    this.upstream = serviceFor(this.world, []);
    const core = this.world.core;
    core.mkdir(USER_HOME, true);
    for (const name of MODEL_INPUTS) {
      const file = core.open(`${USER_HOME}/${name}`, 'w');
      core.write(file, modelInputBytes(name), 0);
      core.close(file);
    }
    core.syncAll();
  }

  /** `jobs <argv>` as its own process, to its exit. */
  async cli(argv: readonly string[], upstream: readonly { jobId: string; answer: string }[]): Promise<CliOutcome> {
    const fetch = serviceFor(this.world, upstream);
    const env = this.nextEnv();
    const process = this.world.spawn(
      `jobs ${argv[0] ?? ''}`,
      (_io, runtime, p) =>
        runCliProcess(this.world, p, runtime, {
          argv: [...argv, ...settingFlags(this.config), '--json', '--log', 'json'],
          env: this.envOf(env),
          cwd: USER_HOME,
          fetch,
        }),
      this.spawn,
    );
    await this.runAs(env);
    if (process.error !== undefined) throw process.error;
    if (process.result === undefined) throw new Error(`jobs ${argv.join(' ')} did not exit`);
    return process.result as CliOutcome;
  }

  async startServer(): Promise<CliOutcome | undefined> {
    const argv = ['serve', '--port', String(SERVE_PORT), '--host', '127.0.0.1', ...settingFlags(this.config)];
    const env = this.nextEnv();
    this.serverEnv = env;
    this.server = this.world.spawn(
      'jobs serve',
      (_io, runtime, p) =>
        runCliProcess(this.world, p, runtime, {
          argv: [...argv, '--log', 'json'],
          env: { ...this.envOf(env), CRON_SECRET: MODEL_SECRET },
          cwd: USER_HOME,
          fetch: (input, init) => this.upstream(input, init),
          network: this.network,
        }),
      this.spawn,
    );
    await this.runAs(env);
    return this.server.alive ? undefined : (this.server.result as CliOutcome | undefined);
  }

  async http(step: Extract<ModelStep, { kind: 'http' }>): Promise<HttpAnswer> {
    this.upstream = serviceFor(this.world, step.upstream);
    const { url, init } = httpRequestOf(step);
    const pending = this.network.fetch(url, init).then(
      async (response) => ({
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: new Uint8Array(await response.arrayBuffer()),
      }),
      (error: unknown) => ({ status: 0, headers: {}, body: new TextEncoder().encode(String(error)) }),
    );
    await this.runAs(this.serverEnv);
    return await pending;
  }

  async stopServer(): Promise<CliOutcome | undefined> {
    if (this.server === undefined || !this.network.terminate(this.server)) return undefined;
    await this.runAs(this.serverEnv);
    return this.server.result as CliOutcome | undefined;
  }

  private nextEnv(): ProcessEnv {
    const env = this.plan.envs[this.started % this.plan.envs.length]!;
    this.started += 1;
    return env;
  }

  /** A process's environment: its locale and zone, and the service when the deployment has one. */
  private envOf(env: ProcessEnv): Record<string, string> {
    const service = { JOBS_UPSTREAM_URL: SIM_UPSTREAM_URL, JOBS_UPSTREAM_TIMEOUT_MS: '30000' };
    return { TZ: env.TZ, LANG: env.LANG, LC_ALL: env.LANG, ...(this.plan.upstream ? service : {}) };
  }

  /**
   * Runs the world with the host's zone set to the running process's: Date's local-time calls read
   * process.env.TZ, so a runtime that formats or decides by local time meets every zone of the swarm.
   */
  private async runAs(env: ProcessEnv | undefined): Promise<void> {
    process.env.TZ = env?.TZ ?? 'UTC';
    await this.world.run();
  }
}

function argvOf(step: ModelStep): string[] | undefined {
  switch (step.kind) {
    case 'enqueue':
      return ['enqueue', '--session', step.sessionId, '--input', `${USER_HOME}/${step.input}`, '--job', step.jobId];
    case 'run':
      return ['run'];
    case 'status':
      return step.jobId === undefined ? ['status'] : ['status', '--job', step.jobId];
    case 'retry':
      return ['retry', '--job', step.jobId];
    case 'delete':
      return ['delete', '--job', step.jobId];
    case 'purge':
      return ['purge'];
    default:
      return undefined;
  }
}

/** What every process of a model run is spawned with: the runtime (a patched one for a zoo bug) and disk views. */
export interface ModelSpawn {
  readonly runtime?: RuntimeEntries;
  readonly decorate?: SpawnOptions['decorate'];
}

export async function runModelPlan(
  plan: ModelPlan,
  config: RuntimeConfig,
  seed: number,
  spawn: ModelSpawn = {},
): Promise<ModelRunResult> {
  const settings: RuntimeConfig = { ...config, maxJobsPerPass: plan.maxJobs };
  const run = new ModelRun(seed, settings, spawn, plan);
  const judge = new ModelJudge(settings, plan.upstream);
  const hostZone = process.env.TZ;
  try {
    return await judgeSession(run, judge, plan);
  } finally {
    if (hostZone === undefined) delete process.env.TZ;
    else process.env.TZ = hostZone;
  }
}

async function judgeSession(run: ModelRun, judge: ModelJudge, plan: ModelPlan): Promise<ModelRunResult> {
  judge.judgeInit(await run.cli(['init'], []));
  const early = await run.startServer();
  judge.judgeServeStarted(early, run.network.addressOf.bind(run.network));
  for (const [index, step] of plan.steps.entries()) {
    const before = snapshot(run.world.core);
    const startMs = run.world.wallNowMs();
    let answer: StepRecord['answer'];
    if (step.kind === 'advance') {
      run.world.fake.tick(step.ms);
      answer = undefined;
    } else if (step.kind === 'http') answer = await run.http(step);
    else answer = await run.cli(argvOf(step)!, step.kind === 'run' ? step.upstream : []);
    const record: StepRecord = {
      index,
      step,
      answer,
      window: [startMs, run.world.wallNowMs()],
      before,
      after: snapshot(run.world.core),
      core: run.world.core,
    };
    judge.judgeStep(record);
  }
  judge.judgeServeStopped(await run.stopServer());
  judge.violations.push(...checkOpenHandles(run.world));
  const trace = run.world.trace.render();
  const traceHash = run.world.trace.hash();
  return { violations: judge.violations, checks: judge.checks, steps: plan.steps.length, trace, traceHash };
}
