/**
 * The journal and `undo` as a user sees them: setup then undo puts every resource back as the
 * journal recorded it before the run (the custom subdomain aside, which the plan reports as
 * permanent); a second undo makes no writes; a resource changed by hand since the run is refused
 * and the rest restored; undoing a run that changed nothing is a no-op; the journal is owner-only
 * and holds no secret; `runs` lists the runs.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageManagementClient } from '@azure/arm-storage';
import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { runCli, DEMO_TARGETS, IDS, STATE_HOME } from '../support/cli.js';
import { SECRET_PATTERNS } from '../reliability/support.js';
import { TestHost } from '../support/test-host.js';
import { expectAsBefore as expectAsBeforeOn, getNow as getNowOn } from '../support/journal.js';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());

/** Each test records its runs in a state directory of its own, so `runs` and `--last` see only them. */
function stateHome(): NodeJS.ProcessEnv {
  return { SECURE_DOCINTEL_RETRY_DELAY_MS: '10', XDG_STATE_HOME: mkdtempSync(join(STATE_HOME, 'undo-')) };
}

async function fresh(): Promise<void> {
  await emu.control('POST', 'reset');
  await emu.clearLog();
}

async function setup(env: NodeJS.ProcessEnv, extra: Record<string, unknown> = {}): Promise<{ id: string; path: string; journal: any }> {
  const r = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, allowStudio: true, output: 'json', ...extra }, { env });
  expect(r.code, r.err).toBe(0);
  const { id, path } = r.json().journal;
  return { id, path, journal: JSON.parse(readFileSync(path, 'utf8')) };
}

async function undo(env: NodeJS.ProcessEnv, options: Record<string, unknown>) {
  return runCli(emu, 'undo', { yes: true, output: 'json', ...options }, { env });
}

async function writes(): Promise<string[]> {
  return (await emu.armRequests()).filter((r) => r.method !== 'GET' && r.method !== 'HEAD').map((r) => `${r.method} ${r.path}`);
}

const expectAsBefore = (journal: any, except: string[] = []) => expectAsBeforeOn(emu, journal, except);
const getNow = (id: string, _apiVersion?: string) => getNowOn(emu, id);

describe('an undo whose endpoint deletion fails', () => {
  it('leaves both accounts reachable: the firewalls are back as recorded before the private path is touched', async () => {
    await fresh();
    const env = stateHome();
    const run = await setup(env);
    await emu.control('POST', 'faults', { method: 'DELETE', path: '/privateEndpoints/[^/]+$', status: 500 });
    let u: Awaited<ReturnType<typeof undo>>;
    try {
      u = await undo(env, { run: run.id });
    } finally {
      await emu.control('DELETE', 'faults');
    }
    expect(u.code).toBe(1);
    const statuses = Object.fromEntries(u.json().steps.map((s: any) => [s.id, s.status]));
    expect(statuses).toMatchObject({ 'undo-storage': 'applied', 'undo-account-network': 'applied', 'undo-private-endpoints': 'failed' });
    const before = (type: string) => run.journal.resources.find((r: any) => r.type === type).before.body.properties;
    const account = await getNow(IDS.account);
    const storage = await getNow(IDS.storage);
    expect(account.properties.publicNetworkAccess ?? 'Enabled').toBe(before('Microsoft.CognitiveServices/accounts').publicNetworkAccess ?? 'Enabled');
    expect(account.properties.networkAcls?.defaultAction ?? 'Allow').toBe(before('Microsoft.CognitiveServices/accounts').networkAcls?.defaultAction ?? 'Allow');
    expect(storage.properties.networkAcls.defaultAction).toBe(before('Microsoft.Storage/storageAccounts').networkAcls.defaultAction);
    // the endpoints are still there: the private path was never cut before the public one reopened
    const endpoints = (await emu.armRequests()).filter((r) => r.method === 'DELETE' && /privateEndpoints\/[^/]+$/.test(r.path));
    expect(endpoints.map((r) => r.status)).toEqual(endpoints.map(() => 500));
    // once the fault is gone, the same undo converges
    const again = await undo(env, { run: run.id });
    expect(again.code, again.err).toBe(0);
    await expectAsBefore(run.journal, ['Microsoft.CognitiveServices/accounts']);
  });
});

