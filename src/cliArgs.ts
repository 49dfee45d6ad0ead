// The jobs CLI's command line, declared once (cliSpec.ts): its options, its commands and which options
// each takes. src/cli.ts parses argv with it (cliParser.ts), and `--help` is generated from it.
import { DEFAULT_CONFIG } from './config.ts';
import { MAX_INPUT_BYTES } from './defaultHandlers.ts';
import { UsageError } from './errors.ts';
import { parseCommandLine, type ParseResult } from './cliParser.ts';
import { choice, text, wholeNumber } from './cliValues.ts';
import { flag, option, program, type Values } from './cliSpec.ts';

const JOBS_OPTIONS = {
  session: option('ID', text, 'the session the job belongs to; a session runs one job at a time'),
  input: option(
    'FILE',
    text,
    `the input: UTF-8 .txt, .srt or .vtt (or audio, with JOBS_UPSTREAM_URL), at most ${MAX_INPUT_BYTES} bytes`,
  ),
  job: option('ID', text, 'the job'),
  port: option('PORT', wholeNumber({ max: 65535 }), 'the TCP port to listen on; 0 picks a free one', { default: 3000 }),
  host: option('HOST', text, 'the address to listen on', { default: '127.0.0.1' }),
  root: option('DIR', text, 'the data root', { shownDefault: '$JOBS_ROOT, else ./data' }),
  json: flag('print one JSON value on stdout instead of text'),
  log: option('json', choice(['json']), 'write events as JSON lines on stderr'),
  'deadline-ms': option('MS', wholeNumber(), 'a pass starts no new job after this long', {
    shownDefault: String(DEFAULT_CONFIG.passDeadlineMs),
  }),
  'stale-after-ms': option('MS', wholeNumber(), 'a lock whose owner is silent this long may be taken over', {
    shownDefault: String(DEFAULT_CONFIG.staleAfterMs),
  }),
  'heartbeat-ms': option(
    'MS',
    wholeNumber(),
    'how often a lock owner refreshes its heartbeat, at most half the stale bound',
    {
      shownDefault: `${DEFAULT_CONFIG.heartbeatEveryMs}, or a quarter of --stale-after-ms`,
    },
  ),
  'ttl-ms': option('MS', wholeNumber(), 'finished jobs older than this are purged', {
    shownDefault: String(DEFAULT_CONFIG.ttlMs),
  }),
  'max-attempts': option('N', wholeNumber(), 'attempts before a transient failure is final, 1..100', {
    shownDefault: String(DEFAULT_CONFIG.maxAttempts),
  }),
  'backoff-base-ms': option('MS', wholeNumber(), 'the base of the jittered exponential backoff between attempts', {
    shownDefault: String(DEFAULT_CONFIG.backoffBaseMs),
  }),
  'backoff-cap-ms': option('MS', wholeNumber(), 'the longest wait between attempts', {
    shownDefault: `${DEFAULT_CONFIG.backoffCapMs}, or --backoff-base-ms if larger`,
  }),
  concurrency: option('N', wholeNumber(), 'sessions a pass works on at once, 1..64', {
    shownDefault: String(DEFAULT_CONFIG.concurrency),
  }),
  'max-jobs': option('N', wholeNumber(), 'due jobs one pass takes, oldest first; the rest wait for the next pass', {
    shownDefault: String(DEFAULT_CONFIG.maxJobsPerPass),
  }),
};

/** Every command takes these: where the data is, how to print, and the runtime settings. */
const COMMON = [
  'root',
  'json',
  'log',
  'deadline-ms',
  'stale-after-ms',
  'heartbeat-ms',
  'ttl-ms',
  'max-attempts',
  'backoff-base-ms',
  'backoff-cap-ms',
  'concurrency',
  'max-jobs',
] as const;

export const JOBS_PROGRAM = program({
  name: 'jobs',
  summary:
    'The durable-jobs runtime: npm run jobs -- <command>, or npx durable-jobs <command> ' +
    'where the package is installed.',
  options: JOBS_OPTIONS,
  commands: {
    init: { summary: 'creates the data root (the other commands refuse a missing one)', options: [...COMMON] },
    enqueue: {
      summary: 'queues a job for the input file and prints its id',
      options: ['session', 'input', 'job', ...COMMON],
      required: ['session', 'input'],
      describe: { job: "the new job's id; without it, a new job-<16 hex digits> id" },
    },
    run: { summary: 'one runner pass (exit 0 even if jobs failed: that is job state)', options: [...COMMON] },
    status: {
      summary: 'jobs with id, session, status, stage, attempts, next attempt and error',
      options: ['job', ...COMMON],
      describe: { job: 'show only this job' },
    },
    retry: {
      summary: 'queues a failed job again; it resumes at the stage that failed',
      options: ['job', ...COMMON],
      required: ['job'],
    },
    delete: {
      summary: 'deletes a job, also while it runs (at its next stage boundary)',
      options: ['job', ...COMMON],
      required: ['job'],
    },
    purge: {
      summary: 'removes finished jobs older than the TTL, stray temporary files and dead locks',
      options: [...COMMON],
    },
    serve: {
      summary: 'serves the HTTP API (needs CRON_SECRET, at least 16 characters)',
      options: ['port', 'host', ...COMMON],
    },
  },
  notes: [
    'Exit codes: 0 done, 1 the command itself failed, 2 bad arguments, a bad setting, or an unknown or invalid id.',
    'Environment: JOBS_ROOT, JOBS_UPSTREAM_URL, JOBS_UPSTREAM_TOKEN, JOBS_UPSTREAM_TIMEOUT_MS, ' +
      'CRON_SECRET (see docs/runtime.md).',
  ],
});

export type JobsCommand = keyof typeof JOBS_PROGRAM.commands;
export type JobsValues = Values<typeof JOBS_OPTIONS>;
export type JobsParse = ParseResult<typeof JOBS_OPTIONS, JobsCommand>;

export interface ParsedArgs {
  readonly command: JobsCommand;
  readonly values: JobsValues;
}

export function parseJobsArgs(argv: readonly string[]): JobsParse {
  return parseCommandLine(JOBS_PROGRAM, argv);
}

/** A value the command declares required (so the parser has checked it is there). */
export function required(args: ParsedArgs, name: 'session' | 'input' | 'job'): string {
  const value = args.values[name];
  if (value === undefined) throw new UsageError(`${args.command} needs --${name}`);
  return value;
}
