import { defineConfig } from 'vitest/config';

// The fast suites, run by `npm test`; the slow ones (`*.slow.test.ts`) have their own config.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.slow.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
  },
});
