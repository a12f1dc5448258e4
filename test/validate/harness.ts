/**
 * Runs the real CLI code against one test emulator: commands with the demo owner's credentials and a
 * host that captures stdout and stderr, validate as parsed JSON, and a runner for the fix lines validate prints.
 */
import { buildProgram } from '../../src/cli/main.js';
import { runCommand } from '../../src/commands/index.js';
import type { IoHost } from '../../src/io/host.js';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { NetworkManagementClient } from '@azure/arm-network';
import { DEMO_TARGETS } from '../support/cli.js';

export { DEMO };

export class CaptureHost implements IoHost {
  readonly interactive = false;
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  info(m: string) { this.stderr.push(m); }
  warn(m: string) { this.stderr.push(m); }
  debug() {}
  result(t: string) { this.stdout.push(t); }
  async select<T>(): Promise<T> { throw new Error('no prompts in tests'); }
  async input(): Promise<string> { throw new Error('no prompts in tests'); }
  async confirm(): Promise<boolean> { throw new Error('no prompts in tests'); }
  async task<T>(_t: string, fn: () => Promise<T>): Promise<T> { return fn(); }
}

export interface ValidateJson {
  ok: boolean;
  checks: { id: string; status: string; resourceId?: string; message: string; fix?: string }[];
  reachability: { from: string; to: string; ok: boolean; reason: string }[];
  explain?: { code: string; causes: { likelihood: string; cause: string; fix?: string }[] };
}

export const TARGETS = DEMO_TARGETS;

export const IDS = {
  rg: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}`,
  account: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}`,
  storage: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`,
};

export class Cli {
  constructor(readonly emu: TestEmulator) {}

  static async start(): Promise<Cli> {
    return new Cli(await startTestEmulator());
  }

  get env(): NodeJS.ProcessEnv {
    return {
      AZURE_TENANT_ID: DEMO.tenantId,
      AZURE_CLIENT_ID: DEMO.owner.clientId,
      AZURE_CLIENT_SECRET: DEMO.owner.secret,
      AZURE_AUTHORITY_HOST: this.emu.url,
      SECURE_DOCINTEL_RETRY_DELAY_MS: '10',
    };
  }

  async run(kind: string, opts: Record<string, unknown> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    const host = new CaptureHost();
    const code = await runCommand(kind, { ...TARGETS, armEndpoint: this.emu.url, caCert: this.emu.caFile, nonInteractive: true, ...opts }, { host, stdinIsTty: false, env: this.env });
    return { code, stdout: host.stdout.join('\n'), stderr: host.stderr.join('\n') };
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
