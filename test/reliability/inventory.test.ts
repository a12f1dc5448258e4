/**
 * `setup --inventory` over a fleet (test/support/fleet-scenario.ts, the emulator's estate in its open mode): fifty accounts in five
 * subscriptions converge under ARM throttling with none lost, a re-run writes nothing, one failing
 * account fails alone, and a bad inventory is refused before anything is written.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { runCli } from '../support/cli.js';
import { TestHost } from '../support/test-host.js';
import { FLEET_VNET, fleetScenario, inventoryCsv, inventoryJson, type Fleet } from '../support/fleet-scenario.js';
import { find, stateOf } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'sd-inventory-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const writesIn = (log: { method: string }[]) => log.filter((e) => e.method !== 'GET' && e.method !== 'HEAD').length;

/** Every account of the fleet locked down as the guide says, as the emulator holds it. */
async function expectConverged(emu: TestEmulator, fleet: Fleet): Promise<void> {
  const state = await stateOf(emu);
  for (const a of fleet.accounts) {
    const account = find(state, a.id);
    expect(account.identity?.type, a.name).toMatch(/SystemAssigned/);
    expect(account.properties.networkAcls?.defaultAction, a.name).toBe('Deny');
    expect(find(state, a.storage).properties.networkAcls.defaultAction, a.name).toBe('Deny');
    const endpoints = state.resources.filter((r) => r.type === 'Microsoft.Network/privateEndpoints' && r.id.toLowerCase().startsWith(`/subscriptions/${a.subscriptionId}/resourcegroups/${a.resourceGroup}/`.toLowerCase()));
    expect(endpoints, a.name).toHaveLength(2);
  }
}

describe('setup --inventory over 50 accounts in 5 subscriptions, throttled', () => {
  const fleet = fleetScenario({ subscriptions: 5, accountsPerSubscription: 10 });
  let emu: TestEmulator;
  beforeAll(async () => {
    // Buckets far below Azure's, so the run has to pace itself: the 10 accounts of a subscription make
    // ~140 writes (at 20/s: 7 s at least) and ~650 reads.
    emu = await startTestEmulator({ scenario: fleet.scenario, throttling: { reads: { bucket: 100, refillPerSecond: 100 }, writes: { bucket: 10, refillPerSecond: 20 } } });
  });
  afterAll(() => emu.stop());

  it('converges every account from a CSV inventory with a clean summary, then a re-run writes nothing', async () => {
    // and a few 429s with Retry-After beside the token buckets, on writes the run cannot do without
    await emu.control('POST', 'faults', { method: 'PUT', path: '/privateEndpoints/', status: 429, retryAfter: 1, count: 3 });
    const inventory = file('fleet.csv', inventoryCsv(fleet.accounts));
    const run = await runCli(emu, 'setup', { inventory, yes: true, output: 'json' });
    expect(run.code, run.err.slice(-3000)).toBe(0);
    const doc = run.json();
    expect(doc.summary).toMatchObject({ accounts: 50, subscriptions: 5, converged: 50, unchanged: 0, planned: 0, failed: 0 });
    expect(doc.accounts.map((a: { id: string }) => a.id).sort()).toEqual(fleet.accounts.map((a) => a.id).sort());
    for (const a of doc.accounts) {
      expect(a.status, a.name).toBe('converged');
      expect(a.error, a.name).toBeUndefined();
      expect(a.validation, a.name).toEqual({ ok: true, failed: [] });
      expect(a.steps.every((s: { status: string }) => s.status === 'applied'), a.name).toBe(true);
      // each account's run is recorded in a journal of its own, which undo can take
      const journal = JSON.parse(readFileSync(a.journal.path, 'utf8'));
      expect(journal, a.name).toMatchObject({ id: a.journal.id, command: 'setup' });
      expect(journal.targets, a.name).toContain(a.id);
      expect(statSync(a.journal.path).mode & 0o777, a.name).toBe(0o600);
    }
    expect(new Set(doc.accounts.map((a: { journal: { id: string } }) => a.journal.id)).size).toBe(50);
    const log = await emu.armRequests();
    const throttled = log.filter((e) => e.status === 429).length;
    // The three injected ones at least; how many more the buckets answer depends on the machine's pace
    // (how well the run paces itself is the bench's row, not a timed test's), but the summary counts each.
    expect(throttled).toBeGreaterThanOrEqual(3);
    expect(doc.summary.throttled).toBe(throttled);
    // The run counts each write request it sends, every attempt (a 429 and its retry are two); the
    // emulator logs each one it answers, 429s included. Account by account (everything an account's
    // run writes is in its resource group), so a difference names the account and its writes.
    expect(doc.summary.writes).toBe(doc.armRequests.writes);
    const writes = log.filter((e) => e.method !== 'GET' && e.method !== 'HEAD');
    for (const a of doc.accounts) {
      const prefix = `/subscriptions/${a.subscriptionId}/resourceGroups/${a.resourceGroup}/`.toLowerCase();
      const answered = writes.filter((e) => e.path.toLowerCase().startsWith(prefix));
      expect(answered.length, `${a.name}: the writes the run counted vs those the emulator answered: ${answered.map((e) => `${e.method} ${e.path} → ${e.status}`).join(', ')}`).toBe(a.armRequests.writes);
    }
    expect(writes.length, 'the writes the run counted in all, answered by the emulator').toBe(doc.summary.writes);
    // and each write the journals record was answered once with success: the attempts beyond them are the 429s
    const journaled: { status?: number }[] = doc.accounts.flatMap((a: { journal: { path: string } }) => JSON.parse(readFileSync(a.journal.path, 'utf8')).writes);
    expect(journaled.every((w) => w.status !== undefined && w.status >= 200 && w.status < 300)).toBe(true);
    expect(writes.filter((e) => e.status >= 200 && e.status < 300).length).toBe(journaled.length);
    expect(writes.length - journaled.length).toBe(throttled);
    await expectConverged(emu, fleet);

    await emu.clearLog();
    const again = await runCli(emu, 'setup', { inventory, yes: true, output: 'json' });
    expect(again.code, again.err.slice(-2000)).toBe(0);
    expect(again.json().summary).toMatchObject({ accounts: 50, unchanged: 50, failed: 0, writes: 0 });
    expect(writesIn(await emu.armRequests())).toBe(0);
  }, 300_000);
});

