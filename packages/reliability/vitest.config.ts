import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

// The fast suites, run by `npm test`. The slow ones (`*.slow.test.ts`, and the fault matrix at
// about 5 minutes) run with `npm run test:slow` (vitest.slow.config.ts).
export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      exclude: [...configDefaults.exclude, 'test/**/*.slow.test.ts', 'test/fault-matrix.test.ts'],
    },
  }),
);
