/**
 * The installed bin's V8 code cache (bin/secure-docintel.js): what a user finds in their cache folder
 * and that the command prints the same with it, without it, and with a file it must not trust.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodeModule from 'node:module';
import { installedCopy, ROOT } from '../support/cli.js';

let bin = '';
let home = '';
beforeAll(() => {
  bin = installedCopy();
  home = mkdtempSync(join(tmpdir(), 'secure-docintel-code-cache-'));
}, 120_000);
afterAll(() => rmSync(home, { recursive: true, force: true }));

let cases = 0;
/** a fresh cache home per test, and the bin run with it */
function cacheHome() {
  const dir = join(home, String(cases++));
  mkdirSync(dir);
  return dir;
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  const clean = { ...process.env };
  for (const k of ['NODE_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE', 'XDG_CACHE_HOME']) delete clean[k];
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...clean, CI: 'true', XDG_STATE_HOME: join(home, 'state'), ...env }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const files = (dir: string) => readdirSync(dir).map((f) => join(dir, f));
/** the bin's cache files (beside them, Node's compile cache folder `modules` on Node >= 22.1) */
const caches = (dir: string) => files(dir).filter((f) => f.endsWith('.bin'));
const mode = (path: string) => statSync(path).mode & 0o777;
const posix = process.platform !== 'win32';

describe('the code cache of the installed bin', () => {
  it('the first run leaves one cache file (0600, in 0700 folders) under XDG_CACHE_HOME; later runs print exactly the same and keep it', () => {
    const xdg = cacheHome();
    const cold = run(['--help'], { XDG_CACHE_HOME: xdg });
    expect(cold.code).toBe(0);
    expect(cold.out).toMatch(/^Usage: secure-docintel \[options\] \[command\]/);
    const dir = join(xdg, 'secure-docintel', 'v8');
    const [cache, ...others] = caches(dir);
    expect(others).toEqual([]);
    expect(cache).toMatch(new RegExp(`cli-${process.version}-${process.arch}-[0-9a-f]{16}-\\d+-\\d+\\.bin$`));
    if (posix) {
      expect(mode(cache)).toBe(0o600);
      expect(mode(dir)).toBe(0o700);
      expect(mode(join(xdg, 'secure-docintel'))).toBe(0o700);
    }
    const written = statSync(cache);
    const warm = run(['--help'], { XDG_CACHE_HOME: xdg });
    expect(warm).toEqual(cold);
    expect(statSync(cache).ino).toBe(written.ino);
    expect(caches(dir)).toEqual([cache]);
    expect(run(['--version'], { XDG_CACHE_HOME: xdg }).out.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('with the cache in use, a command loads its chunks and runs (runs -o json), and a parse error still prints its JSON document; Node keeps the chunks in its compile cache', () => {
    const xdg = cacheHome();
    run(['--help'], { XDG_CACHE_HOME: xdg });
    const runs = run(['runs', '-o', 'json'], { XDG_CACHE_HOME: xdg });
    expect(runs.code, runs.err).toBe(0);
    expect(JSON.parse(runs.out)).toMatchObject({ runs: [] });
    expect(runs.err).toBe('');
    // Node's own compile cache (Node >= 22.1) keeps the chunks the command loaded, inside the private folder
    if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function') {
      expect(readdirSync(join(xdg, 'secure-docintel', 'v8', 'modules')).length).toBeGreaterThan(0);
    }
    const bad = run(['setup', '--no-such-flag', '-o', 'json'], { XDG_CACHE_HOME: xdg });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out).error.code).toBe('UnknownOption');
  });

  it.skipIf(!posix)('a cache file others may write is not read but replaced by a private one', () => {
    const xdg = cacheHome();
    const first = run(['--help'], { XDG_CACHE_HOME: xdg });
    const [cache] = caches(join(xdg, 'secure-docintel', 'v8'));
    chmodSync(cache, 0o666);
    const before = statSync(cache).ino;
    expect(run(['--help'], { XDG_CACHE_HOME: xdg })).toEqual(first);
    expect(statSync(cache).ino).not.toBe(before);
    expect(mode(cache)).toBe(0o600);
  });

  it('a damaged cache file (V8 crashes on one, or runs it), down to one flipped bit, is not read: the command prints the same and the file is rewritten', () => {
    const xdg = cacheHome();
    const first = run(['--help'], { XDG_CACHE_HOME: xdg });
    const [cache] = caches(join(xdg, 'secure-docintel', 'v8'));
    const good = readFileSync(cache);
    // the headers (ours, then V8's) kept and everything after them overwritten; a 4 KiB page lost in the middle; the last bytes cut;
    // one bit flipped in a word a sampled checksum would skip
    const page = Buffer.from(good);
    page.fill(0, good.length >> 1, (good.length >> 1) + 4096);
    const bit = Buffer.from(good);
    const at = (good.length >> 1) + 4 * 7 + 1;
    bit[at] ^= 0x10;
    const damages = [Buffer.concat([good.subarray(0, 128), Buffer.alloc(good.length - 128, 0x5a)]), page, good.subarray(0, good.length - 100), bit];
    for (const damaged of damages) {
      writeFileSync(cache, damaged, { mode: 0o600 });
      expect(run(['--help'], { XDG_CACHE_HOME: xdg })).toEqual(first);
      expect(readFileSync(cache).equals(damaged)).toBe(false);
      expect(readFileSync(cache).subarray(0, 8).toString()).toBe(good.subarray(0, 8).toString());
    }
    expect(run(['--help'], { XDG_CACHE_HOME: xdg })).toEqual(first);
  });

  it('NODE_COMPILE_CACHE moves it (to its secure-docintel folder), NODE_DISABLE_COMPILE_CACHE turns it off, and an unusable folder only goes without', () => {
    const xdg = cacheHome();
    const nodeCache = join(xdg, 'node');
    const moved = run(['--help'], { XDG_CACHE_HOME: join(xdg, 'xdg'), NODE_COMPILE_CACHE: nodeCache });
    expect(moved.code).toBe(0);
    expect(files(join(nodeCache, 'secure-docintel'))).toHaveLength(1);
    expect(() => readdirSync(join(xdg, 'xdg'))).toThrow();

    const off = run(['--help'], { XDG_CACHE_HOME: join(xdg, 'off'), NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(off).toEqual(moved);
    expect(() => readdirSync(join(xdg, 'off'))).toThrow();

    const file = join(xdg, 'a-file');
    writeFileSync(file, '');
    expect(run(['--help'], { XDG_CACHE_HOME: file })).toEqual(moved);
  });
});
