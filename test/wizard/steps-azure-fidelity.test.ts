/**
 * private-endpoint against the emulator's Azure behaviours (issue 10): an operation that ends with a
 * transient code is sent again within bounds; one that ends Failed is repaired by the next run; a
 * zone of the right name already linked to the VNet (a hub) is reused, never a second one made; the
 * account's networkAcls are written whole, keeping what was there.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { runCli, DEMO_TARGETS } from '../support/cli.js';
import { demoScenario, type Scenario } from '../../packages/arm-emulator/src/index.js';

const SUB = `/subscriptions/${DEMO.subscriptionId}`;
const RG = `${SUB}/resourceGroups/${DEMO.resourceGroup}`;
const ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}`;
const VNET = `${RG}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}`;
const ACCOUNT_ZONE = 'privatelink.cognitiveservices.azure.com';
const ENV = { SECURE_DOCINTEL_RETRY_DELAY_MS: '10' };
const yes = { ...DEMO_TARGETS, yes: true };

function scenario(): Scenario {
  const s = demoScenario();
  s.resources.push({ id: `${SUB}/resourceGroups/rg-hub`, name: 'rg-hub', type: 'Microsoft.Resources/resourceGroups', location: DEMO.location, properties: { provisioningState: 'Succeeded' } });
  return s;
}

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator({ scenario: scenario() });
});
afterAll(async () => emu.stop());
beforeEach(async () => {
  await emu.control('POST', 'reset');
});

async function state(): Promise<any[]> {
  return (await emu.control('GET', 'state')).resources;
}
const ofType = (rs: any[], type: string) => rs.filter((r) => String(r.type).toLowerCase() === type.toLowerCase());
const byId = (rs: any[], id: string) => rs.find((r) => String(r.id).toLowerCase() === id.toLowerCase());

describe('failed and transient operations', () => {
  for (const code of ['RetryableError', 'StorageAccountOperationInProgress']) {
    it(`an endpoint operation ending ${code} is sent again and the run succeeds`, async () => {
      await emu.control('POST', 'faults', { method: 'PUT', path: '/privateEndpoints/pe-stdocinteldemo-blob$', lroFail: true, count: 1, code, message: 'Try again.' });
      const run = await runCli(emu, 'private-endpoint', yes, { env: ENV });
      expect(run.code, run.err).toBe(0);
      const pes = ofType(await state(), 'Microsoft.Network/privateEndpoints');
      expect(pes.map((p) => p.properties.provisioningState)).toEqual(['Succeeded', 'Succeeded']);
    });
  }

  it('an endpoint whose operation ended Failed leaves the account as it was, and the next run repairs it', async () => {
    await emu.control('POST', 'faults', { method: 'PUT', path: '/privateEndpoints/pe-docintel-demo-account$', lroFail: true, count: 1, code: 'InternalServerError', message: 'Something failed.' });
    const first = await runCli(emu, 'private-endpoint', yes, { env: ENV });
    expect(first.code).toBe(1);
    let rs = await state();
    expect(byId(rs, `${RG}/providers/Microsoft.Network/privateEndpoints/pe-docintel-demo-account`).properties.provisioningState).toBe('Failed');
    expect(byId(rs, ACCOUNT).properties.networkAcls?.defaultAction ?? 'Allow').toBe('Allow');

    const again = await runCli(emu, 'private-endpoint', { ...yes, output: 'json' }, { env: ENV });
    expect(again.code, again.err).toBe(0);
    const change = again.json().steps.find((s: any) => s.id === 'private-endpoint').changes.find((c: any) => c.resourceId.endsWith('/pe-docintel-demo-account') && c.property === 'provisioningState');
    expect(change).toMatchObject({ action: 'update', before: 'Failed', after: 'Succeeded' });
    rs = await state();
    const pe = byId(rs, `${RG}/providers/Microsoft.Network/privateEndpoints/pe-docintel-demo-account`);
    expect(pe.properties.provisioningState).toBe('Succeeded');
    expect(ofType(rs, 'Microsoft.Network/networkInterfaces')).toHaveLength(2);
    expect(byId(rs, ACCOUNT).properties.networkAcls.defaultAction).toBe('Deny');
  });
});

describe('a hub zone already linked to the VNet', () => {
  it('is reused: no second zone of that name, the zone group and A record use the hub zone', async () => {
    const dns = new PrivateDnsManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    await dns.privateZones.beginCreateOrUpdateAndWait('rg-hub', ACCOUNT_ZONE, { location: 'global' });
    await dns.virtualNetworkLinks.beginCreateOrUpdateAndWait('rg-hub', ACCOUNT_ZONE, 'spoke', { location: 'global', virtualNetwork: { id: VNET }, registrationEnabled: false });

    const run = await runCli(emu, 'private-endpoint', yes, { env: ENV });
    expect(run.code, run.err).toBe(0);
    const rs = await state();
    const zones = ofType(rs, 'Microsoft.Network/privateDnsZones').filter((z) => z.name === ACCOUNT_ZONE);
    expect(zones.map((z) => z.id)).toEqual([`${SUB}/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/${ACCOUNT_ZONE}`]);
    const group = byId(rs, `${RG}/providers/Microsoft.Network/privateEndpoints/pe-docintel-demo-account/privateDnsZoneGroups/default`);
    expect(group.properties.privateDnsZoneConfigs[0].properties.privateDnsZoneId.toLowerCase()).toBe(zones[0].id.toLowerCase());
    expect(byId(rs, `${zones[0].id}/A/${DEMO.account}`)).toBeDefined();

    await emu.clearLog();
    const again = await runCli(emu, 'private-endpoint', yes, { env: ENV });
    expect(again.code).toBe(0);
    expect((await emu.armRequests()).filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe("the account's networkAcls", () => {
  it('are written whole: bypass, IP and VNet rules already there are kept', async () => {
    const account = byId(await state(), ACCOUNT);
    account.properties.customSubDomainName = DEMO.account;
    account.properties.networkAcls = { defaultAction: 'Allow', bypass: 'AzureServices', ipRules: [{ value: '198.51.100.9' }], virtualNetworkRules: [] };
    await emu.control('PUT', 'state', { resources: [account] });
    const run = await runCli(emu, 'private-endpoint', { ...yes, allowIp: ['198.51.100.20'] }, { env: ENV });
    expect(run.code, run.err).toBe(0);
    const acls = byId(await state(), ACCOUNT).properties.networkAcls;
    expect(acls.defaultAction).toBe('Deny');
    expect(acls.bypass).toBe('AzureServices');
    expect(acls.ipRules.map((r: { value: string }) => r.value)).toEqual(['198.51.100.9', '198.51.100.20']);
  });
});