describe('setup --inventory, one account failing', () => {
  it('a missing permission fails that account at its preflight, a persistent fault fails another at its step; the rest converge and the run exits 1', async () => {
    const fleet = fleetScenario({ subscriptions: 2, accountsPerSubscription: 3 });
    // In the second subscription the caller is Owner of each account's resource group but only Reader of the second's.
    const sub2 = fleet.accounts[1].subscriptionId;
    const inSub2 = fleet.accounts.filter((x) => x.subscriptionId === sub2);
    expect(inSub2).toHaveLength(3);
    const denied = inSub2[1];
    fleet.scenario.roleAssignments = fleet.scenario.roleAssignments!.filter((r) => r.scope !== `/subscriptions/${sub2}` || r.principalId !== DEMO.owner.objectId);
    for (const a of inSub2) {
      fleet.scenario.roleAssignments.push({ scope: `/subscriptions/${sub2}/resourceGroups/${a.resourceGroup}`, principalId: DEMO.owner.objectId, roleName: a === denied ? 'Reader' : 'Owner' });
    }
    const faulted = fleet.accounts[0];
    expect(faulted.subscriptionId).not.toBe(sub2);
    const emu = await startTestEmulator({ scenario: fleet.scenario });
    try {
      await emu.control('POST', 'faults', { method: 'PUT', path: `${faulted.resourceGroup}/providers/Microsoft.Network/privateEndpoints/`.replace(/^/, `${faulted.subscriptionId}/resourceGroups/`), status: 400, code: 'InvalidRequestFormat', message: 'Injected persistent fault.' });
      const run = await runCli(emu, 'setup', { inventory: file('two.json', inventoryJson(fleet.accounts)), yes: true, output: 'json' });
      expect(run.code).toBe(1);
      const doc = run.json();
      expect(doc.summary).toMatchObject({ accounts: 6, converged: 4, failed: 2 });
      const byId = new Map(doc.accounts.map((a: { id: string }) => [a.id, a]));
      expect(byId.get(denied.id)).toMatchObject({ status: 'failed', failedAt: 'preflight', error: { code: 'AuthorizationFailed' }, armRequests: { writes: 0 } });
      expect((byId.get(denied.id) as any).error.fix).toMatch(/roles/);
      expect(byId.get(faulted.id)).toMatchObject({ status: 'failed', failedAt: 'apply' });
      expect((byId.get(faulted.id) as any).steps.find((s: { id: string }) => s.id === 'private-endpoint').status).toBe('failed');
      // nothing was written for the account whose permissions were missing
      const log = await emu.armRequests();
      expect(log.filter((e) => e.method !== 'GET' && e.path.toLowerCase().includes(`/resourcegroups/${denied.resourceGroup}/`) && e.path.includes(sub2))).toHaveLength(0);
      await expectConverged(emu, { ...fleet, accounts: fleet.accounts.filter((a) => a !== denied && a !== faulted) });

      // the text summary names each failure with its code and fix
      const text = await runCli(emu, 'setup', { inventory: file('two.json', inventoryJson(fleet.accounts)), yes: true });
      expect(text.code).toBe(1);
      expect(text.out).toMatch(new RegExp(`✗ ${denied.name} .*failed.*failed at preflight`));
      expect(text.out).toMatch(new RegExp(`${denied.name}: AuthorizationFailed`));
      expect(text.out).toMatch(/Fix: /);
      expect(text.out).toMatch(/6 account\(s\) in 2 subscription\(s\): 0 converged, 4 unchanged, 0 planned, 2 failed/);
    } finally {
      await emu.stop();
    }
  });
});

