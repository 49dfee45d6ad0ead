// The runtime CLI and production composition root: `npm run jobs -- <command>` (tsx src/cli.ts).
// The commands and their options are declared in cliArgs.ts; `jobs --help` and `jobs <command> --help`
// print them, generated from those declarations.
//   init · enqueue --session <id> --input <file> [--job <id>] · run · status [--job <id>]
//   retry --job <id> · delete --job <id> · purge · serve [--port N] [--host H]
// Common flags: --root <dir> (default $JOBS_ROOT, else ./data), --json, --log json (events on stderr),
// and the settings (--concurrency, --max-jobs, --deadline-ms, --max-attempts, --backoff-base-ms, --backoff-cap-ms,
// --stale-after-ms, --heartbeat-ms, --ttl-ms; docs/runtime.md, "Configuration").
// Exit codes: 0 done, 1 the command itself failed, 2 bad arguments or an unknown or invalid id.
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { DEFAULT_CONFIG, makeConfig, type RuntimeConfig } from './config.ts';
import { UsageError, errorMessage } from './errors.ts';
import { describeError } from './zodIssues.ts';
import { systemIo } from './adapters/systemIo.ts';
import type { SystemEnv } from './adapters/systemEnv.ts';
import type { Io } from './ports/io.ts';
import { checkId } from './ids.ts';
import { enqueue } from './enqueue.ts';
import { purgePass, runPass } from './runnerPass.ts';
import { statusReport, renderStatusTable } from './statusReport.ts';
import { retryJob } from './retryJob.ts';
import { deleteJob } from './deleteJob.ts';
import { Layout } from './layout.ts';
import { ensureDir, ensureRoot } from './ensureDir.ts';
import { allowRootCreation, requireDataRoot } from './dataRoot.ts';
import { JOBS_PROGRAM, parseJobsArgs, required, type JobsCommand, type ParsedArgs } from './cliArgs.ts';
import { renderUsageError, usageHint } from './cliHelp.ts';
import { jobsHandler } from './http/jobsHandler.ts';
import { isEntryModule } from './adapters/isEntryModule.ts';
import { nodePlatform, type Platform } from './adapters/platform.ts';

/** The CLI flag behind each setting, so a bad value is reported by the name the user typed. */
const FLAG_NAMES: Readonly<Record<string, string>> = {
  root: '--root (or JOBS_ROOT)',
  passDeadlineMs: '--deadline-ms',
  concurrency: '--concurrency',
  maxJobsPerPass: '--max-jobs',
  staleAfterMs: '--stale-after-ms',
  heartbeatEveryMs: '--heartbeat-ms',
  backoffCapMs: '--backoff-cap-ms',
  ttlMs: '--ttl-ms',
  maxAttempts: '--max-attempts',
  backoffBaseMs: '--backoff-base-ms',
};

/**
 * A path the user typed, resolved where they typed it: `npm --prefix /srv/app run jobs` runs in the
 * package's directory, and npm passes the caller's directory as INIT_CWD.
 */
function userPath(path: string, env: Record<string, string | undefined>, platform: Platform): string {
  return isAbsolute(path) ? path : resolvePath(env.INIT_CWD ?? platform.cwd(), path);
}

export interface CliStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** What every command gets: its arguments, the validated configuration and environment, the ports. */
interface Command {
  readonly args: ParsedArgs;
  readonly config: RuntimeConfig;
  readonly io: Io;
  readonly settings: SystemEnv;
  readonly env: Record<string, string | undefined>;
  readonly platform: Platform;
  readonly streams: CliStreams;
  /** Prints the human text, or the JSON value with --json. */
  print(human: string, json: unknown): void;
}

