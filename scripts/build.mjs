// Bundles the CLI into one file so start-up reads one module, and splits the
// Azure SDK-heavy parts into chunks that load only when a command needs them.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = await build({
  entryPoints: { cli: 'src/cli/main.ts', emulator: 'src/emulator/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  banner: {
    js: "import { createRequire as __sdCreateRequire } from 'node:module'; const require = __sdCreateRequire(import.meta.url);",
  },
  define: { __VERSION__: JSON.stringify(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version) },
  logLevel: 'warning',
  metafile: true,
});
// Which sources each chunk holds: tests use it to prove `--help` loads no Azure SDK code.
writeFileSync(new URL('../dist/meta.json', import.meta.url), JSON.stringify(result.metafile));
