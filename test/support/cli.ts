/**
 * The one way tests run secure-docintel against a test emulator, as a user or a pipeline would:
 * - in-process: `runCli` (a command with captured output), `commandLine` (a whole command line,
 *   parsed and reported as the binary does, into a pipe) and `Cli` (validate as parsed JSON, fix
 *   lines run as pasted, drift written into the emulator's state);
 * - as the installed binary in a child process: `installedCopy` then `runChild`, so a test can kill
 *   it with SIGKILL or run two at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { NetworkManagementClient } from '@azure/arm-network';
import { buildProgram, runCommandLine } from '../../src/cli/main.js';
import { runCommand } from '../../src/commands/index.js';
import { DEMO, startTestEmulator, type TestEmulator } from './emulator.js';
import { TestHost } from './test-host.js';
import { installedCopy, ROOT } from './installed-copy.js';

export { DEMO, ROOT };

/**
 * Memory-backed /dev/shm where there is one: a journal is saved whole after every write (a new file
 * renamed over the old), and on a disk such as ext4 each such rename starts a write-back of the file
 * that blocks the run; in the fault matrix that was a fifth of the file's time. The product code
 * that writes the journal is the same either way.
 */
function stateParent(): string {
  try {
    if (!statSync('/dev/shm').isDirectory()) return tmpdir();
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

const STATE_PREFIX = 'secure-docintel-test-state-';

/**
 * The folders of test processes that are gone: vitest ends its workers without an 'exit' event, so
 * each process also removes what earlier ones left (their pid is in the name).
 */
function removeLeftStateHomes(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = Number(new RegExp(`^${STATE_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(parent, name), { recursive: true, force: true });
    }
  }
}

/**
 * Every change run writes a journal under $XDG_STATE_HOME: the runs tests make go to a private
 * folder of this test process (removed when it exits, or by a later test process), never the
 * user's ~/.local/state.
 */
export const STATE_HOME = (() => {
  const parent = stateParent();
  removeLeftStateHomes(parent);
  return mkdtempSync(join(parent, `${STATE_PREFIX}${process.pid}-`));
})();
process.env.XDG_STATE_HOME = STATE_HOME;
/** The bin's code cache (bin/secure-docintel.js) of the runs tests start: beside the journals, never the user's ~/.cache. */
export const CACHE_HOME = join(STATE_HOME, 'cache');
process.env.XDG_CACHE_HOME = CACHE_HOME;
process.on('exit', () => rmSync(STATE_HOME, { recursive: true, force: true }));

export const DEMO_TARGETS = {
  subscription: DEMO.subscriptionId,
  resourceGroup: DEMO.resourceGroup,
  docintel: DEMO.account,
  storage: DEMO.storage,
  vnet: DEMO.vnet,
  subnet: DEMO.subnet,
};

export const IDS = {
  rg: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}`,
  account: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}`,
  storage: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`,
};

/** The environment a pipeline signed in as the demo owner (or reader) would have. */
export function credentialsEnv(emu: TestEmulator, caller: 'owner' | 'reader' = 'owner'): NodeJS.ProcessEnv {
  const who = caller === 'reader' ? DEMO.reader : DEMO.owner;
  return { AZURE_TENANT_ID: DEMO.tenantId, AZURE_CLIENT_ID: who.clientId, AZURE_CLIENT_SECRET: who.secret, AZURE_AUTHORITY_HOST: emu.url };
}

// ---------------------------------------------------------------- in-process

export interface CliRun {
  code: number;
  out: string;
  err: string;
  host: TestHost;
  json(): any;
}

export async function runCli(
  emu: TestEmulator,
  command: string,
  options: Record<string, unknown> = {},
  opts: { host?: TestHost; caller?: 'owner' | 'reader'; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  const host = opts.host ?? new TestHost(false);
  const env = { ...credentialsEnv(emu, opts.caller), SECURE_DOCINTEL_RETRY_DELAY_MS: '200', XDG_STATE_HOME: STATE_HOME, ...opts.env };
  const code = await runCommand(
    command,
    { armEndpoint: emu.url, caCert: emu.caFile, nonInteractive: !host.interactive, ...options },
    { host, env, stdinIsTty: host.interactive },
  );
  return { code, out: host.out, err: host.err, host, json: () => JSON.parse(host.out) };
}

/** A stream that keeps what is written, as a pipe would deliver it (not a terminal). */
class Captured extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

/**
 * A command line run in this process exactly as the bundled bin runs it (src/cli/main.ts: commander,
 * the command, the error report), with stdout and stderr into pipes and stdin not a terminal.
 * `env` is the whole environment the command sees. test/cli/command-line.test.ts shows the bin does
 * the same for each kind of outcome.
 */
export async function commandLine(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Captured();
  const stderr = new Captured();
  const code = await runCommandLine(args, { env, stdout, stderr, stdinIsTty: false });
  return { code, out: stdout.text, err: stderr.text };
}

export interface ValidateJson {
  ok: boolean;
  checks: { id: string; status: string; resourceId?: string; message: string; fix?: string }[];
  reachability: { from: string; to: string; ok: boolean; reason: string }[];
  explain?: { code: string; causes: { likelihood: string; cause: string; fix?: string }[] };
}

/** The demo targets on one emulator: commands with the owner's credentials, validate as JSON, fixes as pasted. */
export class Cli {
  constructor(readonly emu: TestEmulator) {}

  static async start(): Promise<Cli> {
    return new Cli(await startTestEmulator());
  }

  async run(command: string, opts: Record<string, unknown> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    const r = await runCli(this.emu, command, { ...DEMO_TARGETS, ...opts }, { env: { SECURE_DOCINTEL_RETRY_DELAY_MS: '10' } });
    return { code: r.code, stdout: r.out, stderr: r.err };
  }

  async setup(opts: Record<string, unknown> = {}): Promise<void> {
    const r = await this.run('setup', { yes: true, ...opts });
    if (r.code !== 0) throw new Error(`setup failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  }

  async validate(opts: Record<string, unknown> = {}): Promise<{ code: number; json: ValidateJson; stderr: string }> {
    const r = await this.run('validate', { output: 'json', ...opts });
    let json: ValidateJson;
    try {
      json = JSON.parse(r.stdout);
    } catch {
      throw new Error(`validate printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
    return { code: r.code, json, stderr: r.stderr };
  }

  /** Runs a fix line as a user would paste it: `secure-docintel …` commands (with --yes) and the one az command validate prints. */
  async runFix(fix: string): Promise<void> {
    const line = fix.replace(/\s+\(or: .*\)$/, '');
    for (const part of line.split(' && ')) {
      const words = part.trim().split(/\s+/);
      if (words[0] === 'az') {
        await this.az(words);
        continue;
      }
      if (words[0] !== 'secure-docintel') throw new Error(`not a command: ${part}`);
      const sub = buildProgram().commands.find((c) => c.name() === words[1]);
      if (!sub) throw new Error(`unknown command in fix: ${part}`);
      sub.parseOptions(words.slice(2));
      const r = await this.run(words[1], { ...sub.opts(), yes: true });
      if (r.code !== 0) throw new Error(`fix '${part}' failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
  }

  private async az(words: string[]): Promise<void> {
    const arg = (flag: string) => words[words.indexOf(flag) + 1];
    if (words.slice(1, 5).join(' ') !== 'network private-endpoint dns-zone-group delete') throw new Error(`unsupported az command: ${words.join(' ')}`);
    const net = new NetworkManagementClient(this.emu.owner, DEMO.subscriptionId, this.emu.clientOptions);
    await net.privateDnsZoneGroups.beginDeleteAndWait(arg('--resource-group'), arg('--endpoint-name'), arg('--name'));
  }

  /** Replaces a resource in the emulator's state (drift made outside ARM's rules). */
  async patchState(id: string, change: (r: any) => void): Promise<void> {
    const state = await this.emu.control('GET', 'state');
    const r = state.resources.find((x: { id: string }) => x.id.toLowerCase() === id.toLowerCase());
    if (!r) throw new Error(`no resource ${id} in the emulator state`);
    change(r);
    await this.emu.control('PUT', 'state', { resources: [r] });
  }

  async state(): Promise<{ resources: any[] }> {
    return this.emu.control('GET', 'state');
  }
}

export function failing(json: ValidateJson): string[] {
  return json.checks.filter((c) => c.status === 'fail').map((c) => c.id);
}

export function check(json: ValidateJson, id: string) {
  const c = json.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
}

// ---------------------------------------------------------------- the installed binary

export { installedCopy };

export interface ChildRun {
  child: ChildProcess;
  /** resolves when the process ends */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>;
}

export function childEnv(emu: TestEmulator, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, XDG_STATE_HOME: STATE_HOME, XDG_CACHE_HOME: CACHE_HOME, ...credentialsEnv(emu), SECURE_DOCINTEL_RETRY_DELAY_MS: '10', ...extra };
}

export function demoArgs(emu: TestEmulator): string[] {
  return [
    '--arm-endpoint', emu.url, '--ca-cert', emu.caFile,
    '--subscription', DEMO.subscriptionId, '--resource-group', DEMO.resourceGroup, '--docintel', DEMO.account,
    '--storage', DEMO.storage, '--vnet', DEMO.vnet, '--subnet', DEMO.subnet,
  ];
}

/** Runs the installed binary (installedCopy) with these arguments and environment. */
export function runChild(args: string[], env: NodeJS.ProcessEnv): ChildRun {
  const child = spawn(process.execPath, [installedCopy(), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (err += c));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((res) => {
    child.on('close', (code, signal) => res({ code, signal, out, err }));
  });
  return { child, done };
}
