/**
 * Make before break in `private-endpoint`: whatever write fails, the account's network settings
 * (networkAcls, publicNetworkAccess) are as they were before the run — the restriction is written
 * only once the private path works. And the reviewer's repro: a caller with Cognitive Services
 * Contributor but no Network Contributor is told everything it lacks at once, and nothing is written.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { runCli, DEMO_TARGETS } from '../support/cli.js';
import { demoScenario, type Scenario } from '../../packages/arm-emulator/src/index.js';
import { ACCOUNT_ID, RG, find, stateOf } from './support.js';

const ACCOUNT_ADMIN = { clientId: '5b5b5b5b-0000-4000-8000-00000000000a', objectId: '5b5b5b5b-0000-4000-8000-00000000000b', secret: 'account-admin-secret' };

function scenario(): Scenario {
  const s = demoScenario();
  s.principals.push({ objectId: ACCOUNT_ADMIN.objectId, appId: ACCOUNT_ADMIN.clientId, displayName: 'account admin', type: 'ServicePrincipal', secret: ACCOUNT_ADMIN.secret });
  s.roleAssignments!.push(
    { scope: RG, principalId: ACCOUNT_ADMIN.objectId, roleName: 'Cognitive Services Contributor', principalType: 'ServicePrincipal' },
    { scope: `/subscriptions/${DEMO.subscriptionId}`, principalId: ACCOUNT_ADMIN.objectId, roleName: 'Reader', principalType: 'ServicePrincipal' },
  );
  return s;
}

const ENV = { SECURE_DOCINTEL_RETRY_DELAY_MS: '10' };
const args = { ...DEMO_TARGETS, yes: true };

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator({ scenario: scenario() });
});
afterAll(async () => emu.stop());

async function accountNetwork(): Promise<{ networkAcls: unknown; publicNetworkAccess: unknown }> {
  const account = find(await stateOf(emu), ACCOUNT_ID);
  return { networkAcls: account.properties.networkAcls ?? null, publicNetworkAccess: account.properties.publicNetworkAccess ?? null };
}

async function writesLogged(): Promise<{ method: string; path: string }[]> {
  return (await emu.armRequests()).filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
}

const escape = (p: string) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NET = `${RG}/providers/Microsoft.Network`;

/** The writes of a clean `private-endpoint` on the demo, in the order they start; the account restriction is last. */
const WRITES: { label: string; method: string; path: string; occurrence: number }[] = [
  { label: "subnet's endpoint network policies", method: 'PUT', path: `${NET}/virtualNetworks/vnet-demo/subnets/snet-pe`, occurrence: 1 },
  { label: 'account custom subdomain', method: 'PATCH', path: ACCOUNT_ID, occurrence: 1 },
  { label: 'account private endpoint', method: 'PUT', path: `${NET}/privateEndpoints/pe-docintel-demo-account`, occurrence: 1 },
  { label: 'blob private endpoint', method: 'PUT', path: `${NET}/privateEndpoints/pe-stdocinteldemo-blob`, occurrence: 1 },
  { label: 'account DNS zone', method: 'PUT', path: `${NET}/privateDnsZones/privatelink.cognitiveservices.azure.com`, occurrence: 1 },
  { label: 'blob DNS zone', method: 'PUT', path: `${NET}/privateDnsZones/privatelink.blob.core.windows.net`, occurrence: 1 },
  { label: 'account VNet link', method: 'PUT', path: `${NET}/privateDnsZones/privatelink.cognitiveservices.azure.com/virtualNetworkLinks/vnet-demo-link`, occurrence: 1 },
  { label: 'blob VNet link', method: 'PUT', path: `${NET}/privateDnsZones/privatelink.blob.core.windows.net/virtualNetworkLinks/vnet-demo-link`, occurrence: 1 },
  { label: 'account zone group', method: 'PUT', path: `${NET}/privateEndpoints/pe-docintel-demo-account/privateDnsZoneGroups/default`, occurrence: 1 },
  { label: 'blob zone group', method: 'PUT', path: `${NET}/privateEndpoints/pe-stdocinteldemo-blob/privateDnsZoneGroups/default`, occurrence: 1 },
  { label: 'account network restriction', method: 'PATCH', path: ACCOUNT_ID, occurrence: 2 },
];

describe('the writes private-endpoint makes', () => {
  it('are the ones faulted below, with the account restriction last', async () => {
    await emu.control('POST', 'reset');
    const run = await runCli(emu, 'private-endpoint', args, { env: ENV });
    expect(run.code, run.err).toBe(0);
    const seen = (await writesLogged()).map((w) => `${w.method} ${w.path}`.toLowerCase());
    expect(seen).toHaveLength(WRITES.length);
    const key = (w: { method: string; path: string }) => `${w.method} ${w.path}`.toLowerCase();
    for (const w of WRITES) expect(seen.filter((s) => s === key(w)).length, w.label).toBe(WRITES.filter((x) => key(x) === key(w)).length);
    expect(seen[seen.length - 1]).toBe(`PATCH ${ACCOUNT_ID}`.toLowerCase());
  });
});

describe('a failure at any write of private-endpoint', () => {
  it.each(WRITES)('$label: exit 1, and the account\'s networkAcls and publicNetworkAccess are as before the run', async (w) => {
    await emu.control('POST', 'reset');
    const before = await accountNetwork();
    const path = `^${escape(w.path)}$`;
    await emu.control('POST', 'faults', [
      ...Array.from({ length: w.occurrence - 1 }, () => ({ method: w.method, path, count: 1 })),
      { method: w.method, path, status: 500, code: 'InternalServerError', count: 1000 },
    ]);
    const run = await runCli(emu, 'private-endpoint', args, { env: ENV });
    expect(run.code, run.err).toBe(1);
    expect(run.err).toMatch(/run the same command again|safe to run again/);
    expect(await accountNetwork()).toEqual(before);
  });
});

describe('a caller with Cognitive Services Contributor but no Network Contributor', () => {
  it('is told every missing permission with its role in one message, exit 1, and nothing is written', async () => {
    await emu.control('POST', 'reset');
    await emu.clearLog();
    const before = await accountNetwork();
    const run = await runCli(emu, 'private-endpoint', args, {
      env: { ...ENV, AZURE_CLIENT_ID: ACCOUNT_ADMIN.clientId, AZURE_CLIENT_SECRET: ACCOUNT_ADMIN.secret },
    });
    expect(run.code, run.err).toBe(1);
    for (const action of [
      'Microsoft.Network/privateEndpoints/write',
      'Microsoft.Network/virtualNetworks/subnets/join/action',
      'Microsoft.Network/privateDnsZones/write',
      'Microsoft.Network/virtualNetworks/join/action',
      'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/write',
    ]) {
      expect(run.err, action).toContain(action);
    }
    expect(run.err).toMatch(/Network Contributor/);
    expect(run.err).toMatch(/Private DNS Zone Contributor/);
    expect(run.err.match(/^Error: /gm)).toHaveLength(1);
    expect(await writesLogged()).toEqual([]);
    expect(await accountNetwork()).toEqual(before);
    expect(find(await stateOf(emu), ACCOUNT_ID).properties.customSubDomainName ?? null).toBeNull();
  });
});
