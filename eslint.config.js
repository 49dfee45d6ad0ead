// Lint for every file, plus the rule that keeps the runtime honest: no module under src/ (other than
// the production adapters and the composition root) may reach an effect directly. Every file, clock,
// randomness and process effect must arrive through the ports, or the simulation cannot see it.
import tseslint from 'typescript-eslint';

const effectImports = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'crypto', 'node:crypto',
  'os', 'node:os', 'child_process', 'node:child_process', 'timers', 'node:timers', 'timers/promises',
  'node:timers/promises'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', 'data/**', '.chaos/**', '.stryker-tmp*/**', '.stryker-chunks/**', '.prof/**', 'reports/**', '.scratch/**', 'examples/nextjs/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/adapters/**', 'src/cli.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: effectImports.map((name) => ({ name, message: 'Runtime effects go through the ports in src/ports; only src/adapters and src/cli.ts bind them.' })) }],
      'no-restricted-globals': ['error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'queueMicrotask', 'fetch', 'performance', 'process', 'crypto']
          .map((name) => ({ name, message: 'Use the io ports (Clock, Random, Processes, Log) instead.' }))],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Use io.clock.nowMs().' },
        { object: 'Math', property: 'random', message: 'Use io.random.' }],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use io.clock.nowMs(); new Date() reads real time.' }],
    },
  },
);
