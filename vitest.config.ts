import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

/** Tests run the emulator package from its sources (the CLI's bundle imports its built dist/). */
const installedCopySetup = './test/support/build-installed-copy.ts';
const emulatorSource = (m: string) => fileURLToPath(new URL(`./packages/arm-emulator/src/${m}.ts`, import.meta.url));

/**
 * One project per kind of test (README "Development"). `npm run test:fast` runs unit, emulator and
 * wizard; `npm test` runs all six.
 */
const project = (name: string, folders: string[], options: { maxConcurrency?: number; isolate?: boolean; globalSetup?: string[] } = {}) => ({
  extends: true as const,
  test: { name, include: folders.map((f) => `test/${f}/**/*.test.ts`), ...options },
});

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@secure-docintel\/arm-emulator$/, replacement: emulatorSource('index') },
      { find: /^@secure-docintel\/arm-emulator\/protocol$/, replacement: emulatorSource('protocol') },
    ],
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      // Projects with tests that run the installed bin build its private copy once, before any file starts.
      // The fast loop's files share their worker's loaded modules (the SDKs load once per worker,
      // not once per file); each file still starts its own emulator and host.
      project('unit', ['unit'], { isolate: false }),
      project('emulator', ['emulator', 'conformance'], { isolate: false, globalSetup: [installedCopySetup] }),
      project('wizard', ['wizard', 'validate', 'cli'], { isolate: false, globalSetup: [installedCopySetup] }),
      // the fault matrix runs its write positions side by side (one emulator each)
      project('reliability', ['reliability'], { maxConcurrency: 16, globalSetup: [installedCopySetup] }),
      project('azure-cli', ['azure-cli']),
      // npm pack of both packages, installed and run as a user would
      project('package', ['package']),
    ],
  },
});
