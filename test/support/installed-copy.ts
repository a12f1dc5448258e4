/**
 * The package as installed, built from the current sources into a private folder named by their
 * hash (test/support/cli.ts runs it). Loads nothing of the product, so vitest's global set-up can
 * build it once before the test files start (vitest.config.ts).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

/** What a build is made from: the sources, the build script and the locked dependencies. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const add = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) add(p);
      else hash.update(p.slice(ROOT.length)).update(readFileSync(p));
    }
  };
  add(join(ROOT, 'src'));
  add(join(ROOT, 'packages/arm-emulator/src'));
  add(join(ROOT, 'bin'));
  add(join(ROOT, 'assets'));
  for (const f of ['package.json', 'package-lock.json', 'packages/arm-emulator/package.json', 'scripts/build.mjs']) hash.update(f).update(readFileSync(join(ROOT, f)));
  return hash.digest('hex').slice(0, 16);
}

let installedBin: string | undefined;

/**
 * The package as installed (bin, dist, assets, package.json, and the emulator package in its
 * node_modules) in a private folder named by the hash
 * of its sources, built there from the current sources; returns its bin. Never dist/: another run
 * rebuilding dist cannot pull files from under a child or make a test skip. A copy is built in a
 * temporary folder and renamed into place, so a folder that exists is complete; when two test files
 * build the same sources at once, the first rename wins and the other build is dropped.
 */
export function installedCopy(): string {
  if (installedBin) return installedBin;
  const cache = join(ROOT, 'node_modules/.cache/secure-docintel-installed');
  const dir = join(cache, sourceHash());
  const bin = join(dir, 'bin/secure-docintel.js');
  if (!existsSync(bin)) {
    mkdirSync(cache, { recursive: true });
    const staging = `${dir}.${process.pid}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    for (const part of ['bin', 'assets', 'package.json']) cpSync(join(ROOT, part), join(staging, part), { recursive: true });
    // The emulator package beside it, as npm installs a dependency (its own build, not packages/arm-emulator/dist).
    const emulator = join(staging, 'node_modules/@secure-docintel/arm-emulator');
    cpSync(join(ROOT, 'packages/arm-emulator/package.json'), join(emulator, 'package.json'));
    const r = spawnSync(process.execPath, ['scripts/build.mjs', join(staging, 'dist'), join(emulator, 'dist')], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
    try {
      renameSync(staging, dir);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // built meanwhile by another test file
    }
    // Keep the three newest builds (a child of another test file may still run from a recent one).
    const builds = readdirSync(cache).filter((d) => !d.endsWith('.tmp')).map((d) => ({ d, t: statSync(join(cache, d)).mtimeMs }));
    for (const { d } of builds.sort((a, b) => b.t - a.t).slice(3)) rmSync(join(cache, d), { recursive: true, force: true });
  }
  installedBin = bin;
  return bin;
}

