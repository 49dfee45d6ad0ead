import { defineConfig } from 'vitest/config';

// The Next.js kill test (test/e2e/nextjsKill.e2e.ts) installs and builds a Next.js app: it runs in
// `.ci/run` and `npm run test:nextjs`, not in `npm run check`, which stays a few minutes.
export default defineConfig({
  test: {
    include: process.env.DURABLE_JOBS_E2E === 'nextjs' ? ['test/e2e/nextjsKill.e2e.ts'] : ['test/**/*.test.ts'],
    // Real-process and real-filesystem tests spawn tsx children; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
