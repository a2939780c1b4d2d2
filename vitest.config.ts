import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores: each file runs its own worker and API, so more in parallel only thrashes.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
