// The argument handling the single-command entry points share (zoo, soak, soundness, bench): their
// declarations parsed by the shared parser (src/cliParser.ts); `--help` printed on stdout (exit 0), bad
// arguments one line per problem on stderr with the usage to read (exit 2), and no work started.
import { parseCommandLine } from '../src/cliParser.ts';
import { renderUsageError } from '../src/cliHelp.ts';
import type { Options, ProgramSpec, Values } from '../src/cliSpec.ts';

export interface EntryStreams {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const processStreams: EntryStreams = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** The values to run with; or, when there is nothing to run, the exit code (0 after --help, 2 after a usage error). */
export function entryArgs<O extends Options, C extends string>(
  program: ProgramSpec<O, C>,
  prefix: string,
  argv: readonly string[],
  streams: EntryStreams,
): Values<O> | number {
  const parsed = parseCommandLine(program, argv);
  if (parsed.kind === 'help') {
    streams.stdout(parsed.text);
    return 0;
  }
  if (parsed.kind === 'error') {
    streams.stderr(renderUsageError(prefix, parsed.message, parsed.usage));
    return 2;
  }
  return parsed.values;
}
