/**
 * Runs the built CLI (`bin/secure-docintel.js`) as a child process against a test emulator, as a
 * user or a pipeline would, so a test can kill it with SIGKILL or run two at once.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DEMO, type TestEmulator } from '../support/emulator.js';

export const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist/cli.js');
/** the binary the children run: a private copy of the package (see installedCopy) */
let BIN = join(ROOT, 'bin/secure-docintel.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const isFresh = () => existsSync(DIST) && statSync(DIST).mtimeMs >= newestMtime(join(ROOT, 'src'));
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds dist when it is missing or older than any source file. Test files run in parallel and the
 * build empties dist first, so one builds at a time (a lock directory) and the others wait for it.
 */
export function ensureBuilt(): void {
  if (isFresh()) return;
  const lock = join(ROOT, 'node_modules/.cache/secure-docintel-build.lock');
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 120_000) rmSync(lock, { recursive: true, force: true }); // a build that died
      sleep(200);
    }
  }
  try {
    if (isFresh()) return;
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds if needed, then copies bin/, dist/, assets/ and package.json to a private folder and runs
 * the binary from there, as an installed package: other test runs rebuilding dist (it is emptied
 * first) cannot pull files from under a running child.
 */
export function installedCopy(): void {
  for (let attempt = 1; ; attempt++) {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'secure-docintel-pkg-'));
    try {
      for (const part of ['bin', 'dist', 'assets', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
      const bin = join(dir, 'bin/secure-docintel.js');
      const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
      if (r.status === 0) {
        BIN = bin;
        process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
        return;
      }
    } catch {
      // dist changed while it was copied: build and copy again
    }
    if (attempt >= 3) throw new Error('could not take a consistent copy of the built package');
    sleep(500);
  }
}

export interface ChildRun {
  child: ChildProcess;
  /** resolves when the process ends */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>;
}

export function childEnv(emu: TestEmulator, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AZURE_TENANT_ID: DEMO.tenantId,
    AZURE_CLIENT_ID: DEMO.owner.clientId,
    AZURE_CLIENT_SECRET: DEMO.owner.secret,
    AZURE_AUTHORITY_HOST: emu.url,
    SECURE_DOCINTEL_RETRY_DELAY_MS: '10',
    ...extra,
  };
}

export function demoArgs(emu: TestEmulator): string[] {
  return [
    '--arm-endpoint', emu.url, '--ca-cert', emu.caFile,
    '--subscription', DEMO.subscriptionId, '--resource-group', DEMO.resourceGroup, '--docintel', DEMO.account,
    '--storage', DEMO.storage, '--vnet', DEMO.vnet, '--subnet', DEMO.subnet,
  ];
}

export function runChild(args: string[], env: NodeJS.ProcessEnv): ChildRun {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (err += c));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((res) => {
    child.on('close', (code, signal) => res({ code, signal, out, err }));
  });
  return { child, done };
}