/**
 * The demo set up and undone once (`undo --last`), in a state directory of its own: what each test of
 * this story starts from, made by that test (the emulator is reset by the other tests of this file).
 */
async function setupThenUndo(): Promise<{ env: NodeJS.ProcessEnv; run: { id: string; path: string; journal: any }; first: Awaited<ReturnType<typeof undo>> }> {
  await fresh();
  const env = stateHome();
  const run = await setup(env);
  const first = await undo(env, { last: true });
  expect(first.code, first.err).toBe(0);
  return { env, run, first };
}

describe('setup, then undo', () => {
  it('restores every resource the run changed to its journal "before", the permanent subdomain aside', async () => {
    const { run, first: u } = await setupThenUndo();
    const types = run.journal.resources.map((r: any) => r.type);
    expect(types).toEqual(expect.arrayContaining([
      'Microsoft.CognitiveServices/accounts', 'Microsoft.Storage/storageAccounts', 'Microsoft.Storage/storageAccounts/blobServices',
      'Microsoft.Network/virtualNetworks/subnets', 'Microsoft.Network/privateEndpoints', 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups',
      'Microsoft.Network/privateDnsZones', 'Microsoft.Network/privateDnsZones/virtualNetworkLinks', 'Microsoft.Authorization/roleAssignments',
    ]));
    expect(run.journal.resources.filter((r: any) => !r.before.exists).length).toBe(9);

    const doc = u.json();
    expect(doc.command).toBe('undo');
    expect(doc.undo.run).toBe(run.id);
    expect(doc.undo.refused).toEqual([]);
    expect(doc.undo.permanent).toEqual([expect.objectContaining({ resourceId: expect.stringMatching(/accounts\/docintel-demo$/), property: 'properties.customSubDomainName', value: DEMO.account })]);
    expect(u.err).toMatch(/customSubDomainName .* stays 'docintel-demo': Azure never lets a custom subdomain be changed or removed \(permanent\)/);
    // reverse dependency order, the firewalls reopened as recorded before the private path goes
    expect(doc.steps.map((s: any) => `${s.id}:${s.status}`)).toEqual([
      'undo-role-assignment:applied', 'undo-storage:applied', 'undo-account-network:applied',
      'undo-zone-groups:applied', 'undo-private-endpoints:applied', 'undo-vnet-links:applied', 'undo-dns-zones:applied',
      'undo-subnet:applied', 'undo-identity:applied',
    ]);
    // opening a firewall again and turning the identity off are confirmations, named in the plan
    const confirms = doc.steps.flatMap((s: any) => s.changes).filter((c: any) => c.confirm).map((c: any) => c.confirm.kind);
    expect(confirms).toEqual(['widen', 'widen', 'shared', 'shared']);
    expect(doc.steps.find((s: any) => s.id === 'undo-identity').changes[0].confirm.message).toMatch(/every role assignment it holds goes with it/);

    await expectAsBefore(run.journal);
  });

  it('a second undo makes no writes', async () => {
    const { env, run } = await setupThenUndo();
    await emu.clearLog();
    const again = await undo(env, { last: true });
    expect(again.code, again.err).toBe(0);
    // --last skips undo runs: it is the same setup again
    expect(again.json().undo.run).toBe(run.id);
    expect(again.json().armRequests.writes).toBe(0);
    expect(await writes()).toEqual([]);
  });

  it('`runs` lists the setup and both undos, newest first, as text and JSON', async () => {
    const { env, run } = await setupThenUndo();
    const second = await undo(env, { last: true });
    expect(second.code, second.err).toBe(0);
    const json = await runCli(emu, 'runs', { output: 'json' }, { env });
    expect(json.code).toBe(0);
    const runs = json.json().runs;
    expect(runs.map((r: any) => r.command)).toEqual(['undo', 'undo', 'setup']);
    expect(runs[2]).toMatchObject({ id: run.id, writes: run.journal.writes.length, status: 'succeeded', targets: [IDS.account, IDS.storage, expect.stringMatching(/vnet-demo$/), expect.stringMatching(/snet-pe$/)] });
    expect(runs[1]).toMatchObject({ undoOf: run.id, status: 'succeeded' });
    expect(runs[0]).toMatchObject({ undoOf: run.id, status: 'unchanged', writes: 0 });
    // an undo is not undone: the original command re-applies
    const redo = await runCli(emu, 'undo', { run: runs[1].id, yes: true }, { env });
    expect(redo.code).toBe(2);
    expect(redo.err).toMatch(/is itself an undo .* run the original command again/s);
    const text = await runCli(emu, 'runs', {}, { env });
    expect(text.out.split('\n')[0]).toMatch(/^ID\s+TIME \(UTC\)\s+COMMAND\s+STATUS\s+WRITES\s+TARGETS$/);
    expect(text.out).toMatch(new RegExp(`${run.id}\\s+\\S+ \\S+\\s+setup\\s+succeeded\\s+${run.journal.writes.length}\\s+docintel-demo, stdocinteldemo, vnet-demo, snet-pe`));
    expect(text.out).toContain(`undo of ${run.id}`);
  });
});

