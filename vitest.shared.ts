import type { ViteUserConfig } from 'vitest/config';

/**
 * Test settings every package shares. Integration tests run real loopback servers; on a busy
 * 2-core CI machine a scenario can take several seconds, so the time limits are generous while
 * the tests themselves inject clocks and small delays.
 */
export const sharedTestConfig: ViteUserConfig = {
  test: {
    include: ['test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
};
