// The command that runs the harness CLI, as the user started it: `npm run chaos --` in this
// repository, `npx durable-jobs-chaos` where the package is installed. Every printed command (a
// replay, a hint) must run as printed.
export function chaosCommand(argv1: string | undefined = process.argv[1]): string {
  return argv1 !== undefined && /durable-jobs-chaos(\.mjs)?$/.test(argv1)
    ? 'npx durable-jobs-chaos'
    : 'npm run chaos --';
}
