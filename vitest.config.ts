import { defineConfig } from 'vitest/config';

// Integration tests spawn real MCP server processes; on a 2-core machine they
// need generous timeouts and limited parallelism.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file gets its own $XDG_STATE_HOME: the default store never lands in the real home.
    setupFiles: ['test/helpers/state-home.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: 2,
    fileParallelism: true,
  },
});
