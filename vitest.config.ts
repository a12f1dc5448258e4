import { defineConfig } from 'vitest/config';

/**
 * One project per kind of test (README "Development"). `npm run test:fast` runs unit, emulator and
 * wizard; `npm test` runs all five.
 */
const project = (name: string, folders: string[], options: { maxConcurrency?: number } = {}) => ({
  extends: true as const,
  test: { name, include: folders.map((f) => `test/${f}/**/*.test.ts`), ...options },
});

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      project('unit', ['unit']),
      project('emulator', ['emulator', 'conformance']),
      project('wizard', ['wizard', 'validate', 'cli']),
      // the fault matrix runs its write positions side by side (one emulator each)
      project('reliability', ['reliability'], { maxConcurrency: 16 }),
      project('azure-cli', ['azure-cli']),
    ],
  },
});
