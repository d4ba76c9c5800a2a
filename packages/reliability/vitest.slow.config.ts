import { defineConfig } from 'vitest/config';

// Suites that run for minutes: the fault matrix, load, stalled connections, crash and resume.
export default defineConfig({
  test: {
    include: ['test/**/*.slow.test.ts', 'test/fault-matrix.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
    // One file at a time: the load suite measures the sockets and heap of its own process, and
    // the matrix's timings should not depend on what else runs.
    fileParallelism: false,
  },
});
