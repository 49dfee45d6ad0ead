// Help and usage text, generated from a program's declarations (cliSpec.ts): `--help` of the program
// lists its commands, `<command> --help` every option of the command with its default, and a usage
// error closes with the command's synopsis and where to read more. A program of one command (the
// zoo, soak, soundness and bench entry points) has no command word: its help is that command's.
import { commandNames, soleCommand, type CommandSpec, type Options, type ProgramSpec } from './cliSpec.ts';

/** `usage: jobs <init|enqueue|...> [options]`, the commands, the program's notes. */
export function programHelp<O extends Options, C extends string>(program: ProgramSpec<O, C>): string {
  const sole = soleCommand(program);
  if (sole !== undefined) return commandHelp(program, sole);
  const names = commandNames(program);
  const rows = names.map((name): [string, string] => [
    name,
    `${program.commands[name].summary}${name === program.defaultCommand ? ' (when no command is given)' : ''}`,
  ]);
  return (
    [
      `usage: ${programSynopsis(program)}`,
      `       ${program.name} <command> --help   (a command's options, with their defaults)`,
      '',
      program.summary,
      '',
      'commands:',
      ...table(rows),
      ...(program.notes !== undefined ? ['', ...program.notes] : []),
    ].join('\n') + '\n'
  );
}

/** The command's synopsis and summary, then each of its options with its default (a sole command: the program's summary and notes). */
export function commandHelp<O extends Options, C extends string>(program: ProgramSpec<O, C>, command: C): string {
  const spec: CommandSpec<O> = program.commands[command];
  const sole = soleCommand(program) === command;
  const rows = spec.options.map((name): [string, string] => [
    optionUsage(program, name),
    optionDescription(program, spec, name),
  ]);
  return (
    [
      `usage: ${commandSynopsis(program, command)}`,
      '',
      sole ? program.summary : spec.summary,
      ...(spec.operand !== undefined
        ? ['', 'argument:', ...table([[spec.operand.name, spec.operand.description]])]
        : []),
      ...(rows.length > 0 ? ['', 'options:', ...table(rows)] : []),
      ...(sole && program.notes !== undefined ? ['', ...program.notes] : []),
    ].join('\n') + '\n'
  );
}

/** What a usage error ends with: the synopsis and the help to read. */
export function usageHint<O extends Options, C extends string>(
  program: ProgramSpec<O, C>,
  command: C | undefined,
): string {
  if (command === undefined) return `${programSynopsis(program)}; see ${program.name} --help`;
  const see = soleCommand(program) === command ? program.name : `${program.name} ${command}`;
  return `${commandSynopsis(program, command)}; see ${see} --help`;
}

/** `prefix: line` for each line of the message; the usage hint closes the last one. */
export function renderUsageError(prefix: string, message: string, hint: string): string {
  const lines = message.split('\n');
  return lines.map((line, i) => `${prefix}: ${line}${i === lines.length - 1 ? ` (usage: ${hint})` : ''}\n`).join('');
}

function programSynopsis<O extends Options, C extends string>(program: ProgramSpec<O, C>): string {
  const names = commandNames(program).join('|');
  return `${program.name} ${program.defaultCommand === undefined ? `<${names}>` : `[${names}]`} [options]`;
}

function commandSynopsis<O extends Options, C extends string>(program: ProgramSpec<O, C>, command: C): string {
  const spec: CommandSpec<O> = program.commands[command];
  const required = spec.required ?? [];
  const parts = [
    program.name,
    ...(soleCommand(program) === command ? [] : [command]),
    ...required.map((name) => optionUsage(program, name)),
  ];
  if (spec.operand !== undefined)
    parts.push(spec.operand.required === true ? spec.operand.name : `[${spec.operand.name}]`);
  if (spec.options.some((name) => !required.includes(name))) parts.push('[options]');
  return parts.join(' ');
}

function optionUsage<O extends Options>(program: { readonly options: O }, name: keyof O & string): string {
  const option = program.options[name]!;
  return option.type === 'boolean' ? `--${name}` : `--${name} ${option.placeholder}`;
}

function optionDescription<O extends Options>(
  program: { readonly options: O },
  spec: CommandSpec<O>,
  name: keyof O & string,
): string {
  const option = program.options[name]!;
  const description = spec.describe?.[name] ?? option.description;
  if (spec.required?.includes(name) === true) return `${description} (required)`;
  if (option.type === 'boolean') return description;
  const own = spec.defaults?.[name];
  const shown =
    own !== undefined ? showValue(own) : option.default !== undefined ? showValue(option.default) : option.shownDefault;
  return shown === undefined ? description : `${description} (default: ${shown})`;
}

function showValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
}