describe('setup that created its VNet, then undo', () => {
  it('deletes the VNet and subnet it made once the endpoints are gone, and restores the rest', async () => {
    await fresh();
    const env = stateHome();
    const run = await setup(env, { vnet: undefined, subnet: undefined, createVnet: 'vnet-undo', vnetAddressPrefix: '10.42.0.0/16' });
    const vnetId = `${IDS.rg}/providers/Microsoft.Network/virtualNetworks/vnet-undo`;
    expect(run.journal.resources.find((r: any) => r.id.toLowerCase() === vnetId.toLowerCase())?.before).toEqual({ exists: false });
    const u = await undo(env, { run: run.id });
    expect(u.code, u.err).toBe(0);
    const subnet = u.json().steps.find((s: any) => s.id === 'undo-subnet');
    expect(subnet.changes).toEqual([expect.objectContaining({ action: 'delete', resourceId: expect.stringMatching(/virtualNetworks\/vnet-undo$/i) })]);
    await expectAsBefore(run.journal);
  });
});

describe('undo after a manual change', () => {
  it('refuses the changed resource, shows how it differs, restores the rest; --force restores it too', async () => {
    await fresh();
    const env = stateHome();
    const run = await setup(env);
    // someone adds an IP rule to the storage firewall after the run
    const st = new StorageManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    const acct = await st.storageAccounts.getProperties(DEMO.resourceGroup, DEMO.storage);
    const rules = acct.networkRuleSet!;
    await st.storageAccounts.update(DEMO.resourceGroup, DEMO.storage, { networkRuleSet: { ...rules, ipRules: [...(rules.ipRules ?? []), { iPAddressOrRange: '203.0.113.5', action: 'Allow' }] }, NetworkRuleSet: true } as never);

    const u = await undo(env, { run: run.id });
    expect(u.code, u.err).toBe(1);
    const doc = u.json();
    expect(doc.undo.refused).toEqual([expect.objectContaining({ resourceId: IDS.storage, differences: [expect.objectContaining({ path: '/properties/networkAcls/ipRules' })] })]);
    expect(u.err).toContain(`Not touched: ${IDS.storage} changed since run ${run.id}`);
    expect(u.err).toMatch(/\/properties\/networkAcls\/ipRules: .*20\.3\.165\.95.* \(after the run\) → .*203\.0\.113\.5.* \(now\)/);
    // the hand-made rule and the lockdown stay; everything else is as before
    const storage = await getNow(IDS.storage, '2025-08-01');
    expect(storage.properties.networkAcls.defaultAction).toBe('Deny');
    expect(storage.properties.networkAcls.ipRules.map((r: any) => r.value)).toContain('203.0.113.5');
    await expectAsBefore(run.journal, [IDS.storage]);

    const forced = await undo(env, { run: run.id, force: true });
    expect(forced.code, forced.err).toBe(0);
    expect(forced.json().undo.refused).toEqual([]);
    await expectAsBefore(run.journal);
  });
});

