/**
 * An Azure AI services (Foundry) account, kind AIServices, offers its private endpoints three host names
 * and three private DNS zones; the other kinds one. The endpoint's zone group writes one A record per zone.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import { NetworkManagementClient } from '@azure/arm-network';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';

const rg = DEMO.resourceGroup;
const rgId = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${rg}`;
const subnetId = `${rgId}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}/subnets/${DEMO.subnet}`;
const vnetId = `${rgId}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}`;
const FOUNDRY_ZONES = ['privatelink.cognitiveservices.azure.com', 'privatelink.openai.azure.com', 'privatelink.services.ai.azure.com'];

let emu: TestEmulator;
let cog: CognitiveServicesManagementClient;
beforeAll(async () => {
  emu = await startTestEmulator();
  cog = new CognitiveServicesManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
});
afterAll(async () => emu.stop());

const create = (name: string, kind: string, location = 'eastus') =>
  cog.accounts.beginCreateAndWait(rg, name, { location, kind, sku: { name: 'S0' }, properties: { customSubDomainName: name } });
const zonesOf = async (name: string) => (await cog.privateLinkResources.list(rg, name)).value?.find((g) => g.properties?.groupId === 'account')?.properties?.requiredZoneNames;

describe('private link resources by account kind', () => {
  it('an AIServices account advertises the cognitiveservices, openai and services.ai zones; FormRecognizer and CognitiveServices one', async () => {
    await create('foundry-one', 'AIServices');
    await create('di-multi', 'CognitiveServices');
    expect(await zonesOf('foundry-one')).toEqual(FOUNDRY_ZONES);
    expect(await zonesOf('di-multi')).toEqual(['privatelink.cognitiveservices.azure.com']);
    expect(await zonesOf(DEMO.account)).toEqual(['privatelink.cognitiveservices.azure.com']);
  });

  it('an AIServices account in a sovereign region advertises only its cognitiveservices zone', async () => {
    await create('foundry-gov', 'AIServices', 'usgovvirginia');
    expect(await zonesOf('foundry-gov')).toEqual(['privatelink.cognitiveservices.azure.us']);
  });

  it("an endpoint to an AIServices account holds its three host names on one address, and its zone group writes a record in each zone", async () => {
    await create('foundry-pe', 'AIServices');
    const net = new NetworkManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    const pe = await net.privateEndpoints.beginCreateOrUpdateAndWait(rg, 'pe-foundry', {
      location: 'eastus',
      subnet: { id: subnetId },
      privateLinkServiceConnections: [{ name: 'pe-foundry', privateLinkServiceId: `${rgId}/providers/Microsoft.CognitiveServices/accounts/foundry-pe`, groupIds: ['account'] }],
    });
    const fqdns = (pe.customDnsConfigs ?? []).map((c) => c.fqdn);
    expect(fqdns).toEqual(['foundry-pe.cognitiveservices.azure.com', 'foundry-pe.openai.azure.com', 'foundry-pe.services.ai.azure.com']);
    const ips = new Set((pe.customDnsConfigs ?? []).flatMap((c) => c.ipAddresses));
    expect(ips.size).toBe(1);
    const [ip] = [...ips];

    const dns = new PrivateDnsManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    for (const z of FOUNDRY_ZONES) {
      await dns.privateZones.beginCreateOrUpdateAndWait(rg, z, { location: 'global' });
      await dns.virtualNetworkLinks.beginCreateOrUpdateAndWait(rg, z, 'link', { location: 'global', virtualNetwork: { id: vnetId }, registrationEnabled: false });
    }
    const group = await net.privateDnsZoneGroups.beginCreateOrUpdateAndWait(rg, 'pe-foundry', 'default', {
      privateDnsZoneConfigs: FOUNDRY_ZONES.map((z) => ({ name: z.replace(/\./g, '-'), privateDnsZoneId: `${rgId}/providers/Microsoft.Network/privateDnsZones/${z}` })),
    });
    expect(group.privateDnsZoneConfigs?.map((c) => c.recordSets?.map((r) => [r.recordSetName, r.fqdn, r.ipAddresses]))).toEqual([
      [['foundry-pe', 'foundry-pe.privatelink.cognitiveservices.azure.com', [ip]]],
      [['foundry-pe', 'foundry-pe.privatelink.openai.azure.com', [ip]]],
      [['foundry-pe', 'foundry-pe.privatelink.services.ai.azure.com', [ip]]],
    ]);
    for (const z of FOUNDRY_ZONES) expect((await dns.recordSets.get(rg, z, 'A', 'foundry-pe')).aRecords).toEqual([{ ipv4Address: ip }]);
  });
});