function configOf(
  { values: v }: ParsedArgs,
  settings: SystemEnv,
  env: Record<string, string | undefined>,
  platform: Platform,
): RuntimeConfig {
  const staleAfterMs = v['stale-after-ms'];
  const backoffBaseMs = v['backoff-base-ms'];
  // A stale bound alone heartbeats every quarter of it; a backoff base alone keeps the default cap
  // unless the base is larger. An explicit --heartbeat-ms or --backoff-cap-ms wins.
  const heartbeatEveryMs =
    v['heartbeat-ms'] ?? (staleAfterMs !== undefined ? Math.max(1, Math.floor(staleAfterMs / 4)) : undefined);
  const backoffCapMs =
    v['backoff-cap-ms'] ??
    (backoffBaseMs !== undefined ? Math.max(backoffBaseMs, DEFAULT_CONFIG.backoffCapMs) : undefined);
  return makeConfig({
    root: v.root === undefined ? (settings.JOBS_ROOT ?? './data') : userPath(v.root, env, platform),
    ...(v['deadline-ms'] !== undefined ? { passDeadlineMs: v['deadline-ms'] } : {}),
    ...(v.concurrency !== undefined ? { concurrency: v.concurrency } : {}),
    ...(v['max-jobs'] !== undefined ? { maxJobsPerPass: v['max-jobs'] } : {}),
    ...(staleAfterMs !== undefined ? { staleAfterMs } : {}),
    ...(heartbeatEveryMs !== undefined ? { heartbeatEveryMs } : {}),
    ...(v['ttl-ms'] !== undefined ? { ttlMs: v['ttl-ms'] } : {}),
    ...(v['max-attempts'] !== undefined ? { maxAttempts: v['max-attempts'] } : {}),
    ...(backoffBaseMs !== undefined ? { backoffBaseMs } : {}),
    ...(backoffCapMs !== undefined ? { backoffCapMs } : {}),
  });
}

/**
 * One command, as `jobs <argv>` runs it; the exit code is returned. `platform` is what the production
 * adapters stand on: Node itself, or the harness's simulated machine.
 */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  streams: CliStreams,
  platform: Platform = nodePlatform,
): Promise<number> {
  const parsed = parseJobsArgs(argv);
  if (parsed.kind === 'help') {
    streams.stdout(parsed.text);
    return 0;
  }
  if (parsed.kind === 'error') {
    streams.stderr(renderUsageError('jobs', parsed.message, parsed.usage));
    return 2;
  }
  let command: Command;
  try {
    const args: ParsedArgs = { command: parsed.command, values: parsed.values };
    const { io, settings } = systemIo(env, {
      platform,
      ...(args.values.log === 'json' ? { log: streams.stderr } : {}),
    });
    const print = (human: string, json: unknown) =>
      streams.stdout(args.values.json ? `${JSON.stringify(json)}\n` : human);
    const config = configOf(args, settings, env, platform);
    command = { args, config, io, settings, env, platform, streams, print };
  } catch (error) {
    // One line per bad field (a setting or an environment variable); the usage closes the last one.
    const described = describeError(error, FLAG_NAMES);
    streams.stderr(
      parsed.values.json === true
        ? jsonError('UsageError', described.split('\n').join('; '))
        : renderUsageError('jobs', described, usageHint(JOBS_PROGRAM, parsed.command)),
    );
    return 2;
  }
  try {
    const { args, io, config } = command;
    if (args.command === 'enqueue') await allowRootCreation(io.fs, config.root);
    else if (args.command !== 'init' && args.command !== 'serve') await requireDataRoot(io.fs, config.root);
    await COMMANDS[args.command](command);
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError;
    const message = errorMessage(error).split('\n')[0]!;
    // With --json a script reads the failure as data: which error (its class) and what it says.
    const name = error instanceof Error ? error.name : typeof error;
    streams.stderr(command.args.values.json ? jsonError(name, message) : `jobs: ${message}\n`);
    return usage ? 2 : 1;
  }
}

/** A failure as --json reports it: one line on stderr naming the error and saying what went wrong. */
function jsonError(name: string, message: string): string {
  return `${JSON.stringify({ error: { name, message } })}\n`;
}

