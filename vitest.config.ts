import { defineConfig } from 'vitest/config';

/**
 * One project per kind of test (README "Development"). `npm run test:fast` runs unit, emulator and
 * wizard; `npm test` runs all five.
 */
const project = (name: string, folders: string[]) => ({
  extends: true as const,
  test: { name, include: folders.map((f) => `test/${f}/**/*.test.ts`) },
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
      project('reliability', ['reliability']),
      project('azure-cli', ['azure-cli']),
    ],
  },
});
