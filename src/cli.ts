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

export async function main(argv: string[], env: Record<string, string | undefined>, streams: CliStreams): Promise<number> {
  let args: ParsedArgs;
  let config: RuntimeConfig;
  let system: ReturnType<typeof systemIo>;
  try {
    args = parseArgs(argv);
    system = systemIo(env, args.flags.log === 'json' ? { log: streams.stderr } : {});
    config = makeConfig({
      root: args.flags.root === undefined ? system.settings.JOBS_ROOT ?? './data' : userPath(args.flags.root, env),
      ...(args.numbers['deadline-ms'] !== undefined ? { passDeadlineMs: args.numbers['deadline-ms'] } : {}),
      ...(args.numbers.concurrency !== undefined ? { concurrency: args.numbers.concurrency } : {}),
      ...(args.numbers['stale-after-ms'] !== undefined ? { staleAfterMs: args.numbers['stale-after-ms'], heartbeatEveryMs: Math.max(1, Math.floor(args.numbers['stale-after-ms'] / 4)) } : {}),
      ...(args.numbers['ttl-ms'] !== undefined ? { ttlMs: args.numbers['ttl-ms'] } : {}),
      ...(args.numbers['max-attempts'] !== undefined ? { maxAttempts: args.numbers['max-attempts'] } : {}),
      ...(args.numbers['backoff-base-ms'] !== undefined ? { backoffBaseMs: args.numbers['backoff-base-ms'], backoffCapMs: Math.max(args.numbers['backoff-base-ms'], DEFAULT_CONFIG.backoffCapMs) } : {}),
    });
  } catch (error) {
    // One line per bad field; the usage closes the last one.
    const lines = describeError(error, FLAG_NAMES).split('\n');
    streams.stderr(lines.map((line, i) => `jobs: ${line}${i === lines.length - 1 ? ` (${USAGE})` : ''}\n`).join(''));
    return 2;
  }
  const { io, settings } = system;
  const print = (human: string, json: unknown) => streams.stdout(args.json ? `${JSON.stringify(json)}\n` : human);
  try {
    if (args.command === 'enqueue') await allowRootCreation(io.fs, config.root);
    else if (args.command !== 'init' && args.command !== 'serve') await requireDataRoot(io.fs, config.root);
    switch (args.command) {
      case 'init': {
        const layout = new Layout(config.root);
        await ensureRoot(io.fs, layout.root);
        await ensureDir(io.fs, layout.jobsDir, layout.root);
        await ensureDir(io.fs, layout.sessionsDir, layout.root);
        print(`data root ${config.root} is ready\n`, { root: config.root });
        return 0;
      }
      case 'enqueue': {
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
        return 0;
      }
      case 'run': {
        const summary = await runPass(io, config);
        print(summary.busy ? 'another runner pass holds runner.lock; nothing done\n'
          : `ran ${summary.ran} job(s): ${Object.entries(summary.outcomes).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ') || 'none due'}\n`, summary);
        return 0;
      }
      case 'status': {
        const rows = await statusReport(io, config, args.flags.job === undefined ? undefined : checkId('job', args.flags.job));
        print(renderStatusTable(rows), { jobs: rows });
        return 0;
      }
      case 'retry': {
        const jobId = checkId('job', args.required('job'));
        await retryJob(io, config, jobId);
        print(`job ${jobId} queued for retry\n`, { jobId, status: 'queued' });
        return 0;
      }
      case 'delete': {
        const jobId = checkId('job', args.required('job'));
        const outcome = await deleteJob(io, config, jobId);
        print(outcome === 'pending' ? `job ${jobId} is running; it will be deleted at its next stage boundary\n` : `job ${jobId} deleted\n`, { jobId, outcome });
        return 0;
      }
      case 'purge': {
        const layout = new Layout(config.root);
        await ensureRoot(io.fs, layout.root);
        const locked = await acquireLock(io, { name: 'runner', path: layout.runnerLock, staleAfterMs: config.staleAfterMs, heartbeatEveryMs: config.heartbeatEveryMs });
        if (!locked.acquired) {
          print('a runner pass holds runner.lock; it purges on its own schedule\n', { busy: true });
          return 0;
        }
        try {
          const report = await purge(io, config, locked.lock.token);
          print(`purged ${report.jobs} job(s), ${report.files} file(s), ${report.bytes} bytes, ${report.tmp} tmp, ${report.locks} lock(s)\n`, report);
        } finally {
          await locked.lock.release();
        }
        return 0;
      }
      case 'serve': {
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
        return 0;
      }
      default:
        throw new UsageError(`unknown command ${JSON.stringify(args.command)}`);
    }
  } catch (error) {
    const usage = error instanceof UsageError;
    streams.stderr(`jobs: ${errorMessage(error).split('\n')[0]}\n`);
    return usage ? 2 : 1;
  }
}

const isEntry = isEntryModule(import.meta.url);
if (isEntry) {
  const code = await main(process.argv.slice(2), process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
  process.exitCode = code;
}
