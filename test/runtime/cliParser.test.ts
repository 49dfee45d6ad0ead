// The one argument parser of both CLIs (src/cliParser.ts): a small program declared here for the
// parser's rules, then the jobs and chaos declarations: generated help, and the same malformed input
// refused the same way by both mains.
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cliParser.ts';
import { flag, option, program, type Options, type ProgramSpec } from '../../src/cliSpec.ts';
import { choice, wholeNumber, text } from '../../src/cliValues.ts';
import { renderUsageError } from '../../src/cliHelp.ts';
import { JOBS_PROGRAM, parseJobsArgs } from '../../src/cliArgs.ts';
import { CHAOS_PROGRAM, parseHarnessArgs, parseHarnessCommandLine } from '../../harness/cliArgs.ts';
import { main as jobsMain } from '../../src/cli.ts';
import { main as chaosMain } from '../../harness/cli.ts';

const TOY = program({
  name: 'toy',
  summary: 'A program for the parser tests.',
  options: {
    count: option('N', wholeNumber({ min: 1, max: 9 }), 'how many', { default: 3 }),
    colour: option('C', choice(['red', 'blue']), 'which colour'),
    name: option('NAME', text, 'a name'),
    loud: flag('shout'),
  },
  defaultCommand: 'go',
  commands: {
    go: { summary: 'goes', options: ['count', 'colour', 'loud'], defaults: { count: 5 } },
    named: {
      summary: 'needs a name',
      options: ['name', 'count'],
      required: ['name'],
      operand: { name: 'FILE', description: 'a file', required: true },
    },
  },
});

const parse = (argv: string[]) => parseCommandLine(TOY, argv);
const errorOf = (argv: string[]) => {
  const result = parse(argv);
  return result.kind === 'error' ? result.message : `not an error: ${JSON.stringify(result)}`;
};

describe('the shared parser', () => {
  it("parses values with their zod schemas and fills defaults (the command's over the option's)", () => {
    expect(parse(['go', '--count', '7', '--colour=blue', '--loud'])).toEqual({
      kind: 'command',
      command: 'go',
      operand: undefined,
      values: { count: 7, colour: 'blue', name: undefined, loud: true },
    });
    expect(parse([])).toMatchObject({
      kind: 'command',
      command: 'go',
      values: { count: 5, colour: undefined, loud: false },
    });
    expect(parse(['named', '--name', 'n', 'f.txt'])).toMatchObject({
      kind: 'command',
      command: 'named',
      operand: 'f.txt',
      values: { count: 3, name: 'n' },
    });
    expect(parse(['named', '--name', '-n-', '--', '--file'])).toMatchObject({
      kind: 'command',
      operand: '--file',
      values: { name: '-n-' },
    });
  });

  it('an unknown flag, a missing value and a value its schema refuses each name the flag', () => {
    expect(errorOf(['go', '--verbose'])).toBe('unknown flag --verbose');
    expect(errorOf(['go', '-v'])).toBe('unknown flag -v');
    expect(errorOf(['go', '--name', 'x'])).toBe('--name is not an option of go');
    expect(errorOf(['go', '--count'])).toBe('--count needs a value');
    expect(errorOf(['go', '--count', '--loud'])).toBe('--count needs a value');
    expect(errorOf(['go', '--count='])).toBe('--count needs a value');
    expect(errorOf(['go', '--loud=yes'])).toBe('--loud takes no value');
    expect(errorOf(['go', '--count', '1', '--count', '2'])).toBe('--count given twice');
    expect(errorOf(['go', '--count', '10'])).toBe('--count: needs a whole number 1..9, not "10"');
    expect(errorOf(['go', '--count', '-1'])).toBe('--count: needs a whole number 1..9, not "-1"');
    expect(errorOf(['go', '--colour', 'green'])).toBe('--colour: takes "red" or "blue", not "green"');
    // One line per bad value, as zodIssues renders them.
    expect(errorOf(['go', '--count', 'x', '--colour', 'green'])).toBe(
      '--count: needs a whole number 1..9, not "x"\n--colour: takes "red" or "blue", not "green"',
    );
  });

  it('commands, required options and operands: each refusal names what is wrong, with the usage to read', () => {
    expect(errorOf(['fly'])).toBe('unknown command "fly"');
    expect(errorOf(['named', 'f'])).toBe('named needs --name');
    expect(errorOf(['named', '--name', 'n'])).toBe('named needs FILE: a file');
    expect(errorOf(['named', '--name', 'n', 'a', 'b'])).toBe('unexpected argument "b"');
    expect(errorOf(['go', 'extra'])).toBe('unexpected argument "extra"');
    expect(parse(['named', '--bad'])).toMatchObject({
      kind: 'error',
      command: 'named',
      usage: 'toy named --name NAME FILE [options]; see toy named --help',
    });
    expect(parse(['fly'])).toMatchObject({
      kind: 'error',
      command: undefined,
      usage: 'toy [go|named] [options]; see toy --help',
    });
    const withoutDefault = program({ ...TOY, defaultCommand: undefined, commands: { go: TOY.commands.go } });
    expect(parseCommandLine(withoutDefault, ['--loud'])).toMatchObject({ kind: 'error', message: 'missing command' });
    expect(renderUsageError('toy', 'a\nb', 'toy go')).toBe('toy: a\ntoy: b (usage: toy go)\n');
  });

  it('--help (or -h) wins over everything else and is generated from the declarations', () => {
    const help = parse(['named', '--bad', '-h']);
    expect(help).toEqual({
      kind: 'help',
      text: [
        'usage: toy named --name NAME FILE [options]',
        '',
        'needs a name',
        '',
        'argument:',
        '  FILE  a file',
        '',
        'options:',
        '  --name NAME  a name (required)',
        '  --count N    how many (default: 3)',
        '',
      ].join('\n'),
    });
    const go = parse(['go', '--help']);
    expect(go.kind === 'help' && go.text).toMatch(
      /\noptions:\n {2}--count N {3}how many \(default: 5\)\n {2}--colour C {2}which colour\n {2}--loud {6}shout\n$/,
    );
    const top = parse(['--help']);
    expect(top.kind === 'help' && top.text).toMatch(
      /^usage: toy \[go\|named\] \[options\]\n[^]*commands:\n {2}go {5}goes \(when no command is given\)\n {2}named {2}needs a name\n$/,
    );
  });
});

