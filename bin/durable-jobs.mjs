#!/usr/bin/env node
// The runtime CLI of an installed durable-jobs (`npx durable-jobs <command>`): the package ships its
// TypeScript sources and runs them through tsx, as the project's own `npm run jobs` does.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