describe('setup --inventory, accounts sharing one VNet', () => {
  it('puts every account\'s endpoints in the one subnet the rows name, side by side, and a re-run writes nothing', async () => {
    const fleet = fleetScenario({ subscriptions: 1, accountsPerSubscription: 4 });
    const shared = fleet.accounts[0].subnet;
    const emu = await startTestEmulator({ scenario: fleet.scenario });
    try {
      const inventory = file('shared.csv', inventoryCsv(fleet.accounts.map((a) => ({ ...a, subnet: shared }))));
      const run = await runCli(emu, 'setup', { inventory, yes: true, output: 'json' });
      expect(run.code, run.err.slice(-2000)).toBe(0);
      expect(run.json().summary).toMatchObject({ accounts: 4, converged: 4, failed: 0 });
      const state = await stateOf(emu);
      const endpoints = state.resources.filter((r) => r.type === 'Microsoft.Network/privateEndpoints');
      expect(endpoints).toHaveLength(8);
      for (const pe of endpoints) expect(pe.properties.subnet.id.toLowerCase()).toBe(shared.toLowerCase());
      // one zone of each name, linked once to the shared VNet
      expect(state.resources.filter((r) => r.type === 'Microsoft.Network/privateDnsZones').map((z) => z.name).sort()).toEqual(['privatelink.blob.core.windows.net', 'privatelink.cognitiveservices.azure.com']);
      expect(state.resources.filter((r) => r.type === 'Microsoft.Network/privateDnsZones/virtualNetworkLinks')).toHaveLength(2);
      const again = await runCli(emu, 'setup', { inventory, yes: true, output: 'json' });
      expect(again.json().summary).toMatchObject({ unchanged: 4, writes: 0 });
    } finally {
      await emu.stop();
    }
  });
});

describe('setup --inventory, plans and confirmations', () => {
  const fleet = fleetScenario({ subscriptions: 2, accountsPerSubscription: 2 });
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator({ scenario: fleet.scenario });
  });
  afterAll(() => emu.stop());

  it('a JSON inventory without subnets takes --vnet/--subnet by name per account; --dry-run --detailed-exitcode exits 4 writing nothing; --non-interactive without --yes is refused; interactive asks once', async () => {
    const inventory = file('no-subnet.json', inventoryJson(fleet.accounts, { withSubnet: false }));
    const network = { vnet: FLEET_VNET, subnet: DEMO.subnet };
    await emu.clearLog();
    const dry = await runCli(emu, 'setup', { inventory, ...network, dryRun: true, detailedExitcode: true, output: 'json' });
    expect(dry.code).toBe(4);
    expect(dry.json()).toMatchObject({ dryRun: true, summary: { planned: 4, failed: 0, writes: 0 } });
    expect(dry.err).toMatch(/Plan: 56 change\(s\) on 4 of 4 account\(s\)/);
    const refused = await runCli(emu, 'setup', { inventory, ...network });
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/needs confirmation for 12 change\(s\) on 4 account\(s\)/);
    expect(writesIn(await emu.armRequests())).toBe(0);

    const host = new TestHost(true, { apply: true });
    const asked = await runCli(emu, 'setup', { inventory, ...network }, { host });
    expect(asked.code, asked.err.slice(-2000)).toBe(0);
    expect(host.asked.map((q) => q.id)).toEqual(['apply']);
    expect(host.asked[0].message).toMatch(/Apply these 56 change\(s\) to 4 account\(s\), 12 of them/);
    expect(host.asked[0].default).toBe(false);
    await expectConverged(emu, fleet);
    const converged = await runCli(emu, 'setup', { inventory, ...network, dryRun: true, detailedExitcode: true });
    expect(converged.code).toBe(0);
  });
});

