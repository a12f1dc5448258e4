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

/**
 * The older SDK packages (private DNS, authorization) are CommonJS and would pull in CommonJS copies
 * of the Azure core packages beside the ES module copies every other client uses: two of each to
 * read, compile and hold in memory. Their require() of those packages gets the one ES module copy
 * (same package, same version; a nested older version stays where it is).
 */
const SHARED_CORE = /^@azure\/(core-client|core-rest-pipeline)$/;
const oneCopyOfCore = {
  name: 'one-copy-of-azure-core',
  setup(b) {
    b.onResolve({ filter: SHARED_CORE }, async (args) => {
      if (args.kind !== 'require-call' || args.pluginData === oneCopyOfCore) return undefined;
      const r = await b.resolve(args.path, { kind: 'import-statement', resolveDir: args.resolveDir, importer: args.importer, pluginData: oneCopyOfCore });
      return r.errors.length ? undefined : { path: r.path, external: r.external, sideEffects: r.sideEffects };
    });
  },
};

/**
 * commander loads node:child_process as it starts, for executable subcommands (`git-style`), which
 * this CLI has none of: every run, `--help` included, paid for a module it never used. It is loaded
 * when commander first spawns, instead. The build fails if commander's line is not there to change.
 */
const COMMANDER_CHILD_PROCESS = "const childProcess = require('node:child_process');";
const commanderSpawnsLazily = {
  name: 'commander-spawns-lazily',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(COMMANDER_CHILD_PROCESS)) throw new Error(`${args.path} no longer has ${COMMANDER_CHILD_PROCESS}: look again at scripts/build.mjs`);
      return { contents: source.replace(COMMANDER_CHILD_PROCESS, "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };"), loader: 'js' };
    });
  },
};

/**
 * arm-network's client builds every one of its ~150 operation groups (1.2 MB of code to read,
 * compile and keep, most of setup's peak memory) for the five the product calls; the Cognitive
 * Services client likewise 27 for 3. Only the groups src/azure/session.ts lists (its types refuse
 * any other) are built; the rest of each package is then left out of the bundle. The build fails
 * if a list or a group's construction cannot be found.
 */
const sessionSource = readFileSync(join(root, 'src/azure/session.ts'), 'utf8');
function groupsListed(name) {
  const m = new RegExp(`export const ${name} = \\[([^\\]]*)\\] as const;`).exec(sessionSource);
  if (!m) throw new Error(`src/azure/session.ts no longer exports ${name}: look again at scripts/build.mjs`);
  return [...m[1].matchAll(/'(\w+)'/g)].map((g) => g[1]);
}
const CLIENT_GROUPS = [
  { file: /[\\/]@azure[\\/]arm-network[\\/]dist[\\/]esm[\\/]networkManagementClient\.js$/, groups: groupsListed('NETWORK_GROUPS') },
  { file: /[\\/]@azure[\\/]arm-cognitiveservices[\\/]dist[\\/]esm[\\/]cognitiveServicesManagementClient\.js$/, groups: groupsListed('COGNITIVE_GROUPS') },
];
const clientGroupsUsed = {
  name: 'client-groups-used',
  setup(b) {
    for (const { file, groups } of CLIENT_GROUPS) {
      b.onLoad({ filter: file }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const kept = new Set();
        const contents = source.replace(/^\s*this\.(\w+) = new \w+Impl\(this\);$/gm, (line, group) => (groups.includes(group) ? (kept.add(group), line) : ''));
        const missing = groups.filter((g) => !kept.has(g));
        if (missing.length) throw new Error(`${args.path} builds no operation group ${missing.join(', ')}: look again at scripts/build.mjs`);
        return { contents, loader: 'js' };
      });
    }
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  plugins: [oneCopyOfCore, commanderSpawnsLazily, clientGroupsUsed],
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