const COMMANDS: Readonly<Record<JobsCommand, (command: Command) => Promise<void>>> = {
  init: async ({ io, config, print }) => {
    const layout = new Layout(config.root);
    await ensureRoot(io.fs, layout.root);
    await ensureDir(io.fs, layout.jobsDir, layout.root);
    await ensureDir(io.fs, layout.sessionsDir, layout.root);
    print(`data root ${config.root} is ready\n`, { root: config.root });
  },
  enqueue: enqueueCommand,
  run: async ({ io, config, print }) => {
    const summary = await runPass(io, config);
    print(
      summary.busy
        ? 'another runner pass holds runner.lock; nothing done\n'
        : `ran ${summary.ran} job(s): ${
            Object.entries(summary.outcomes)
              .filter(([, n]) => n > 0)
              .map(([k, n]) => `${n} ${k}`)
              .join(', ') || 'none due'
          }\n`,
      summary,
    );
  },
  status: async ({ args, io, config, print }) => {
    const rows = await statusReport(
      io,
      config,
      args.values.job === undefined ? undefined : checkId('job', args.values.job),
    );
    print(renderStatusTable(rows), { jobs: rows });
  },
  retry: async ({ args, io, config, print }) => {
    const jobId = checkId('job', required(args, 'job'));
    await retryJob(io, config, jobId);
    print(`job ${jobId} queued for retry\n`, { jobId, status: 'queued' });
  },
  delete: async ({ args, io, config, print }) => {
    const jobId = checkId('job', required(args, 'job'));
    const outcome = await deleteJob(io, config, jobId);
    print(
      outcome === 'pending'
        ? `job ${jobId} is running; it will be deleted at its next stage boundary\n`
        : `job ${jobId} deleted\n`,
      { jobId, outcome },
    );
  },
  purge: purgeCommand,
  serve: serveCommand,
};

async function enqueueCommand({ args, io, config, env, platform, print }: Command): Promise<void> {
  const sessionId = checkId('session', required(args, 'session'));
  const inputPath = userPath(required(args, 'input'), env, platform);
  let inputBytes: Uint8Array;
  try {
    const size = (await platform.fs.stat(inputPath)).size;
    if (size > io.handlers.maxInputBytes)
      throw new UsageError(`--input ${inputPath} is ${size} bytes; the limit is ${io.handlers.maxInputBytes}`);
    inputBytes = new Uint8Array(await platform.fs.readFile(inputPath));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `cannot read --input ${required(args, 'input')} (resolved to ${inputPath}): ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`,
    );
  }
  const jobId = await enqueue(io, config, {
    sessionId,
    inputName: inputPath,
    inputBytes,
    ...(args.values.job !== undefined ? { jobId: checkId('job', args.values.job) } : {}),
  });
  print(`${jobId}\n`, { jobId });
}

async function purgeCommand({ io, config, print }: Command): Promise<void> {
  const report = await purgePass(io, config);
  if (report === undefined) {
    print('a runner pass holds runner.lock; it purges on its own schedule\n', { busy: true });
    return;
  }
  print(
    `purged ${report.jobs} job(s), ${report.files} file(s), ${report.bytes} bytes, ${report.tmp} ` +
      `tmp, ${report.locks} lock(s)\n`,
    report,
  );
}

async function serveCommand({ args, io, config, settings, streams, platform }: Command): Promise<void> {
  const secret = settings.CRON_SECRET;
  if (secret === undefined || secret.length < 16)
    throw new UsageError(
      'serve needs CRON_SECRET (at least 16 characters) in the environment; refusing to start without auth',
    );
  await requireDataRoot(io.fs, config.root);
  const { port, host } = args.values;
  const server = await platform.listen(jobsHandler({ io, config, secret }), port, host);
  streams.stdout(`listening on http://${host}:${server.port}\n`);
  await new Promise<void>((resolve) => platform.onceTerminated(resolve));
  await server.close();
}

const isEntry = isEntryModule(import.meta.url);
if (isEntry) {
  const code = await main(process.argv.slice(2), process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
  process.exitCode = code;
}
