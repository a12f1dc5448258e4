// Bundles the CLI into one file so start-up reads one module, and splits the
// Azure SDK-heavy parts into chunks that load only when a command needs them.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// `node scripts/build.mjs [OUTDIR]`: dist/ by default; tests build a private copy elsewhere.
const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = resolve(root, process.argv[2] ?? 'dist');
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { cli: 'src/cli/main.ts', emulator: 'src/emulator/index.ts' },
  absWorkingDir: root,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  minify: true,
  banner: {
    js: "import { createRequire as __sdCreateRequire } from 'node:module'; const require = __sdCreateRequire(import.meta.url);",
  },
  define: { __VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
  logLevel: 'warning',
  metafile: true,
});
// Which sources each chunk holds: tests use it to prove `--help` loads no Azure SDK code.
writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
