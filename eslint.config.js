// Lint for every file, with the rules that keep the code a model:
// - typed rules: no floating promise, every switch over a union exhaustive;
// - functions of at most 70 lines (TIGER_STYLE) and a bound on cyclomatic complexity; a `describe`
//   callback is a group of tests, not a function in that sense, and is exempt (local/max-function-lines);
// - the runtime's determinism: no module under src/ (other than the production adapters and the
//   composition root) may reach an effect directly, and neither may the harness's simulation code.
//   Every file, clock, randomness and process effect arrives through the ports, or the simulation
//   cannot see it. crypto is banned for randomness only (constantTimeEqual uses timingSafeEqual).
import tseslint from 'typescript-eslint';

const MAX_FUNCTION_LINES = 70;
const MAX_COMPLEXITY = 20;

const fsImports = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'];
const effectImports = [
  ...fsImports,
  'os',
  'node:os',
  'child_process',
  'node:child_process',
  'timers',
  'node:timers',
  'timers/promises',
  'node:timers/promises',
];
const cryptoRandomness = [
  'randomBytes',
  'randomUUID',
  'randomInt',
  'randomFill',
  'randomFillSync',
  'getRandomValues',
  'webcrypto',
];
const restrictedImports = (message) => [
  'error',
  {
    paths: [
      ...effectImports.map((name) => ({ name, message })),
      ...['crypto', 'node:crypto'].map((name) => ({ name, importNames: cryptoRandomness, message })),
    ],
  },
];
const restrictedGlobals = (names, message) => ['error', ...names.map((name) => ({ name, message }))];
const realTime = {
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Read the port clock (io.clock.nowMs()).' },
    { object: 'Math', property: 'random', message: 'Use the seeded random of the port (io.random).' },
    { object: 'process', property: 'hrtime', message: 'Read the port clock.' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'new Date() reads real time; read the port clock.',
    },
  ],
};

/** max-lines-per-function, except for the callback of describe(...) (a group of tests). */
const maxFunctionLines = {
  meta: {
    type: 'suggestion',
    schema: [{ type: 'integer' }],
    messages: { long: '{{name}} has {{lines}} lines (at most {{max}}).' },
  },
  create(context) {
    const max = context.options[0] ?? MAX_FUNCTION_LINES;
    const isDescribeCallback = (node) => {
      const call = node.parent;
      if (call?.type !== 'CallExpression') return false;
      const callee = call.callee.type === 'CallExpression' ? call.callee.callee : call.callee;
      const name = callee.type === 'MemberExpression' ? callee.object.name : callee.name;
      return name === 'describe';
    };
    const check = (node) => {
      const lines = node.loc.end.line - node.loc.start.line + 1;
      if (lines <= max || isDescribeCallback(node)) return;
      const name =
        node.id?.name ??
        (node.parent?.type === 'VariableDeclarator' ? node.parent.id.name : node.parent?.key?.name) ??
        'a function';
      context.report({ node, messageId: 'long', data: { name, lines: String(lines), max: String(max) } });
    };
    return { FunctionDeclaration: check, FunctionExpression: check, ArrowFunctionExpression: check };
  },
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'coverage/**',
      'data/**',
      '.chaos/**',
      '.stryker-tmp*/**',
      '.stryker-chunks/**',
      '.prof/**',
      'reports/**',
      '.scratch/**',
      '.zoo/**',
      'examples/nextjs/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    plugins: { local: { rules: { 'max-function-lines': maxFunctionLines } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      eqeqeq: ['error', 'always'],
      'local/max-function-lines': ['error', MAX_FUNCTION_LINES],
      complexity: ['error', MAX_COMPLEXITY],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/adapters/**', 'src/cli.ts'],
    rules: {
      'no-restricted-imports': restrictedImports(
        'Runtime effects go through the ports in src/ports; only src/adapters and src/cli.ts bind them.',
      ),
      'no-restricted-globals': restrictedGlobals(
        [
          'setTimeout',
          'setInterval',
          'setImmediate',
          'clearTimeout',
          'clearInterval',
          'queueMicrotask',
          'fetch',
          'performance',
          'process',
          'crypto',
        ],
        'Use the io ports (Clock, Random, Processes, Log) instead.',
      ),
      ...realTime,
    },
  },
  {
    // The simulation: what runs inside a World must read only simulated time, seeded randomness and
    // the simulated disk (same seed, same trace). Real effects belong to the CLIs, the reports, the
    // worker-thread and real-process campaigns, and the zoo's source patcher (setup, before any run).
    files: ['harness/{simFs,world,faults,invariants,oracle,workload,explorer,chaos,scenarioRunner,bugs}/**/*.ts'],
    ignores: ['harness/bugs/patchedRuntime.ts'],
    rules: {
      'no-restricted-imports': restrictedImports(
        'Simulation code reads only the World: its clock, its seeded random, its SimFs.',
      ),
      // setImmediate stays allowed: a macrotask turn reads no time, and it is how the World lets every
      // pending promise chain settle before it picks the next process.
      'no-restricted-globals': restrictedGlobals(
        ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'fetch', 'performance', 'crypto'],
        "Simulation code uses the World's fake timers and clock (report elapsed time with harness/report/stopwatch.ts).",
      ),
      ...realTime,
    },
  },
);