describe('undo of one step', () => {
  it('`identity` alone: undo turns the identity off and touches nothing else', async () => {
    await fresh();
    const env = stateHome();
    const r = await runCli(emu, 'identity', { ...DEMO_TARGETS, vnet: undefined, subnet: undefined, storage: undefined, yes: true, output: 'json' }, { env });
    expect(r.code, r.err).toBe(0);
    const { id, path } = r.json().journal;
    const journal = JSON.parse(readFileSync(path, 'utf8'));
    expect(journal.resources.map((x: any) => x.id)).toEqual([IDS.account]);
    await emu.clearLog();
    const u = await undo(env, { last: true });
    expect(u.code, u.err).toBe(0);
    expect(u.json().undo.run).toBe(id);
    expect(u.json().undo.permanent).toEqual([]);
    expect(await writes()).toEqual([`PATCH ${IDS.account}`]);
    await expectAsBefore(journal);
  });
});

describe('what undo keeps', () => {
  it('a DNS zone the run made that holds a record someone added since stays; the rest is restored', async () => {
    await fresh();
    const env = stateHome();
    const run = await setup(env);
    const zoneId = `${IDS.rg}/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net`;
    const dns = new PrivateDnsManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    await dns.recordSets.createOrUpdate(DEMO.resourceGroup, 'privatelink.blob.core.windows.net', 'A', 'other-app', { ttl: 10, aRecords: [{ ipv4Address: '10.10.1.99' }] });
    const u = await undo(env, { run: run.id });
    expect(u.code, u.err).toBe(0);
    expect(u.json().undo.notes).toContain(`${zoneId} is kept: it holds 1 record set(s) the run did not make.`);
    expect(await getNow(`${zoneId}/A/other-app`)).toBeDefined();
    await expectAsBefore(run.journal, [zoneId]);
  });

  it('a caller without write rights is told every permission the undo needs, and nothing is written', async () => {
    await fresh();
    const env = stateHome();
    const run = await setup(env);
    await emu.clearLog();
    const u = await runCli(emu, 'undo', { run: run.id, yes: true }, { env, caller: 'reader' });
    expect(u.code, u.err).toBe(1);
    expect(u.err).toMatch(/AuthorizationFailed — the signed-in identity lacks \d+ permissions this run needs. Nothing was written/);
    for (const action of ['Microsoft.Authorization/roleAssignments/delete', 'Microsoft.Network/privateEndpoints/delete', 'Microsoft.Network/privateDnsZones/delete', 'Microsoft.Storage/storageAccounts/write', 'Microsoft.CognitiveServices/accounts/write']) {
      expect(u.err).toContain(action);
    }
    expect(await writes()).toEqual([]);
  });
});

describe('undo of a run that changed nothing', () => {
  it('is a no-op: no writes, exit 0', async () => {
    await fresh();
    const env = stateHome();
    await setup(env);
    const again = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, allowStudio: true, output: 'json' }, { env });
    expect(again.code, again.err).toBe(0);
    const rerun = again.json().journal;
    expect(JSON.parse(readFileSync(rerun.path, 'utf8'))).toMatchObject({ status: 'unchanged', writes: [], resources: [] });
    await emu.clearLog();
    const u = await undo(env, { run: rerun.id });
    expect(u.code, u.err).toBe(0);
    expect(u.err).toContain(`Run ${rerun.id} changed nothing: there is nothing to undo.`);
    expect(u.json().steps.every((s: any) => s.status === 'unchanged')).toBe(true);
    expect(await writes()).toEqual([]);
  });
});

