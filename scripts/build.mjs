// Builds the two packages of this repository:
// - the emulator (packages/arm-emulator → its dist/): a library bundled with its three dependencies;
// - the CLI (dist/): one CommonJS file for start-up (cli.cjs), the commands as ES modules split into
//   chunks that load only when a command needs them; the emulator stays a separate package it imports.
// Both bundles carry their dependencies, so the published packages declare none but the CLI's exact
// dependency on the emulator (npx fetches two packages, not two hundred); they are devDependencies here.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * What `--help` runs is one CommonJS file, dist/cli.cjs: src/cli/main.ts and commander. Node starts a
 * CommonJS main without its ES module loader (Node 20: ~3 ms of a ~20 ms start-up; issue 9), and
 * bin/secure-docintel.js compiles it with a V8 code cache. Everything else is ES modules as before;
 * main.ts's dynamic imports become import() of the entries of the ES module build below (LAZY).
 * Only core/errors.ts (constants and classes main.ts does not test with instanceof) may sit in both
 * builds: the build fails if anything else would load twice, as two copies of one class.
 */
const LAZY = { '../commands/index.js': 'commands', './report-error.js': 'report-error' };
const LAZY_SOURCES = { commands: 'src/commands/index.ts', 'report-error': 'src/cli/report-error.ts' };
const IN_BOTH = ['src/core/errors.ts'];
const lazyEntries = {
  name: 'lazy-entries',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const entry = LAZY[args.path];
      if (!entry) throw new Error(`${args.importer} imports ${args.path} lazily: add it to LAZY in scripts/build.mjs`);
      return { path: `./${entry}.js`, external: true };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const define = { __VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) };
const result = await build({
  plugins: [oneCopyOfCore, commanderSpawnsLazily, clientGroupsUsed],
  ...common,
  entryPoints: LAZY_SOURCES,
  outdir,
  splitting: true,
  external: [EMULATOR, `${EMULATOR}/*`],
  define,
  metafile: true,
});
const start = await build({
  plugins: [commanderSpawnsLazily, lazyEntries],
  ...common,
  // bin/secure-docintel.js passes the import() to use as _sdImp: one in a vm.Script fails on Node 20
  // once the script comes from a code cache, and needs an experimental option elsewhere; required as
  // a plain module, the bundle imports for itself. (`_sdImp(` is as long as `import(`: the source map holds.)
  banner: { js: '"use strict";var _sdImp=typeof _sdImp=="function"?_sdImp:(s)=>import(s);' },
  format: 'cjs',
  entryPoints: { cli: 'src/cli/main.ts' },
  outExtension: { '.js': '.cjs' },
  outdir,
  define,
  metafile: true,
});
const startInputs = Object.keys(start.metafile.inputs);
const twice = startInputs.filter((i) => !IN_BOTH.includes(i) && result.metafile.inputs[i]);
const cliFile = join(outdir, 'cli.cjs');
const lazyImports = Object.values(LAZY).map((entry) => `import("./${entry}.js")`);
let cliSource = readFileSync(cliFile, 'utf8');
for (const call of lazyImports) cliSource = cliSource.replaceAll(call, `_sdImp${call.slice('import'.length)}`);
if (/\bimport\("/.test(cliSource)) throw new Error(`dist/cli.cjs still has an import() of its own: ${/\bimport\("[^"]*"\)/.exec(cliSource)[0]}`);
writeFileSync(cliFile, cliSource);
// The build's id, which bin/secure-docintel.js names its code cache by: a new build never runs the cache of another.
appendFileSync(cliFile, `//# build=${createHash('sha256').update(readFileSync(cliFile)).digest('hex').slice(0, 16)}\n`);
if (twice.length) throw new Error(`dist/cli.cjs and the ES module chunks would both hold ${twice.join(', ')}: import it lazily from src/cli/main.ts, or look again at IN_BOTH in scripts/build.mjs`);
// Which sources each output holds: tests use it to prove `--help` loads no Azure SDK code.
writeFileSync(join(outdir, 'meta.json'), JSON.stringify({ inputs: { ...result.metafile.inputs, ...start.metafile.inputs }, outputs: { ...result.metafile.outputs, ...start.metafile.outputs } }));
