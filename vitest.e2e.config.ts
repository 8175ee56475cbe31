import { defineConfig } from 'vitest/config';

// Browser tests: a real Jibao server (embedded PostgreSQL, demo data) started once in globalSetup, driven
// with the system Chromium through playwright-core. `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 240_000,
    teardownTimeout: 60_000,
    pool: 'forks',
    // one browser-heavy file at a time on 2 cores; files share the server but use different data
    fileParallelism: false,
    maxWorkers: 1,
  },
});
