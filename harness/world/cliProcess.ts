// A process of the world that runs the jobs CLI as a user starts it: `main(argv, env, streams)` of
// src/cli.ts over a simulated machine (simPlatform), so argument parsing, environment validation, the
// flag-to-setting mapping, systemIo and every production adapter run for real. What the user sees is
// what the process leaves: its exit code, stdout and stderr. Its events are the JSON lines its real log
// adapter wrote to stderr (`--log json`), read back into the world's event list.
import type { LogEventName, LogFields } from '../../src/ports/log.ts';
import type { RuntimeEntries } from './runtimeEntries.ts';
import { simPlatform, type SimPlatformOptions } from './simPlatform.ts';
import type { SimProcess, World } from './world.ts';

/** What a user of the CLI sees of one command. */
export interface CliOutcome {
  readonly argv: readonly string[];
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRun extends SimPlatformOptions {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** Reads one stderr line: an event of the log adapter, or undefined for any other line. */
function eventOf(line: string): { event: LogEventName; fields: LogFields } | undefined {
  if (!line.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('event' in parsed)) return undefined;
  const { event, time: _time, pid: _pid, monoNs: _mono, ...fields } = parsed as Record<string, unknown>;
  return { event: event as LogEventName, fields };
}

export async function runCliProcess(
  world: World,
  process: SimProcess,
  runtime: RuntimeEntries,
  run: CliRun,
): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const streams = {
    stdout: (text: string) => {
      stdout += text;
    },
    stderr: (text: string) => {
      stderr += text;
      for (const line of text.split('\n')) {
        const logged = eventOf(line);
        if (logged !== undefined) world.logEvent(process, logged.event, logged.fields);
      }
    },
  };
  const exitCode = await runtime.main([...run.argv], { ...run.env }, streams, simPlatform(world, process, run));
  return { argv: run.argv, exitCode, stdout, stderr };
}

/** Whether a process's result is a CLI outcome. */
export function isCliOutcome(result: unknown): result is CliOutcome {
  return typeof result === 'object' && result !== null && 'exitCode' in result && 'argv' in result;
}

/**
 * A CLI outcome as an operation's result or error, the way the in-process entry points return or
 * throw: exit 0 → the printed JSON value; otherwise an Error named as the `--json` error line names it.
 */
export function cliResult(outcome: CliOutcome): { result?: unknown; error?: Error } {
  if (outcome.exitCode === 0) {
    try {
      return { result: JSON.parse(outcome.stdout) as unknown };
    } catch {
      return { error: new Error(`exit 0, but stdout is not one JSON value: ${outcome.stdout.slice(0, 200)}`) };
    }
  }
  const line = outcome.stderr.split('\n').find((l) => l.startsWith('{"error"'));
  const named = line === undefined ? undefined : (JSON.parse(line) as { error: { name: string; message: string } });
  const error = new Error(named?.error.message ?? `exit ${outcome.exitCode}: ${outcome.stderr.trim().slice(-200)}`);
  error.name = named?.error.name ?? 'CliExit';
  return { error };
}
