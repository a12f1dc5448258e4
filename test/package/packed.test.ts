/**
 * The two packages as npm ships them: `npm pack` of the CLI and of the emulator, installed into an
 * empty project (offline, from npm's cache, as `npm ci` left it), then `npx secure-docintel setup
 * --emulator` run there — the embedded emulator comes from the installed emulator package, not from
 * this repository.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';

const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' }, timeout: 300_000 });

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'secure-docintel-packed-'));
  const packs = join(dir, 'packs');
  mkdirSync(packs);
  // dist/ and packages/arm-emulator/dist/ are built by `npm test` before vitest starts.
  for (const args of [['pack', '--ignore-scripts', '--pack-destination', packs], ['pack', '--ignore-scripts', '--pack-destination', packs, '-w', 'packages/arm-emulator']]) {
    const r = npm(args, ROOT);
    expect(r.status, r.stderr).toBe(0);
  }
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const tarballs = readdirSync(packs).map((f) => join(packs, f));
  const r = npm(['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs], project);
  expect(r.status, r.stderr).toBe(0);
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed tarballs', () => {
  it('ship the CLI and the emulator as two packages, the CLI depending on the exact emulator version', () => {
    const project = join(dir, 'project');
    const cli = JSON.parse(readFileSync(join(project, 'node_modules/secure-docintel/package.json'), 'utf8'));
    const emulator = JSON.parse(readFileSync(join(project, 'node_modules/@secure-docintel/arm-emulator/package.json'), 'utf8'));
    expect(cli.dependencies['@secure-docintel/arm-emulator']).toBe(emulator.version);
    expect(readdirSync(join(project, 'node_modules/@secure-docintel/arm-emulator'))).toEqual(expect.arrayContaining(['BEHAVIOR.md', 'dist', 'package.json']));
    // installed from the tarball, not linked to this repository's workspace
    expect(realpathSync(join(project, 'node_modules/@secure-docintel/arm-emulator'))).not.toContain(ROOT);
  });

  it('`npx secure-docintel setup --emulator` converges and validates from the installed packages', () => {
    const project = join(dir, 'project');
    const r = spawnSync('npx', ['--offline', 'secure-docintel', 'setup', '--emulator', '--non-interactive', '--yes', '-o', 'json'], {
      cwd: project,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', npm_config_update_notifier: 'false' },
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.steps.map((s: { status: string }) => s.status).every((s: string) => s === 'applied')).toBe(true);
    expect(doc.validation.ok).toBe(true);
  });
});
