// The runtime CLI and production composition root: `npm run jobs -- <command>` (tsx src/cli.ts).
//   init                                    creates the data root (run, status, ... refuse a missing one)
//   enqueue --session <id> --input <file>   prints the new job id
//   run                                     one runner pass (exit 0 even if jobs failed: that is job state)
//   status [--job <id>]                     jobs with id, session, status, stage, attempts, error
//   retry --job <id> · delete --job <id> · purge
// Common flags: --root <dir> (default $JOBS_ROOT, else ./data), --json, --log json (events on stderr).
// Exit codes: 0 done, 1 the command itself failed, 2 bad arguments or an unknown or invalid id.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { DEFAULT_CONFIG, makeConfig, type RuntimeConfig } from './config.ts';
import { UsageError, errorMessage } from './errors.ts';
import { describeError } from './zodIssues.ts';
import { systemIo } from './adapters/systemIo.ts';
import type { SystemEnv } from './adapters/systemEnv.ts';
import type { Io } from './ports/io.ts';
import { checkId } from './ids.ts';
import { enqueue, MAX_INPUT_BYTES } from './enqueue.ts';
import { runPass } from './runnerPass.ts';
import { statusReport, renderStatusTable } from './statusReport.ts';
import { retryJob } from './retryJob.ts';
import { deleteJob } from './deleteJob.ts';
import { purge } from './purge.ts';
import { acquireLock } from './ownerLock.ts';
import { Layout } from './layout.ts';
import { ensureDir, ensureRoot } from './ensureDir.ts';
import { allowRootCreation, requireDataRoot } from './dataRoot.ts';
import { parseArgs, type ParsedArgs } from './cliArgs.ts';
import { serveFetchHandler } from './adapters/httpServer.ts';
import { jobsHandler } from './http/jobsHandler.ts';
import { isEntryModule } from './adapters/isEntryModule.ts';

const USAGE = 'usage: jobs <init|enqueue|run|status|retry|delete|purge|serve> [--root DIR] [--json] [--log json] (see README)';

/** The CLI flag behind each setting, so a bad value is reported by the name the user typed. */
const FLAG_NAMES: Readonly<Record<string, string>> = {
  root: '--root (or JOBS_ROOT)', passDeadlineMs: '--deadline-ms', concurrency: '--concurrency', staleAfterMs: '--stale-after-ms',
  ttlMs: '--ttl-ms', maxAttempts: '--max-attempts', backoffBaseMs: '--backoff-base-ms',
};

/**
 * A path the user typed, resolved where they typed it: `npm --prefix /srv/app run jobs` runs in the
 * package's directory, and npm passes the caller's directory as INIT_CWD.
 */
function userPath(path: string, env: Record<string, string | undefined>): string {
  return isAbsolute(path) ? path : resolvePath(env.INIT_CWD ?? process.cwd(), path);
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
  readonly streams: CliStreams;
  /** Prints the human text, or the JSON value with --json. */
  print(human: string, json: unknown): void;
}

function configOf(args: ParsedArgs, settings: SystemEnv, env: Record<string, string | undefined>): RuntimeConfig {
  const n = args.numbers;
  return makeConfig({
    root: args.flags.root === undefined ? settings.JOBS_ROOT ?? './data' : userPath(args.flags.root, env),
    ...(n['deadline-ms'] !== undefined ? { passDeadlineMs: n['deadline-ms'] } : {}),
    ...(n.concurrency !== undefined ? { concurrency: n.concurrency } : {}),
    ...(n['stale-after-ms'] !== undefined ? { staleAfterMs: n['stale-after-ms'], heartbeatEveryMs: Math.max(1, Math.floor(n['stale-after-ms'] / 4)) } : {}),
    ...(n['ttl-ms'] !== undefined ? { ttlMs: n['ttl-ms'] } : {}),
    ...(n['max-attempts'] !== undefined ? { maxAttempts: n['max-attempts'] } : {}),
    ...(n['backoff-base-ms'] !== undefined ? { backoffBaseMs: n['backoff-base-ms'], backoffCapMs: Math.max(n['backoff-base-ms'], DEFAULT_CONFIG.backoffCapMs) } : {}),
  });
}

