#!/usr/bin/env node
/**
 * The secure-docintel command. CommonJS (bin/package.json), so Node starts it without its ES module
 * loader; it runs dist/cli.cjs (commander and the command tree: all `--help` needs) compiled with a V8
 * code cache, so a start-up neither parses the bundle nor compiles the functions `--help` calls
 * (issue 9: `--help` within 1.3× `node -e 0`). The commands themselves are ES modules that
 * dist/cli.cjs imports when one runs.
 *
 * The cache is one file per Node version and build of dist/cli.cjs, written after the first run:
 * - in `$NODE_COMPILE_CACHE/secure-docintel` when that is set, else the user's cache folder
 *   ($XDG_CACHE_HOME or ~/.cache, ~/Library/Caches, %LOCALAPPDATA%), never in the package, which may
 *   be read-only; none at all with NODE_DISABLE_COMPILE_CACHE (Node's own switch for its cache);
 * - the folder is created 0700, the file 0600 through a rename; a file that is not the user's own, or
 *   that others may write, is never read (its code would run as this user);
 * - V8 refuses a cache made by another V8 or for another source and compiles the source itself, but
 *   it does not check the rest (a damaged one crashes Node): the file is written through fsync and a
 *   rename, so it is whole or absent, and carries a checksum of what V8 reads (see checksum).
 * No failure of the cache stops the command: without it, the same code compiles as any module does.
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS by design (bin/package.json) */
const { closeSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, isAbsolute, join } = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const CLI = join(__dirname, '..', 'dist', 'cli.cjs');

/** Where the cache of this user lives, or undefined when it is switched off. */
function cacheDir(env = process.env, platform = process.platform) {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const absolute = (p) => (p && isAbsolute(p) ? p : undefined);
  if (absolute(env.NODE_COMPILE_CACHE)) return join(env.NODE_COMPILE_CACHE, 'secure-docintel');
  const home = env.HOME || env.USERPROFILE;
  const base =
    platform === 'win32' ? absolute(env.LOCALAPPDATA) :
    platform === 'darwin' ? home && join(home, 'Library', 'Caches') :
    absolute(env.XDG_CACHE_HOME) ?? (home && join(home, '.cache'));
  return base ? join(base, 'secure-docintel', 'v8') : undefined;
}

/** Not written by anyone but this user: owned by them, writable by neither group nor others (POSIX). */
function ownedAndPrivate(stat) {
  if (process.platform === 'win32') return true;
  return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

/** The build's id (scripts/build.mjs ends dist/cli.cjs with `//# build=<sha256 of the rest>`). */
function buildId(source) {
  const m = /\/\/# build=([0-9a-f]{16})\s*$/.exec(source.slice(-64));
  return m?.[1];
}

/** What a cache file starts with: this layout's name, then the checksum of the V8 data after it. */
const MAGIC = Buffer.from('sdv8c003');
const HEADER = MAGIC.length + 4;

/**
 * FNV-1a over every 32-bit word and the length: any damage V8 would read — a flipped bit as much as
 * a lost page or a file cut short — makes the cache refused and rewritten, never run. V8 release
 * builds check only the header, and damaged code in a cache crashes Node or, worse, runs: a CLI
 * pointed at production runs only code it can vouch for. It costs ~1 ms of the ~4 ms the cache saves.
 * (A forged file is a different matter: only the user can write one; see readCache.)
 */
const STRIDE = 1;
function checksum(data) {
  if (data.byteOffset % 4) data = new Uint8Array(data);
  const words = new Int32Array(data.buffer, data.byteOffset, data.length >> 2);
  let h = Math.imul(0x811c9dc5 ^ data.length, 16777619);
  for (let i = 0; i < words.length; i += STRIDE) h = Math.imul(h ^ words[i], 16777619);
  if (words.length) h = Math.imul(h ^ words[words.length - 1], 16777619);
  for (let i = words.length << 2; i < data.length; i++) h = Math.imul(h ^ data[i], 16777619);
  return h >>> 0;
}

function readCache(file) {
  let fd;
  try {
    fd = openSync(file, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile() || !ownedAndPrivate(stat)) return { status: 'untrusted' };
    // 4-byte aligned, for the checksum's view of it
    const buffer = Buffer.from(new ArrayBuffer(stat.size));
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    const data = buffer.subarray(HEADER, read);
    if (read < HEADER || !buffer.subarray(0, MAGIC.length).equals(MAGIC) || buffer.readUInt32LE(MAGIC.length) !== checksum(data)) return { status: 'damaged' };
    return { status: 'found', data };
  } catch {
    return { status: 'missing' };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function writeCache(dir, file, data) {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || !ownedAndPrivate(stat)) return false;
    const staging = `${file}.${process.pid}.tmp`;
    const header = Buffer.alloc(HEADER);
    MAGIC.copy(header);
    header.writeUInt32LE(checksum(data), MAGIC.length);
    const fd = openSync(staging, 'wx', 0o600);
    try {
      writeFileSync(fd, Buffer.concat([header, data]));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(staging, file);
    // this Node's caches of older builds, and files left by runs that stopped while writing one
    const prefix = `cli-${process.version}-${process.arch}-`;
    for (const name of readdirSync(dir)) if (name.startsWith(prefix) && join(dir, name) !== file) rmSync(join(dir, name), { force: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `file` as the CommonJS module it is, compiled with the code cache of `dir` (see above);
 * returns its exports and what became of the cache: 'used', 'written' (at exit), or why neither.
 */
function loadCompiled(file, dir = cacheDir()) {
  const fd = openSync(file, 'r');
  let source;
  let stat;
  try {
    stat = fstatSync(fd);
    source = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  const id = buildId(source);
  const cacheFile = dir && id && join(dir, `cli-${process.version}-${process.arch}-${id}-${stat.size}-${Math.trunc(stat.mtimeMs)}.bin`);
  const cache = cacheFile ? readCache(cacheFile) : { status: 'off' };
  const result = { status: cache.status, exports: undefined };
  // Module.wrap's parameters, and the import() the bundle's lazy chunks load with (scripts/build.mjs)
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, _sdImp) {${source}\n})`, { filename: file, cachedData: cache.data });
  if (cache.data) result.status = script.cachedDataRejected ? 'rejected' : 'used';
  if (cacheFile && result.status !== 'used') {
    // a missing, damaged, refused or untrusted file is replaced by this run's
    // at exit, so that it holds the functions this run compiled, not only the top level
    process.once('exit', () => {
      result.status = writeCache(dir, cacheFile, script.createCachedData()) ? 'written' : 'unwritable';
    });
  }
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  mod.loaded = true;
  const importBeside = (specifier) => import(require('node:url').pathToFileURL(join(dirname(file), specifier)).href);
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file), importBeside);
  result.exports = mod.exports;
  return result;
}

/**
 * Node's own compile cache (Node ≥ 22.1) for the ES module chunks a command loads (the Azure SDK
 * clients: setup --dry-run on the demo, 700 -> 610 ms of CPU on Node 24), in a folder of this cache
 * once it exists as this user's private folder; Node checks those files itself.
 */
function enableModuleCache(dir) {
  if (!dir || typeof Module.enableCompileCache !== 'function') return;
  try {
    const stat = lstatSync(dir);
    if (stat.isDirectory() && ownedAndPrivate(stat)) Module.enableCompileCache(join(dir, 'modules'));
  } catch {
    /* not created yet: the first run writes it */
  }
}

module.exports = { cacheDir, loadCompiled };

if (require.main === module) {
  const dir = cacheDir();
  enableModuleCache(dir);
  void loadCompiled(CLI, dir).exports.main();
}
