#!/usr/bin/env node
// The harness CLI of an installed durable-jobs (`npx durable-jobs-chaos foreign my-workload.ts`).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/cli.ts');
const tty = process.stderr.isTTY === true && process.env.CI === undefined;
process.exitCode = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  tty,
});