/** Each line of a command's help that lists `--name`. */
function helpLine(text: string, name: string): string | undefined {
  return text.split('\n').find((line) => new RegExp(`^ {2}--${name}( |$)`).test(line));
}

describe("the two CLIs' generated help", () => {
  it.each([
    ['jobs', JOBS_PROGRAM as ProgramSpec<Options, string>, (argv: string[]) => parseJobsArgs(argv)],
    ['chaos', CHAOS_PROGRAM as ProgramSpec<Options, string>, (argv: string[]) => parseHarnessCommandLine(argv)],
  ])('%s <command> --help lists every option of the command, each with its default', (_, spec, parseArgv) => {
    for (const [command, commandSpec] of Object.entries(spec.commands)) {
      const result = parseArgv([command, '--help']);
      expect(result.kind, command).toBe('help');
      const text = result.kind === 'help' ? result.text : '';
      for (const name of commandSpec.options) {
        const line = helpLine(text, name);
        expect(line, `${command} --${name}`).toBeDefined();
        const option = spec.options[name]!;
        const hasDefault =
          option.type === 'string' &&
          (option.default !== undefined ||
            option.shownDefault !== undefined ||
            commandSpec.defaults?.[name] !== undefined);
        if (hasDefault && commandSpec.required?.includes(name) !== true)
          expect(line, `${command} --${name}`).toMatch(/\(default: [^)]+\)$/);
      }
      expect(text.split('\n').filter((line) => /^ {2}--/.test(line))).toHaveLength(commandSpec.options.length);
    }
  });

  it('shows the defaults the programs use', () => {
    const jobsHelp = (command: string) => {
      const r = parseJobsArgs([command, '--help']);
      return r.kind === 'help' ? r.text : '';
    };
    const chaosHelp = (command: string) => {
      const r = parseHarnessCommandLine([command, '--help']);
      return r.kind === 'help' ? r.text : '';
    };
    expect(helpLine(jobsHelp('serve'), 'port')).toMatch(/\(default: 3000\)$/);
    expect(helpLine(jobsHelp('serve'), 'host')).toMatch(/\(default: 127\.0\.0\.1\)$/);
    expect(helpLine(jobsHelp('run'), 'root')).toMatch(/\(default: \$JOBS_ROOT, else \.\/data\)$/);
    expect(helpLine(jobsHelp('run'), 'deadline-ms')).toMatch(/\(default: 840000\)$/);
    expect(helpLine(jobsHelp('retry'), 'job')).toMatch(/\(required\)$/);
    expect(helpLine(chaosHelp('chaos'), 'runs')).toMatch(/\(default: 300\)$/);
    expect(helpLine(chaosHelp('foreign'), 'runs')).toMatch(/\(default: 200\)$/);
    expect(helpLine(chaosHelp('explore'), 'model')).toMatch(
      /^ {2}--model process-kill\|power-loss\|all .*\(default: all\)$/,
    );
    expect(helpLine(chaosHelp('scenarios'), 'out')).toMatch(/\(default: \.chaos\)$/);
  });

  it('--help exits 0 and prints on stdout, in both mains', async () => {
    const jobs = await runJobs(['enqueue', '--help']);
    expect(jobs).toMatchObject({ code: 0, stderr: '' });
    expect(jobs.stdout).toMatch(/^usage: jobs enqueue --session ID --input FILE \[options\]\n/);
    const chaos = await runChaos(['--help']);
    expect(chaos).toMatchObject({ code: 0, stderr: '' });
    expect(chaos.stdout).toMatch(
      /^usage: .* \[all\|list\|scenarios\|explore\|chaos\|model\|replay\|foreign\] \[options\]\n/,
    );
  });
});

