// The test set StrykerJS runs against every mutant of src/: everything that runs the runtime in-process.
// Tests whose subject is a child process (the CLIs, real runners, real kills, a browser) are left out:
// the child runs the file without the active mutant, so it can never kill one, and it costs seconds per
// mutant. Those tests still run in `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [
      // Every end-to-end test runs a child process (or a packed install), which never runs the mutant.
      'test/e2e/**',
      'test/harness/traceRender.test.ts',
      // These load zoo bugs written as source patches of src/, which cannot apply to the instrumented
      // src/ of a mutation run (the text they patch is rewritten by the mutation switches).
      'test/harness/zoo.test.ts',
      'test/harness/patchedBugsCaught.test.ts',
      'test/harness/patchedRuntime.test.ts',
      'test/harness/exploreSharingOnBugs.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
