/**
 * Never widen, never leak. Over many generated starting states (seeded PRNG), whatever command runs,
 * no firewall admits a client it did not admit before unless the user asked for it (--allow-ip,
 * --allow-client-ip, --allow-studio, the guide's trusted-services exception or resource-instance
 * rule). Nothing printed — text or JSON, quiet or --verbose, success or failure, in-process or the
 * real binary — holds a token, a secret or an account key. Restricting the account while this
 * machine is outside the VNet needs a confirmation or --yes.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import { StorageManagementClient } from '@azure/arm-storage';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { seededRandom } from '../../packages/arm-emulator/src/estate.js';
import { TestHost } from '../support/test-host.js';
import { runCli, DEMO_TARGETS, installedCopy, runChild, childEnv, demoArgs, STATE_HOME } from '../support/cli.js';
import { ACCOUNT_ID, STORAGE_ID, find, stateOf, armWrites, expectNoSecrets, expectNoStack } from './support.js';
import { ruleAdmits } from '../../src/core/ip.js';

const STUDIO_IP = '20.3.165.95';
const ENV = { SECURE_DOCINTEL_RETRY_DELAY_MS: '5', SECURE_DOCINTEL_REPLICATION_WAIT_SECONDS: '5' };


const IP_POOL = ['198.51.100.7', '198.51.100.0/24', '203.0.113.10', '203.0.113.64/26', '52.168.1.1', STUDIO_IP];
/** Clients whose admission is judged: public addresses in and around the pool, and the non-IP paths. */
const CLIENTS = [
  ...['198.51.100.7', '198.51.100.200', '203.0.113.10', '203.0.113.70', '52.168.1.1', '8.8.8.8', STUDIO_IP, DEMO.publicClientIp].map((ip) => `ip:${ip}`),
  'trusted:AzureServices',
  'trusted:Logging',
  'trusted:Metrics',
  `instance:${ACCOUNT_ID.toLowerCase()}`,
];

interface Firewall {
  publicNetworkAccess?: string;
  defaultAction?: string;
  ipRules: string[];
  bypass: string[];
  instances: string[];
}

/** Does this firewall let the client in? (publicNetworkAccess, defaultAction, ipRules, bypass, resource-instance rules) */
export function admits(fw: Firewall, client: string): boolean {
  if (String(fw.publicNetworkAccess ?? 'Enabled').toLowerCase() === 'disabled') return false;
  if (String(fw.defaultAction ?? 'Allow').toLowerCase() === 'allow') return true;
  const [kind, value] = [client.slice(0, client.indexOf(':')), client.slice(client.indexOf(':') + 1)];
  if (kind === 'ip') return fw.ipRules.some((r) => ruleAdmits(r, value));
  if (kind === 'trusted') return fw.bypass.includes(value);
  if (kind === 'instance') return fw.instances.includes(value);
  return false;
}

function storageFirewall(state: { resources: any[] }): Firewall {
  const p = find(state, STORAGE_ID).properties;
  const acls = p.networkAcls ?? {};
  return {
    publicNetworkAccess: p.publicNetworkAccess,
    defaultAction: acls.defaultAction,
    ipRules: (acls.ipRules ?? []).map((r: { value: string }) => r.value),
    bypass: String(acls.bypass ?? '').split(',').map((s) => s.trim()).filter((s) => s && s !== 'None'),
    instances: (acls.resourceAccessRules ?? []).map((r: { resourceId: string }) => r.resourceId.toLowerCase()),
  };
}

function accountFirewall(state: { resources: any[] }): Firewall {
  const p = find(state, ACCOUNT_ID).properties;
  const acls = p.networkAcls ?? {};
  return {
    publicNetworkAccess: p.publicNetworkAccess,
    defaultAction: acls.defaultAction,
    ipRules: (acls.ipRules ?? []).map((r: { value: string }) => r.value),
    bypass: [],
    instances: [],
  };
}

interface Generated {
  label: string;
  command: string;
  options: Record<string, unknown>;
  storage: any;
  account: any;
}

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)];
}
function subset<T>(rnd: () => number, list: readonly T[], p = 0.35): T[] {
  return list.filter(() => rnd() < p);
}