describe('setup --inventory, bad inventories', () => {
  const fleet = fleetScenario({ subscriptions: 1, accountsPerSubscription: 2 });
  const [a, b] = fleet.accounts;
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator({ scenario: fleet.scenario });
  });
  afterAll(() => emu.stop());

  const header = 'id,name,subscriptionId,resourceGroup,kind,location,storage,subnet,ok,failed';
  const row = (x: typeof a, over: Partial<Record<'id' | 'storage' | 'subnet', string>> = {}) => [over.id ?? x.id, x.name, x.subscriptionId, x.resourceGroup, 'FormRecognizer', 'eastus', over.storage ?? x.storage, over.subnet ?? x.subnet, 'false', ''].join(',');
  const cases: [string, string, Record<string, unknown>, RegExp][] = [
    ['a CSV header without the storage column', 'id,subnet\n' + `${a.id},${a.subnet}\n`, {}, /bad\.csv:1: the CSV header has no 'storage' column/],
    ['a row without its storage', [header, row(a), row(b, { storage: '' })].join('\n'), {}, /bad\.csv:3: column 7 'storage': missing/],
    ['a row whose id is not an account id', [header, row(a, { id: '/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/z' })].join('\n'), {}, /bad\.csv:2: column 1 'id': .* is not a Microsoft\.CognitiveServices\/accounts resource id/],
    ['a row without a subnet and no --vnet/--subnet', [header, row(a, { subnet: '' })].join('\n'), {}, /bad\.csv:2: column 8 'subnet': empty, and no --vnet and --subnet/],
    ['an account listed twice', [header, row(a), row(b), row(a)].join('\n'), {}, /bad\.csv:4: column 1 'id': account .* is listed twice \(also at .*bad\.csv:2\)/],
    ['a quoted field left open', [header, `"${a.id},x`].join('\n'), {}, /bad\.csv:2: a quoted field is not closed/],
    ['JSON that does not parse', '{\n  "accounts": [\n    { "id": "x", }\n  ]\n}\n', {}, /bad\.csv:3:\d+: not valid JSON/],
    ['JSON without accounts', '{ "value": [] }', {}, /bad\.csv:1: the JSON has no "accounts" array/],
    ['a JSON account without its storage', inventoryJson(fleet.accounts).replace(`"storage": "${b.storage}"`, '"storage": null'), {}, /bad\.csv:\d+: accounts\[1\]\.storage: missing/],
    ['neither JSON nor CSV', 'hello\nworld\n', {}, /bad\.csv:1: neither JSON nor a CSV with a header line/],
    ['an empty file', '', {}, /lists no account/],
    ['--docintel beside --inventory', [header, row(a)].join('\n'), { docintel: a.id }, /--docintel cannot be given with it/],
    // each account's run has its own journal: one file cannot hold them
    ['--journal beside --inventory', [header, row(a)].join('\n'), { journal: join(tmpdir(), 'one.json') }, /--journal cannot be given with it/],
    ['--concurrency that is not a count', [header, row(a)].join('\n'), { concurrency: '0' }, /--concurrency '0' is not a whole number/],
  ];
  it.each(cases)('%s: exit 2 naming file, line and column, nothing written', async (_name, text, extra, message) => {
    await emu.clearLog();
    const inventory = file('bad.csv', text);
    const run = await runCli(emu, 'setup', { inventory, yes: true, ...extra });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(run.err).toMatch(/Fix: /);
    expect(await emu.armRequests()).toHaveLength(0);
  });

  it('an unreadable file: exit 2 naming it, in JSON mode the error document', async () => {
    const run = await runCli(emu, 'setup', { inventory: join(dir, 'missing.csv'), yes: true, output: 'json' });
    expect(run.code).toBe(2);
    expect(run.json().error).toMatchObject({ code: 'BadInput', message: expect.stringMatching(/Cannot read the inventory '.*missing\.csv': ENOENT/) });
  });
});
