import { defineConfig } from 'vitest/config';

// The fast suites, run by `npm test`. The slow ones (`*.slow.test.ts`, and the fault matrix at
// about 4 minutes) run with `npm run test:slow` (vitest.slow.config.ts).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.slow.test.ts', 'test/fault-matrix.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
  },
});
