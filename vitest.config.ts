// Separate from vite.config.ts: the Remix plugin is for the app build, not for tests.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // 2 cores: two test files at a time at most.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{app,core,server,media-node,workers,scripts,bench}/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Browsers are heavy on 2 cores: one e2e file at a time.
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
})