function generate(seed: number, baseStorage: any, baseAccount: any): Generated {
  const rnd = seededRandom(seed);
  const storage = structuredClone(baseStorage);
  storage.properties.publicNetworkAccess = pick(rnd, ['Enabled', 'Enabled', 'Enabled', 'Disabled']);
  storage.properties.networkAcls = {
    defaultAction: pick(rnd, ['Allow', 'Deny']),
    bypass: pick(rnd, ['None', 'AzureServices', 'Logging', 'Logging, Metrics', 'Logging, Metrics, AzureServices', 'Metrics']),
    ipRules: subset(rnd, IP_POOL).map((value) => ({ value, action: 'Allow' })),
    virtualNetworkRules: [],
    resourceAccessRules: rnd() < 0.3 ? [{ tenantId: DEMO.tenantId, resourceId: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/rg-x/providers/Microsoft.Synapse/workspaces/ws` }] : [],
  };
  const account = structuredClone(baseAccount);
  account.properties.publicNetworkAccess = pick(rnd, ['Enabled', 'Enabled', 'Enabled', 'Disabled']);
  if (rnd() < 0.6) {
    account.properties.customSubDomainName = DEMO.account;
    account.properties.networkAcls = { defaultAction: pick(rnd, ['Allow', 'Deny']), ipRules: subset(rnd, IP_POOL.filter((ip) => !ip.includes('/'))).map((value) => ({ value })), virtualNetworkRules: [] };
  }
  // grant and identity never touch a firewall: a few identity runs are enough to show it
  const command = pick(rnd, ['setup', 'setup', 'setup', 'storage-lockdown', 'storage-lockdown', 'private-endpoint', 'private-endpoint', 'identity']);
  const options: Record<string, unknown> = { ...DEMO_TARGETS, yes: true };
  const allowIp = subset(rnd, ['52.168.2.2', '198.51.100.0/24', '203.0.113.10'], 0.25);
  if (allowIp.length && command !== 'identity') options.allowIp = allowIp;
  if (rnd() < 0.3 && command !== 'identity') options.allowStudio = true;
  if (rnd() < 0.2 && command !== 'identity') Object.assign(options, { allowClientIp: true, clientIp: DEMO.publicClientIp });
  if (rnd() < 0.3 && (command === 'setup' || command === 'storage-lockdown')) options.accessRule = 'resource-instance';
  if (rnd() < 0.2 && (command === 'setup' || command === 'private-endpoint')) options.disablePublicAccess = true;
  const label = `#${seed} ${command} ${JSON.stringify({ ...options, ...DEMO_TARGETS_BLANK })}`;
  return { label, command, options, storage, account };
}
const DEMO_TARGETS_BLANK = Object.fromEntries(Object.keys(DEMO_TARGETS).map((k) => [k, undefined]));

/** Clients the user explicitly asked to admit on this firewall with these options. */
function requested(g: Generated, which: 'storage' | 'account'): (client: string) => boolean {
  const o = g.options;
  const ips = [...((o.allowIp as string[]) ?? []), ...(o.allowStudio ? [STUDIO_IP] : []), ...(o.allowClientIp ? [String(o.clientIp)] : [])];
  const touchesStorage = g.command === 'setup' || g.command === 'storage-lockdown';
  return (client) => {
    const value = client.slice(client.indexOf(':') + 1);
    if (client.startsWith('ip:')) return ips.some((r) => ruleAdmits(r, value));
    if (which !== 'storage' || !touchesStorage) return false;
    if (client === 'trusted:AzureServices') return (o.accessRule ?? 'trusted-services') === 'trusted-services';
    if (client.startsWith('instance:')) return o.accessRule === 'resource-instance';
    return false;
  };
}

let emu: TestEmulator;
beforeAll(async () => {
  installedCopy();
  emu = await startTestEmulator();
}, 120_000);
afterAll(async () => emu.stop());

const SEEDS = Array.from({ length: 36 }, (_, i) => 1000 + i * 7);

describe('never widen', () => {
  it('the check itself sees a widening: an unrequested IP rule, a dropped Deny, a bypass added', () => {
    const before: Firewall = { defaultAction: 'Deny', ipRules: ['198.51.100.7'], bypass: ['Logging'], instances: [] };
    const widened = (after: Firewall) => CLIENTS.filter((c) => admits(after, c) && !admits(before, c));
    expect(widened({ ...before, ipRules: ['198.51.100.0/24'] })).toEqual(['ip:198.51.100.200']);
    expect(widened({ ...before, defaultAction: 'Allow' }).length).toBe(CLIENTS.length - 2);
    expect(widened({ ...before, bypass: ['Logging', 'AzureServices'] })).toEqual(['trusted:AzureServices']);
    expect(widened({ ...before, publicNetworkAccess: 'Disabled', defaultAction: 'Allow' })).toEqual([]);
  });

  it.each(SEEDS)('generated state %i: no firewall admits more than before plus what was asked', async (seed) => {
    await emu.control('POST', 'reset');
    const base = await stateOf(emu);
    const g = generate(seed, find(base, STORAGE_ID), find(base, ACCOUNT_ID));
    await emu.control('PUT', 'state', { resources: [g.storage, g.account] });
    const before = await stateOf(emu);
    const run = await runCli(emu, g.command, g.options, { env: ENV });
    expect([0, 1], `${g.label}\n${run.err}`).toContain(run.code);
    expectNoStack(run.out + run.err, g.label);
    const after = await stateOf(emu);
    for (const [which, firewall] of [['storage', storageFirewall], ['account', accountFirewall]] as const) {
      const b = firewall(before);
      const a = firewall(after);
      const asked = requested(g, which);
      const widened = CLIENTS.filter((c) => admits(a, c) && !admits(b, c) && !asked(c));
      expect(widened, `${g.label}: the ${which} firewall now admits ${widened.join(', ')}\nbefore ${JSON.stringify(b)}\nafter ${JSON.stringify(a)}`).toEqual([]);
      // and nothing is ever opened to everyone
      if (String(b.defaultAction).toLowerCase() === 'deny') expect(a.defaultAction, `${g.label}: ${which} set back to Allow`).toBe('Deny');
      expect(a.ipRules.some((r) => r === '0.0.0.0/0' || r.endsWith('/0')), `${g.label}: ${which} open to all`).toBe(false);
      if (String(b.publicNetworkAccess).toLowerCase() === 'disabled') expect(a.publicNetworkAccess, `${g.label}: ${which} public access re-enabled`).toBe('Disabled');
    }
  });
});

describe('never leak', () => {
  let secrets: string[] = [];

  /** Every output must be free of JWTs, the demo secrets and the keys of both accounts. */
  function expectClean(text: string, label: string): void {
    expectNoSecrets(text, label);
    for (const s of secrets) expect(text.includes(s), `${label} prints a key`).toBe(false);
  }

  it('the scan itself finds a real token from the emulator', async () => {
    const token = (await emu.owner.getToken('https://management.azure.com/.default'))!.token;
    expect(() => expectNoSecrets(`Authorization: ${token}`)).toThrow();
    expect(() => expectNoSecrets(`secret=${DEMO.owner.secret}`)).toThrow();
  });

  beforeAll(async () => {
    await emu.control('POST', 'reset');
    const cog = new CognitiveServicesManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    const st = new StorageManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    const ak = await cog.accounts.listKeys(DEMO.resourceGroup, DEMO.account);
    const sk = await st.storageAccounts.listKeys(DEMO.resourceGroup, DEMO.storage);
    secrets = [ak.key1!, ak.key2!, ...(sk.keys ?? []).map((k) => k.value!)].filter(Boolean);
    expect(secrets.length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    { output: 'text', verbose: false },
    { output: 'text', verbose: true },
    { output: 'json', verbose: false },
    { output: 'json', verbose: true },
  ])('setup, a re-run and validate --probe with --output $output, verbose $verbose', async ({ output, verbose }) => {
    await emu.control('POST', 'reset');
    for (const [command, extra] of [['setup', {}], ['setup', {}], ['validate', { probe: true }]] as const) {
      const run = await runCli(emu, command, { ...DEMO_TARGETS, yes: true, output, verbose, ...extra }, { env: ENV });
      const label = `${command} ${output}${verbose ? ' --verbose' : ''}`;
      expect([0, 1], `${label}\n${run.err}`).toContain(run.code);
      if (output === 'json') expect(() => run.json(), label).not.toThrow();
      expectClean(run.out, `${label} stdout`);
      expectClean(run.err, `${label} stderr`);
    }
  });

  it.each([
    { name: 'a wrong client secret', env: { AZURE_CLIENT_SECRET: 'not-the-demo-secret' } },
    { name: 'the Reader without write rights', caller: 'reader' as const },
    { name: 'a persistent 500 on a write', faults: [{ method: 'PATCH', path: '.', status: 500, count: 1000 }] },
    { name: 'ARM refusing the token', faults: [{ method: 'GET', path: '.', status: 401, code: 'InvalidAuthenticationToken', message: 'The access token is invalid.', count: 1000 }] },
  ])('failures print no secret either: $name', async (c) => {
    await emu.control('POST', 'reset');
    if (c.faults) await emu.control('POST', 'faults', c.faults);
    for (const output of ['text', 'json']) {
      const run = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, output, verbose: true }, { env: { ...ENV, ...c.env }, caller: c.caller });
      expect(run.code, run.err).not.toBe(0);
      expectClean(run.out + run.err, `${c.name} (${output})`);
      expectNoStack(run.out + run.err, c.name);
    }
  });

  it('the journals of a setup, a failed setup and an undo hold no secret either', async () => {
    await emu.control('POST', 'reset');
    const state = mkdtempSync(join(STATE_HOME, 'leak-'));
    const env = { ...ENV, XDG_STATE_HOME: state };
    const ok = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, verbose: true, output: 'json' }, { env });
    expect(ok.code, ok.err).toBe(0);
    const undo = await runCli(emu, 'undo', { run: ok.json().journal.id, yes: true, verbose: true }, { env });
    expect(undo.code, undo.err).toBe(0);
    expectClean(undo.out + undo.err, 'undo output');
    await emu.control('POST', 'faults', [{ method: 'PUT', path: 'privateEndpoints', status: 500, count: 1000 }]);
    const failed = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, verbose: true }, { env });
    expect(failed.code).toBe(1);
    await emu.control('DELETE', 'faults');
    const dir = join(state, 'secure-docintel', 'runs');
    const files = readdirSync(dir);
    expect(files.length).toBe(3);
    for (const f of files) expectClean(readFileSync(join(dir, f), 'utf8'), `journal ${f}`);
  });

  it('the real binary with --verbose, text and JSON, prints no secret on either stream', async () => {
    await emu.control('POST', 'reset');
    for (const extra of [['--verbose'], ['--verbose', '--output', 'json']]) {
      const r = await runChild(['setup', '--non-interactive', '--yes', ...extra, ...demoArgs(emu)], childEnv(emu)).done;
      expect(r.code, r.err).toBe(0);
      expectClean(r.out, 'binary stdout');
      expectClean(r.err, 'binary stderr');
      expectNoStack(r.out + r.err);
    }
    const bad = await runChild(['setup', '--non-interactive', '--yes', '--verbose', ...demoArgs(emu)], childEnv(emu, { AZURE_CLIENT_SECRET: 'wrong-secret-value' })).done;
    expect(bad.code).toBe(2);
    expectClean(bad.out + bad.err, 'binary, wrong secret');
    expect(bad.out + bad.err).not.toContain('wrong-secret-value');
  });
});