describe('confirmations and dry runs', () => {
  it('without --yes a non-interactive undo names the firewall it would open (widen) and writes nothing', async () => {
    await fresh();
    const env = stateHome();
    await setup(env);
    await emu.clearLog();
    const u = await runCli(emu, 'undo', { last: true }, { env });
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/\[widen\] Restore the firewall of storage account 'stdocinteldemo'/);
    expect(u.err).toMatch(/\[widen\] Restore the network access of 'docintel-demo'/);
    expect(await writes()).toEqual([]);
    const dry = await runCli(emu, 'undo', { last: true, dryRun: true, detailedExitcode: true }, { env });
    expect(dry.code).toBe(4);
    expect(await writes()).toEqual([]);
    // neither the refused undo nor the dry run changed anything, so neither is recorded
    const runs = await runCli(emu, 'runs', { output: 'json' }, { env });
    expect(runs.json().runs.map((r: any) => r.command)).toEqual(['setup']);
  });

  it('asked interactively, declining to open the firewall again writes nothing (exit 3)', async () => {
    await fresh();
    const env = stateHome();
    await setup(env);
    await emu.clearLog();
    const host = new TestHost(true, { 'confirm-widen': false });
    const u = await runCli(emu, 'undo', { last: true }, { env, host });
    expect(u.code).toBe(3);
    expect(host.asked.map((a) => a.id)[0]).toBe('confirm-widen-networkAcls.defaultAction');
    expect(host.asked[0].message).toMatch(/Restore the firewall of storage account 'stdocinteldemo' to what it was before run .* \(Allow by default\)\?/);
    expect(await writes()).toEqual([]);
  });

  it('names the fix for a missing or unknown run (exit 2)', async () => {
    const env = stateHome();
    const none = await runCli(emu, 'undo', { yes: true }, { env });
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/--run ID .* or --last/);
    const unknown = await runCli(emu, 'undo', { run: '20260101T000000Z-setup-0000', yes: true }, { env });
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('secure-docintel runs');
    const last = await runCli(emu, 'undo', { last: true, yes: true }, { env });
    expect(last.code).toBe(2);
    expect(last.err).toMatch(/No recorded run that changed anything/);
  });
});

describe('the journal', () => {
  it('is written owner-only in a private directory and holds no token, key or secret, even one a tag carries', async () => {
    await fresh();
    const env = stateHome();
    const cog = new CognitiveServicesManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    const st = new StorageManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    const ak = await cog.accounts.listKeys(DEMO.resourceGroup, DEMO.account);
    const sk = await st.storageAccounts.listKeys(DEMO.resourceGroup, DEMO.storage);
    const keys = [ak.key1!, ak.key2!, ...(sk.keys ?? []).map((k) => k.value!)];
    const sas = 'https://stdocinteldemo.blob.core.windows.net/training?sv=2022-11-02&ss=b&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789%3D';
    // a user who keeps a connection string and a SAS URL in tags: the journal records the account's definition
    await st.storageAccounts.update(DEMO.resourceGroup, DEMO.storage, { tags: { conn: `DefaultEndpointsProtocol=https;AccountName=${DEMO.storage};AccountKey=${sk.keys![0].value}`, sas } });

    const run = await setup(env);
    const u = await undo(env, { run: run.id });
    expect(u.code, u.err).toBe(0);
    const dir = join(env.XDG_STATE_HOME!, 'secure-docintel', 'runs');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files).toHaveLength(2);
    for (const f of files) {
      const path = join(dir, f);
      expect(statSync(path).mode & 0o777, f).toBe(0o600);
      const text = readFileSync(path, 'utf8');
      for (const [what, re] of SECRET_PATTERNS) expect(re.test(text), `${f} contains ${what}`).toBe(false);
      for (const k of keys) expect(text.includes(k), `${f} holds an account key`).toBe(false);
      expect(text).not.toContain('sig=AbCdEf');
      expect(text).not.toMatch(/AccountKey=/);
    }
    // what was redacted is only the secret: the tag is there, its value is not
    const storage = run.journal.resources.find((r: any) => r.id.toLowerCase() === IDS.storage.toLowerCase());
    expect(storage.before.body.tags).toEqual({ conn: '[redacted]', sas: '[redacted]' });
  });

  it('when it cannot be written, the run writes nothing to Azure either (exit 2, naming --journal)', async () => {
    await fresh();
    const home = stateHome();
    const notADirectory = join(home.XDG_STATE_HOME!, 'file');
    writeFileSync(notADirectory, '');
    const r = await runCli(emu, 'identity', { ...DEMO_TARGETS, vnet: undefined, subnet: undefined, storage: undefined, yes: true }, { env: { ...home, XDG_STATE_HOME: notADirectory } });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Cannot create the journal directory .* nothing was written/);
    expect(r.err).toContain('--journal FILE');
    expect(await writes()).toEqual([]);
  });

  it('--journal FILE puts it there, and undo --run takes that path', async () => {
    await fresh();
    const env = stateHome();
    const file = join(env.XDG_STATE_HOME!, 'elsewhere', 'lockdown.json');
    const run = await setup(env, { journal: file });
    expect(run.path).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const u = await undo(env, { run: file });
    expect(u.code, u.err).toBe(0);
    await expectAsBefore(run.journal);
  });
});
