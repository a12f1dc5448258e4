/**
 * A private endpoint, VNet link or zone group whose operation ended Failed is repaired by re-sending the same
 * PUT, as on Azure; transient in-operation failures are injectable (`lroFail` with a code) or arise from two
 * endpoints made at once on one storage account (Azure/bicep-registry-modules#6001).
 */
import { describe, it, expect, beforeAll, afterAll, afterEach, beforeEach } from 'vitest';
import { NetworkManagementClient, type PrivateEndpoint } from '@azure/arm-network';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { resetEmulator } from '../support/emulator-fixtures.js';

const RG = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}`;
const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;
const SUBNET = `${RG}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}/subnets/${DEMO.subnet}`;
const VNET = `${RG}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}`;
const ZONE = 'privatelink.blob.core.windows.net';
const ZONE_ID = `${RG}/providers/Microsoft.Network/privateDnsZones/${ZONE}`;
const RETRYABLE = { code: 'RetryableError', message: 'A retryable error occurred.' };

let emu: TestEmulator;
let network: NetworkManagementClient;
let dns: PrivateDnsManagementClient;
beforeAll(async () => {
  emu = await startTestEmulator();
  network = new NetworkManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
  dns = new PrivateDnsManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
});
afterAll(async () => emu.stop());
// every test starts from the demo scenario: an empty subnet, no zones, no endpoints still being made
beforeEach(async () => resetEmulator(emu));
afterEach(async () => {
  await emu.control('DELETE', 'faults');
  await emu.control('POST', 'faults', { lroDelayMs: 0 });
  emu.context.now = Date.now;
});

const blobEndpoint = (): PrivateEndpoint => ({
  location: DEMO.location,
  subnet: { id: SUBNET },
  privateLinkServiceConnections: [{ name: 'blob', privateLinkServiceId: STORAGE, groupIds: ['blob'] }],
});

const connectionsTo = (peName: string) =>
  emu.context.state.children(STORAGE, 'privateEndpointConnections').filter((c) => String(c.properties.privateEndpoint.id).endsWith(`/privateEndpoints/${peName}`));

const createZone = () => dns.privateZones.beginCreateOrUpdateAndWait(DEMO.resourceGroup, ZONE, { location: 'global' });

async function failure(p: Promise<unknown>): Promise<string> {
  return p.then(() => 'no failure', (e: Error) => String(e));
}

describe('repair by re-sending the PUT', () => {
  it('a private endpoint whose operation ended Failed (RetryableError) works after the same PUT again', async () => {
    await emu.control('POST', 'faults', { method: 'PUT', path: '/privateEndpoints/pe-retry$', lroFail: true, count: 1, ...RETRYABLE });
    expect(await failure(network.privateEndpoints.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-retry', blobEndpoint()))).toContain('RetryableError');
    expect((await network.privateEndpoints.get(DEMO.resourceGroup, 'pe-retry')).provisioningState).toBe('Failed');

    const repaired = await network.privateEndpoints.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-retry', blobEndpoint());
    expect(repaired.provisioningState).toBe('Succeeded');
    expect(repaired.privateLinkServiceConnections![0].privateLinkServiceConnectionState!.status).toBe('Approved');
    expect(repaired.customDnsConfigs).toEqual([{ fqdn: `${DEMO.storage}.blob.core.windows.net`, ipAddresses: ['10.10.1.4'] }]);
    expect(repaired.networkInterfaces).toHaveLength(1);
    expect(connectionsTo('pe-retry')).toHaveLength(1);
    const nics = [];
    for await (const n of network.networkInterfaces.list(DEMO.resourceGroup)) nics.push(n);
    expect(nics.filter((n) => n.privateEndpoint?.id === repaired.id)).toHaveLength(1);
  });

  it('a zone group whose operation ended Failed writes its records after the same PUT again', async () => {
    const pe = await network.privateEndpoints.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-retry', blobEndpoint());
    expect(pe.customDnsConfigs![0].ipAddresses).toEqual(['10.10.1.4']);
    await createZone();
    const group = { privateDnsZoneConfigs: [{ name: 'blob', privateDnsZoneId: ZONE_ID }] };
    await emu.control('POST', 'faults', { method: 'PUT', path: '/privateDnsZoneGroups/default$', lroFail: true, count: 1, ...RETRYABLE });
    expect(await failure(network.privateDnsZoneGroups.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-retry', 'default', group))).toContain('RetryableError');
    expect((await network.privateDnsZoneGroups.get(DEMO.resourceGroup, 'pe-retry', 'default')).provisioningState).toBe('Failed');
    const repaired = await network.privateDnsZoneGroups.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-retry', 'default', group);
    expect(repaired.provisioningState).toBe('Succeeded');
    expect(repaired.privateDnsZoneConfigs![0].recordSets!.map((r) => [r.recordSetName, r.ipAddresses])).toEqual([[DEMO.storage, ['10.10.1.4']]]);
  });

  it('a virtual network link whose operation ended Failed is Completed after the same PUT again', async () => {
    await createZone();
    const link = { location: 'global', virtualNetwork: { id: VNET }, registrationEnabled: false };
    await emu.control('POST', 'faults', { method: 'PUT', path: '/virtualNetworkLinks/link-retry$', lroFail: true, count: 1, ...RETRYABLE });
    expect(await failure(dns.virtualNetworkLinks.beginCreateOrUpdateAndWait(DEMO.resourceGroup, ZONE, 'link-retry', link))).toContain('RetryableError');
    expect((await dns.virtualNetworkLinks.get(DEMO.resourceGroup, ZONE, 'link-retry')).provisioningState).toBe('Failed');
    const repaired = await dns.virtualNetworkLinks.beginCreateOrUpdateAndWait(DEMO.resourceGroup, ZONE, 'link-retry', link);
    expect(repaired).toMatchObject({ provisioningState: 'Succeeded', virtualNetworkLinkState: 'Completed' });
  });
});

describe('two private endpoints made at once on one storage account', () => {
  it('ends the second Failed with StorageAccountOperationInProgress, and the same PUT again repairs it', async () => {
    await emu.control('POST', 'faults', { lroDelayMs: 60_000 });
    await network.privateEndpoints.beginCreateOrUpdate(DEMO.resourceGroup, 'pe-first', blobEndpoint());
    await network.privateEndpoints.beginCreateOrUpdate(DEMO.resourceGroup, 'pe-second', blobEndpoint());
    await emu.control('POST', 'faults', { lroDelayMs: 0 });
    const later = Date.now() + 120_000;
    emu.context.now = () => later;

    expect((await network.privateEndpoints.get(DEMO.resourceGroup, 'pe-first')).provisioningState).toBe('Succeeded');
    const second = await network.privateEndpoints.get(DEMO.resourceGroup, 'pe-second');
    expect(second).toMatchObject({ provisioningState: 'Failed', networkInterfaces: [] });
    expect(connectionsTo('pe-second')).toHaveLength(0);

    const repaired = await network.privateEndpoints.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-second', blobEndpoint());
    expect(repaired.provisioningState).toBe('Succeeded');
    expect(connectionsTo('pe-second')).toHaveLength(1);
  });

  it('reports the failure on the operation status with Azure\'s code and message', async () => {
    await emu.control('POST', 'faults', { lroDelayMs: 60_000 });
    await network.privateEndpoints.beginCreateOrUpdate(DEMO.resourceGroup, 'pe-third', blobEndpoint());
    const poller = await network.privateEndpoints.beginCreateOrUpdate(DEMO.resourceGroup, 'pe-fourth', blobEndpoint());
    const later = Date.now() + 120_000;
    emu.context.now = () => later;
    expect(await failure(poller.pollUntilDone())).toContain(
      'StorageAccountOperationInProgress. Call to Microsoft.Storage/storageAccounts failed. Error message: An operation is currently performing on this storage account that requires exclusive access.',
    );
  });
});