describe('the lock-out guard', () => {
  it('restricting the account from outside the VNet needs --yes in a non-interactive run, and writes nothing without it', async () => {
    await emu.control('POST', 'reset');
    const account = find(await stateOf(emu), ACCOUNT_ID);
    account.properties.customSubDomainName = DEMO.account; // only the lock-out is left to confirm
    await emu.control('PUT', 'state', { resources: [account] });
    await emu.clearLog();
    const run = await runCli(emu, 'private-endpoint', DEMO_TARGETS, { env: ENV });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/\[lockout\]/);
    expect(run.err).toMatch(/this machine, which is not in the VNet/);
    expect(run.err).toMatch(/pass --yes/);
    expect(run.err).not.toMatch(/\[permanent\]/);
    expect(await armWrites(emu)).toEqual([]);
  });

  it('interactively, it is asked on its own; declining exits 3 and writes nothing', async () => {
    await emu.control('POST', 'reset');
    const account = find(await stateOf(emu), ACCOUNT_ID);
    account.properties.customSubDomainName = DEMO.account;
    await emu.control('PUT', 'state', { resources: [account] });
    await emu.clearLog();
    const host = new TestHost(true, { 'confirm-shared': true, 'confirm-lockout': false });
    const run = await runCli(emu, 'private-endpoint', DEMO_TARGETS, { host, env: ENV });
    expect(run.code).toBe(3);
    expect(host.asked.map((a) => a.id)).toContain('confirm-lockout-properties.networkAcls.defaultAction');
    expect(host.asked.find((a) => a.id.startsWith('confirm-lockout'))!.default).toBe(false);
    expect(await armWrites(emu)).toEqual([]);
  });

  it('--disable-public-access asks too, and with --yes the account ends restricted', async () => {
    await emu.control('POST', 'reset');
    await emu.clearLog();
    const refused = await runCli(emu, 'private-endpoint', { ...DEMO_TARGETS, disablePublicAccess: true }, { env: ENV });
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/Disable all public access/);
    expect(await armWrites(emu)).toEqual([]);
    const run = await runCli(emu, 'private-endpoint', { ...DEMO_TARGETS, disablePublicAccess: true, yes: true }, { env: ENV });
    expect(run.code, run.err).toBe(0);
    expect(find(await stateOf(emu), ACCOUNT_ID).properties.publicNetworkAccess).toBe('Disabled');
  });

  it('an account already restricted needs no lock-out confirmation', async () => {
    await emu.control('POST', 'reset');
    expect((await runCli(emu, 'private-endpoint', { ...DEMO_TARGETS, yes: true }, { env: ENV })).code).toBe(0);
    const again = await runCli(emu, 'private-endpoint', DEMO_TARGETS, { env: ENV });
    expect(again.code, again.err).toBe(0);
    expect(again.err).not.toMatch(/\[lockout\]/);
  });
});