export async function main(argv: string[], env: Record<string, string | undefined>, streams: CliStreams): Promise<number> {
  let command: Command;
  try {
    const args = parseArgs(argv);
    const { io, settings } = systemIo(env, args.flags.log === 'json' ? { log: streams.stderr } : {});
    const print = (human: string, json: unknown) => streams.stdout(args.json ? `${JSON.stringify(json)}\n` : human);
    command = { args, config: configOf(args, settings, env), io, settings, env, streams, print };
  } catch (error) {
    // One line per bad field; the usage closes the last one.
    const lines = describeError(error, FLAG_NAMES).split('\n');
    streams.stderr(lines.map((line, i) => `jobs: ${line}${i === lines.length - 1 ? ` (${USAGE})` : ''}\n`).join(''));
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
    streams.stderr(`jobs: ${errorMessage(error).split('\n')[0]}\n`);
    return usage ? 2 : 1;
  }
}

const COMMANDS: Readonly<Record<ParsedArgs['command'], (command: Command) => Promise<void>>> = {
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
    print(summary.busy ? 'another runner pass holds runner.lock; nothing done\n'
      : `ran ${summary.ran} job(s): ${Object.entries(summary.outcomes).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ') || 'none due'}\n`, summary);
  },
  status: async ({ args, io, config, print }) => {
    const rows = await statusReport(io, config, args.flags.job === undefined ? undefined : checkId('job', args.flags.job));
    print(renderStatusTable(rows), { jobs: rows });
  },
  retry: async ({ args, io, config, print }) => {
    const jobId = checkId('job', args.required('job'));
    await retryJob(io, config, jobId);
    print(`job ${jobId} queued for retry\n`, { jobId, status: 'queued' });
  },
  delete: async ({ args, io, config, print }) => {
    const jobId = checkId('job', args.required('job'));
    const outcome = await deleteJob(io, config, jobId);
    print(outcome === 'pending' ? `job ${jobId} is running; it will be deleted at its next stage boundary\n` : `job ${jobId} deleted\n`, { jobId, outcome });
  },
  purge: purgeCommand,
  serve: serveCommand,
};

async function enqueueCommand({ args, io, config, env, print }: Command): Promise<void> {
  const sessionId = checkId('session', args.required('session'));
  const inputPath = userPath(args.required('input'), env);
  let inputBytes: Uint8Array;
  try {
    const size = (await stat(inputPath)).size;
    if (size > MAX_INPUT_BYTES) throw new UsageError(`--input ${inputPath} is ${size} bytes; the limit is ${MAX_INPUT_BYTES}`);
    inputBytes = new Uint8Array(await readFile(inputPath));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read --input ${args.required('input')} (resolved to ${inputPath}): ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`);
  }
  const jobId = await enqueue(io, config, {
    sessionId,
    inputName: inputPath,
    inputBytes,
    ...(args.flags.job !== undefined ? { jobId: checkId('job', args.flags.job) } : {}),
  });
  print(`${jobId}\n`, { jobId });
}

async function purgeCommand({ io, config, print }: Command): Promise<void> {
  const layout = new Layout(config.root);
  await ensureRoot(io.fs, layout.root);
  const locked = await acquireLock(io, { name: 'runner', path: layout.runnerLock, staleAfterMs: config.staleAfterMs, heartbeatEveryMs: config.heartbeatEveryMs });
  if (!locked.acquired) {
    print('a runner pass holds runner.lock; it purges on its own schedule\n', { busy: true });
    return;
  }
  try {
    const report = await purge(io, config, locked.lock.token);
    print(`purged ${report.jobs} job(s), ${report.files} file(s), ${report.bytes} bytes, ${report.tmp} tmp, ${report.locks} lock(s)\n`, report);
  } finally {
    await locked.lock.release();
  }
}

async function serveCommand({ args, io, config, settings, streams }: Command): Promise<void> {
  const secret = settings.CRON_SECRET;
  if (secret === undefined || secret.length < 16) throw new UsageError('serve needs CRON_SECRET (at least 16 characters) in the environment; refusing to start without auth');
  await requireDataRoot(io.fs, config.root);
  const port = args.numbers.port ?? 3000;
  if (port > 65535) throw new UsageError(`--port ${port} is not a TCP port`);
  const host = args.flags.host ?? '127.0.0.1';
  const server = serveFetchHandler(jobsHandler({ io, config, secret }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  streams.stdout(`listening on http://${host}:${typeof address === 'object' && address !== null ? address.port : port}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

const isEntry = isEntryModule(import.meta.url);
if (isEntry) {
  const code = await main(process.argv.slice(2), process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
  process.exitCode = code;
}