async function runJobs(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await jobsMain(argv, {}, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function runChaos(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await chaosMain(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('both CLIs refuse the same malformed input the same way', () => {
  it.each([
    [['run', '--verbose'], ['chaos', '--verbose'], 'unknown flag --verbose'],
    [['run', '-x'], ['chaos', '-x'], 'unknown flag -x'],
    [['run', '--json=yes'], ['chaos', '--json=yes'], '--json takes no value'],
    [['status', '--job'], ['chaos', '--seed'], /^--(job|seed) needs a value$/],
    [['status', '--job', '--json'], ['chaos', '--seed', '--json'], /^--(job|seed) needs a value$/],
    [['status', '--job', 'a', '--job', 'b'], ['chaos', '--seed', '1', '--seed', '2'], /^--(job|seed) given twice$/],
    [
      ['run', '--concurrency', 'x'],
      ['chaos', '--workers', 'x'],
      /^--(concurrency|workers): needs a whole number( 1\.\.64)?, not "x"$/,
    ],
    [['run', '--log', 'xml'], ['explore', '--model', 'xml'], /^--(log|model): takes .*, not "xml"$/],
    [['run', 'stray'], ['chaos', 'stray'], 'unexpected argument "stray"'],
    [['frobnicate'], ['frobnicate'], 'unknown command "frobnicate"'],
    [['run', '--session', 's'], ['list', '--seed', '1'], /^--(session|seed) is not an option of (run|list)$/],
  ])(
    'jobs %j and chaos %j: exit 2, one line naming the token, the usage and its --help',
    async (jobsArgv, chaosArgv, message) => {
      for (const [prefix, result] of [
        ['jobs', await runJobs(jobsArgv)],
        ['chaos', await runChaos(chaosArgv)],
      ] as const) {
        expect(result.code, prefix).toBe(2);
        expect(result.stdout, prefix).toBe('');
        const match = /^(\w+): (.*) \(usage: (.*); see (.*) --help\)\n$/.exec(result.stderr);
        expect(match, result.stderr).not.toBeNull();
        expect(match![1]).toBe(prefix);
        expect(match![2]).toMatch(
          typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}$`) : message,
        );
      }
    },
  );

  it('takes a seed signed, unsigned or as a commit hash (the chaos CLI)', () => {
    expect(parseHarnessArgs(['chaos', '--seed', '-1']).seed).toBe(0xffffffff);
    expect(parseHarnessArgs(['chaos', '--seed=4294967295']).seed).toBe(0xffffffff);
    expect(parseHarnessArgs(['chaos', '--seed', '3f2c9e1b7a']).seed).toBe(0x3f2c9e1b);
    expect(parseHarnessArgs(['chaos', '--seed', '0']).seed).toBe(0);
    expect(() => parseHarnessArgs(['chaos', '--seed', '4294967296'])).toThrow(
      /^--seed: needs a whole number -2147483648\.\.4294967295 or a commit hash, not "4294967296"$/,
    );
    expect(() => parseHarnessArgs(['chaos', '--help'])).toThrow(/--help/);
  });
});
