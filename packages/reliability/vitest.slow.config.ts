import { defineConfig } from 'vitest/config';

// Suites that run for minutes (load, the full fault matrix): `npm run test:slow`.
export default defineConfig({
  test: {
    include: ['test/**/*.slow.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
    // One file at a time: the load suite measures sockets and heap of its own process.
    fileParallelism: false,
  },
});
