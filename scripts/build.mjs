// Builds the two packages of this repository:
// - the emulator (packages/arm-emulator → its dist/): a library bundled with its three dependencies;
// - the CLI (dist/): one bundle so start-up reads one module, the Azure SDK-heavy parts split into
//   chunks that load only when a command needs them; the emulator stays a separate package it imports.
// Both bundles carry their dependencies, so the published packages declare none but the CLI's exact
// dependency on the emulator (npx fetches two packages, not two hundred); they are devDependencies here.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// `node scripts/build.mjs [OUTDIR [EMULATOR_OUTDIR]]`: dist/ and packages/arm-emulator/dist/ by
// default; tests build a private copy elsewhere.
const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = resolve(root, process.argv[2] ?? 'dist');
const emulatorOutdir = resolve(root, process.argv[3] ?? 'packages/arm-emulator/dist');
const EMULATOR = '@secure-docintel/arm-emulator';
const common = { absWorkingDir: root, bundle: true, format: 'esm', platform: 'node', target: 'node20', sourcemap: 'linked', legalComments: 'none', minify: true, logLevel: 'warning',
  // CommonJS dependencies inside an ESM bundle call require() for Node's own modules.
  banner: { js: "import { createRequire as __sdCreateRequire } from 'node:module'; const require = __sdCreateRequire(import.meta.url);" },
};

rmSync(emulatorOutdir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { index: 'packages/arm-emulator/src/index.ts', protocol: 'packages/arm-emulator/src/protocol.ts' },
  outdir: emulatorOutdir,
  splitting: true,
});

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  ...common,
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir,
  splitting: true,
  external: [EMULATOR, `${EMULATOR}/*`],
  define: { __VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
  metafile: true,
});
// Which sources each chunk holds: tests use it to prove `--help` loads no Azure SDK code.
writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
