/**
 * The installed command as a user runs it: the bundled bin, in a child process. The package is
 * built into a private folder from the current sources (installedCopy), so these tests never depend
 * on dist/ and never skip.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { installedCopy, ROOT } from '../support/cli.js';

let bin = '';
let pkg = '';
beforeAll(() => {
  bin = installedCopy();
  pkg = dirname(dirname(bin));
}, 120_000);

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true', ...env }, timeout: 120_000 });
}

describe('the bundled command', () => {
  it('--help lists every command of DESIGN.md, and each command shows examples', () => {
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    for (const c of ['setup', 'identity', 'storage-lockdown', 'grant', 'private-endpoint', 'validate', 'undo', 'runs', 'emulator']) {
      expect(help.stdout).toContain(c);
      const sub = cli([c, '--help']);
      expect(sub.status).toBe(0);
      expect(sub.stdout).toMatch(/Examples:\n {2}\$ /);
    }
  });

  it('--help and --version load no Azure SDK code', () => {
    const meta = JSON.parse(readFileSync(join(pkg, 'dist/meta.json'), 'utf8')) as { outputs: Record<string, { entryPoint?: string; imports: { path: string; kind: string }[]; inputs: Record<string, unknown> }> };
    // Chunks reachable from dist/cli.js through static imports are what --help loads.
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const i of meta.outputs[file]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
    };
    const cliChunk = Object.keys(meta.outputs).find((f) => meta.outputs[f].entryPoint === 'src/cli/main.ts');
    expect(cliChunk).toBeDefined();
    visit(cliChunk!);
    const inputs = [...seen].flatMap((f) => Object.keys(meta.outputs[f]?.inputs ?? {}));
    expect(inputs.some((i) => i.includes('commander'))).toBe(true);
    expect(inputs.filter((i) => /@azure|@inquirer|ora\/|selfsigned/.test(i))).toEqual([]);
    const version = cli(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('`emulator --port 0 --scenario demo` prints the ready line and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'emulator', '--port', '0', '--scenario', 'demo'], { cwd: ROOT });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d) => {
        buf += d;
        if (buf.includes('\n')) resolve(buf.split('\n')[0]);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    expect(line).toMatch(/^ARM emulator listening on https:\/\/127\.0\.0\.1:\d+ \(ca: .+\.pem\)$/);
    const ca = /\(ca: (.+)\)$/.exec(line)![1];
    expect(readFileSync(ca, 'utf8')).toContain('BEGIN CERTIFICATE');
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('`setup --emulator --non-interactive --yes --output json` converges the demo and prints one JSON document', () => {
    const run = cli(['setup', '--emulator', '--non-interactive', '--yes', '--output', 'json']);
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.command).toBe('setup');
    expect(doc.steps.map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual([
      'identity:applied',
      'storage-lockdown:applied',
      'grant:applied',
      'subnet-policies:applied',
      'private-endpoint:applied',
    ]);
    expect(run.stderr).not.toMatch(/demo-secret|eyJ[\w-]+\.eyJ/);
  });
});
