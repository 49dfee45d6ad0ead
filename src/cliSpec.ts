// What a command line is made of, declared once: options (name, type, default, description), commands
// (name, summary, which options they take) and the program. The parser (cliParser.ts) and the
// generated help (cliHelp.ts) both read these declarations, so help cannot drift from what is parsed.
import type { z } from 'zod';

/** A switch: given or not (`--json`). Its value is a boolean, false unless given. */
export interface FlagOption {
  readonly type: 'boolean';
  readonly description: string;
}

/** An option with a value (`--seed S`): the text is parsed and checked by a zod schema. */
export interface ValueOption<T = unknown> {
  readonly type: 'string';
  /** The value's name in help and usage: `--seed S`, `--root DIR`. */
  readonly placeholder: string;
  readonly schema: z.ZodType<T, string>;
  readonly description: string;
  /** The value when the option is not given. */
  readonly default?: T;
  /** Help's text for a default the program fills in itself (an environment variable, a config default). */
  readonly shownDefault?: string;
}

export type OptionSpec = FlagOption | ValueOption;
export type Options = Readonly<Record<string, OptionSpec>>;

/** The parsed value of one option: a boolean for a flag; T, or undefined when it has no default. */
export type ValueOf<O> =
  O extends ValueOption<infer T> ? (O extends { readonly default: unknown } ? T : T | undefined) : boolean;
export type Values<O extends Options> = { readonly [K in keyof O]: ValueOf<O[K]> };

export interface CommandSpec<O extends Options> {
  readonly summary: string;
  /** The options this command takes, in the order help lists them. Any other is refused. */
  readonly options: readonly (keyof O & string)[];
  /** Options this command cannot run without. */
  readonly required?: readonly (keyof O & string)[];
  /** This command's own defaults, over the options' defaults. */
  readonly defaults?: Partial<Values<O>>;
  /** This command's own description of an option, where the shared one would not say what it does here. */
  readonly describe?: Partial<Readonly<Record<keyof O & string, string>>>;
  /** One operand (a file), named in help. Without this, any operand is refused. */
  readonly operand?: { readonly name: string; readonly description: string; readonly required?: boolean };
  /** A rule across options: the message when the combination is refused, undefined when fine. */
  readonly check?: (values: Values<O>, operand: string | undefined) => string | undefined;
}

export interface ProgramSpec<O extends Options, C extends string> {
  /** How the user starts the program, as usage lines print it: `jobs`, `npm run chaos --`. */
  readonly name: string;
  readonly summary: string;
  readonly options: O;
  readonly commands: { readonly [K in C]: CommandSpec<O> };
  /**
   * The command run when none is named; without one, a command is required. A program whose only
   * command is its default takes no command word: its usage and help are that command's.
   */
  readonly defaultCommand?: NoInfer<C>;
  /** Closing lines of the program's help (exit codes, environment). */
  readonly notes?: readonly string[];
}

export function flag(description: string): FlagOption {
  return { type: 'boolean', description };
}

export function option<T>(
  placeholder: string,
  schema: z.ZodType<T, string>,
  description: string,
  extra: { default: NoInfer<T>; shownDefault?: string },
): ValueOption<T> & { default: T };
export function option<T>(
  placeholder: string,
  schema: z.ZodType<T, string>,
  description: string,
  extra?: { shownDefault?: string },
): ValueOption<T>;
export function option<T>(
  placeholder: string,
  schema: z.ZodType<T, string>,
  description: string,
  extra: { default?: T; shownDefault?: string } = {},
): ValueOption<T> {
  return { type: 'string', placeholder, schema, description, ...extra };
}

/** Infers the option and command types of a program declaration. */
export function program<O extends Options, C extends string>(spec: ProgramSpec<O, C>): ProgramSpec<O, C> {
  return spec;
}

export function commandNames<O extends Options, C extends string>(spec: ProgramSpec<O, C>): C[] {
  return Object.keys(spec.commands) as C[];
}

/** The command of a program that has only one, its default (`npm run zoo -- [options]`); else undefined. */
export function soleCommand<O extends Options, C extends string>(spec: ProgramSpec<O, C>): C | undefined {
  const names = commandNames(spec);
  return names.length === 1 && names[0] === spec.defaultCommand ? spec.defaultCommand : undefined;
}
