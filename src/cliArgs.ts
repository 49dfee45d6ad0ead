// Argument parsing for the runtime CLI: a command, `--flag value` pairs, and booleans. Anything
// unknown, repeated or missing its value is a UsageError (exit 2), never ignored.
import { UsageError } from './errors.ts';

const VALUE_FLAGS = ['root', 'session', 'input', 'job', 'log', 'host'] as const;
const NUMBER_FLAGS = ['deadline-ms', 'stale-after-ms', 'ttl-ms', 'max-attempts', 'backoff-base-ms', 'concurrency', 'port'] as const;
const BOOLEAN_FLAGS = ['json'] as const;
const COMMANDS = ['init', 'enqueue', 'run', 'status', 'retry', 'delete', 'purge', 'serve'] as const;

type ValueFlag = (typeof VALUE_FLAGS)[number];
type NumberFlag = (typeof NUMBER_FLAGS)[number];

export interface ParsedArgs {
  command: (typeof COMMANDS)[number];
  flags: Partial<Record<ValueFlag, string>>;
  numbers: Partial<Record<NumberFlag, number>>;
  json: boolean;
  required(flag: ValueFlag): string;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command.startsWith('--')) throw new UsageError('missing command');
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  const flags: Partial<Record<ValueFlag, string>> = {};
  const numbers: Partial<Record<NumberFlag, number>> = {};
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [rawName, inline] = arg.startsWith('--') ? splitOnce(arg.slice(2)) : [undefined, undefined];
    if (rawName === undefined) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    if ((BOOLEAN_FLAGS as readonly string[]).includes(rawName)) {
      if (inline !== undefined) throw new UsageError(`--${rawName} takes no value`);
      json = true;
      continue;
    }
    const isValue = (VALUE_FLAGS as readonly string[]).includes(rawName);
    const isNumber = (NUMBER_FLAGS as readonly string[]).includes(rawName);
    if (!isValue && !isNumber) throw new UsageError(`unknown flag --${rawName}`);
    const value = inline ?? rest[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${rawName} needs a value`);
    if (isValue) {
      const name = rawName as ValueFlag;
      if (flags[name] !== undefined) throw new UsageError(`--${name} given twice`);
      if (name === 'log' && value !== 'json') throw new UsageError(`--log takes "json", not ${JSON.stringify(value)}`);
      if (value === '') throw new UsageError(`--${name} needs a non-empty value`);
      flags[name] = value;
    } else {
      const name = rawName as NumberFlag;
      if (!/^\d{1,15}$/.test(value)) throw new UsageError(`--${name} needs a whole number, not ${JSON.stringify(value)}`);
      numbers[name] = Number(value);
    }
  }
  return {
    command: command as ParsedArgs['command'],
    flags,
    numbers,
    json,
    required(flag) {
      const value = flags[flag];
      if (value === undefined) throw new UsageError(`${command} needs --${flag}`);
      return value;
    },
  };
}

function splitOnce(text: string): [string, string | undefined] {
  const eq = text.indexOf('=');
  return eq < 0 ? [text, undefined] : [text.slice(0, eq), text.slice(eq + 1)];
}
