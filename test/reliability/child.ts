/**
 * Runs the built CLI (`bin/secure-docintel.js`) as a child process against a test emulator, as a
 * user or a pipeline would, so a test can kill it with SIGKILL or run two at once.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO, type TestEmulator } from '../support/emulator.js';

export const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/secure-docintel.js');
const DIST = join(ROOT, 'dist/cli.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist once when it is missing or older than any source file. */
export function ensureBuilt(): void {
  const fresh = existsSync(DIST) && statSync(DIST).mtimeMs >= newestMtime(join(ROOT, 'src'));
  if (fresh) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
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
