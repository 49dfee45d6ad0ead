// The test set StrykerJS runs against every mutant of src/: everything in-process. Tests that spawn
// child processes (the CLIs, real runners) are left out: a mutant there runs the unmutated file.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/cli.test.ts', 'test/realProcesses.test.ts', 'test/zoo.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
