// The one argument parser of both CLIs (jobs and chaos). node:util parseArgs splits argv into tokens;
// each option is then checked against the command's declarations (cliSpec.ts) and its value parsed by
// the option's zod schema. Pure: argv in, a result out (the command and its values, the help text, or
// an error naming the offending token and the usage to show); it never prints or exits.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { zodIssueLines } from './zodIssues.ts';
import { commandHelp, programHelp, usageHint } from './cliHelp.ts';
import { soleCommand, type CommandSpec, type Options, type ProgramSpec, type Values } from './cliSpec.ts';

export type ParseResult<O extends Options, C extends string> =
  | { readonly kind: 'command'; readonly command: C; readonly values: Values<O>; readonly operand: string | undefined }
  | { readonly kind: 'help'; readonly text: string }
  /** Bad arguments (exit 2): `message` names the offending token, one line per problem. */
  | { readonly kind: 'error'; readonly message: string; readonly usage: string; readonly command: C | undefined };

type Token =
  | { kind: 'option'; name: string; rawName: string; value?: string; inlineValue?: boolean }
  | { kind: 'positional'; value: string }
  | { kind: 'option-terminator' };

/** What the user typed for a command: the switches given, each value's text, the operands. */
interface Given {
  readonly flags: Set<string>;
  readonly texts: Record<string, string>;
  readonly operands: string[];
}

export function parseCommandLine<O extends Options, C extends string>(
  program: ProgramSpec<O, C>,
  argv: readonly string[],
): ParseResult<O, C> {
  const first = argv[0];
  // A program of one command takes no command word: a first word is an operand.
  const named = soleCommand(program) === undefined && first !== undefined && !first.startsWith('-');
  if (named && !Object.hasOwn(program.commands, first))
    return failure(program, undefined, `unknown command ${JSON.stringify(first)}`);
  const command = named ? (first as C) : program.defaultCommand;
  const tokens = tokenize(program, named ? argv.slice(1) : argv);
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) {
    return { kind: 'help', text: named ? commandHelp(program, command!) : programHelp(program) };
  }
  if (command === undefined) return failure(program, undefined, 'missing command');
  const given = collect(program, command, tokens);
  if (typeof given === 'string') return failure(program, command, given);
  const values = valuesOf(program, command, given);
  if (typeof values === 'string') return failure(program, command, values);
  const problem = commandProblem(program.commands[command], command, values, given);
  if (problem !== undefined) return failure(program, command, problem);
  return { kind: 'command', command, values, operand: given.operands[0] };
}

function failure<O extends Options, C extends string>(
  program: ProgramSpec<O, C>,
  command: C | undefined,
  message: string,
): ParseResult<O, C> {
  return { kind: 'error', message, usage: usageHint(program, command), command };
}

/** node:util's tokens; every declared option with its type, so a value is taken as the option's. */
function tokenize<O extends Options, C extends string>(program: ProgramSpec<O, C>, args: readonly string[]): Token[] {
  const options = Object.fromEntries(
    Object.entries(program.options).map(([name, option]) => [name, { type: option.type }]),
  );
  const { tokens } = parseArgs({
    args: [...args],
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  return tokens as Token[];
}

function collect<O extends Options, C extends string>(
  program: ProgramSpec<O, C>,
  command: C,
  tokens: readonly Token[],
): Given | string {
  const given: Given = { flags: new Set(), texts: {}, operands: [] };
  for (const token of tokens) {
    if (token.kind === 'positional') given.operands.push(token.value);
    if (token.kind !== 'option') continue;
    const problem = take(program, command, token, given);
    if (problem !== undefined) return problem;
  }
  return given;
}

/** Records one option token; the problem with it, if any. */
function take<O extends Options, C extends string>(
  program: ProgramSpec<O, C>,
  command: C,
  token: Token & { kind: 'option' },
  given: Given,
): string | undefined {
  const { name, rawName, value } = token;
  const option = rawName.startsWith('--') && Object.hasOwn(program.options, name) ? program.options[name] : undefined;
  if (option === undefined) return `unknown flag ${rawName}`;
  if (!program.commands[command].options.includes(name)) return `${rawName} is not an option of ${command}`;
  if (option.type === 'boolean') {
    if (value !== undefined) return `${rawName} takes no value`;
    given.flags.add(name);
    return undefined;
  }
  // A separate value that looks like a flag is the user forgetting the value, not a value.
  if (value === undefined || value === '' || (token.inlineValue !== true && value.startsWith('--')))
    return `${rawName} needs a value`;
  if (Object.hasOwn(given.texts, name)) return `${rawName} given twice`;
  given.texts[name] = value;
  return undefined;
}

/** Every option's value: parsed by its zod schema where given, else the command's or the option's default. */
function valuesOf<O extends Options, C extends string>(
  program: ProgramSpec<O, C>,
  command: C,
  given: Given,
): Values<O> | string {
  const names = Object.keys(given.texts);
  const shape = Object.fromEntries(
    names.map((name) => [name, (program.options[name] as O[string] & { type: 'string' }).schema]),
  );
  const parsed = z.object(shape).safeParse(given.texts);
  if (!parsed.success)
    return zodIssueLines(parsed.error, Object.fromEntries(names.map((name) => [name, `--${name}`]))).join('\n');
  const defaults: Readonly<Record<string, unknown>> = program.commands[command].defaults ?? {};
  const values: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(program.options)) {
    if (option.type === 'boolean') values[name] = given.flags.has(name);
    else
      values[name] = Object.hasOwn(parsed.data, name)
        ? parsed.data[name]
        : Object.hasOwn(defaults, name)
          ? defaults[name]
          : option.default;
  }
  return values as Values<O>;
}

/** A required option or operand missing, an operand too many, or the command's own rule broken. */
function commandProblem<O extends Options>(
  spec: CommandSpec<O>,
  command: string,
  values: Values<O>,
  given: Given,
): string | undefined {
  const missing = (spec.required ?? []).filter((name) => !Object.hasOwn(given.texts, name) && !given.flags.has(name));
  if (missing.length > 0) return `${command} needs ${missing.map((name) => `--${name}`).join(' and ')}`;
  const extra = given.operands[spec.operand === undefined ? 0 : 1];
  if (extra !== undefined) return `unexpected argument ${JSON.stringify(extra)}`;
  if (spec.operand?.required === true && given.operands.length === 0)
    return `${command} needs ${spec.operand.name}: ${spec.operand.description}`;
  return spec.check?.(values, given.operands[0]);
}
