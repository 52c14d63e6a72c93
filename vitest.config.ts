import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One temp folder per run, removed at the end: nothing is left in the system's.
    globalSetup: ['test/temp-folder.setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
