import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { ClientSecretCredential } from '@azure/identity';
import { NetworkManagementClient } from '@azure/arm-network';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { resetEmulator } from '../support/emulator-fixtures.js';
import { demoScenario } from '../../packages/arm-emulator/src/demo.js';

const rg = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}`;
const storageId = `${rg}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;
const subnetId = `${rg}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}/subnets/${DEMO.subnet}`;
const hubSubnetId = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe`;
const peWriter = { clientId: '55555555-5555-5555-5555-555555555555', objectId: '5a5a5a5a-5555-4555-8555-555555555555', secret: 'writer-secret' };
/** Network Contributor on the demo group: may make endpoints, may not approve connections on the storage account. */
const networkOnly = { clientId: '66666666-6666-4666-8666-666666666666', objectId: '6a6a6a6a-6666-4666-8666-666666666666', secret: 'network-secret' };

/** The demo plus a hub network in another resource group and a caller who is Contributor on the demo group only. */
function scenario() {
  const s = demoScenario();
  const vnetId = hubSubnetId.replace(/\/subnets\/.*$/, '');
  s.resources.push({
    id: vnetId,
    name: 'vnet-hub',
    type: 'Microsoft.Network/virtualNetworks',
    location: DEMO.location,
    properties: {
      provisioningState: 'Succeeded',
      addressSpace: { addressPrefixes: ['10.20.0.0/16'] },
      subnets: [{ name: 'snet-pe', id: hubSubnetId, type: 'Microsoft.Network/virtualNetworks/subnets', properties: { provisioningState: 'Succeeded', addressPrefix: '10.20.1.0/24', privateEndpointNetworkPolicies: 'Disabled' } }],
    },
  });
  s.principals.push({ objectId: peWriter.objectId, appId: peWriter.clientId, displayName: 'pe writer', type: 'ServicePrincipal', secret: peWriter.secret });
  s.roleAssignments!.push({ scope: rg, principalId: peWriter.objectId, roleName: 'Contributor' });
  s.principals.push({ objectId: networkOnly.objectId, appId: networkOnly.clientId, displayName: 'network only', type: 'ServicePrincipal', secret: networkOnly.secret });
  s.roleAssignments!.push({ scope: rg, principalId: networkOnly.objectId, roleName: 'Network Contributor' });
  return s;
}

let emu: TestEmulator;
let network: NetworkManagementClient;
let dns: PrivateDnsManagementClient;
beforeAll(async () => {
  emu = await startTestEmulator({ scenario: scenario() });
  network = new NetworkManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
  dns = new PrivateDnsManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
});
afterAll(async () => emu.stop());
// every test starts from this file's scenario: an empty demo subnet, no private endpoints, no zones
beforeEach(async () => resetEmulator(emu));

function clientAs(who: { clientId: string; secret: string }): NetworkManagementClient {
  const cred = new ClientSecretCredential(DEMO.tenantId, who.clientId, who.secret, { authorityHost: emu.url, disableInstanceDiscovery: true, tlsOptions: emu.clientOptions.tlsOptions } as never);
  return new NetworkManagementClient(cred, DEMO.subscriptionId, emu.clientOptions);
}

function blobEndpoint(manual = false) {
  const connection = { name: 'blob', privateLinkServiceId: storageId, groupIds: ['blob'], requestMessage: manual ? 'please approve' : undefined };
  return {
    location: DEMO.location,
    subnet: { id: subnetId },
    ...(manual ? { manualPrivateLinkServiceConnections: [connection] } : { privateLinkServiceConnections: [connection] }),
  };
}

/** The Owner's automatically approved endpoint to the blob service, in the demo subnet, as a test's own set-up. */
async function createBlobEndpoint(name = 'pe-blob') {
  const pe = await network.privateEndpoints.beginCreateOrUpdateAndWait(DEMO.resourceGroup, name, blobEndpoint());
  expect(pe.provisioningState).toBe('Succeeded');
  return pe;
}

describe('private endpoints', () => {
  it('answers 201 with Azure-AsyncOperation and Updating, then polls to Succeeded', async () => {
    await emu.clearLog();
    const pe = await network.privateEndpoints.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-blob', blobEndpoint());
    expect(pe.provisioningState).toBe('Succeeded');
    const log = await emu.control('GET', 'requests');
    const put = log.value.find((r: any) => r.method === 'PUT' && r.path.endsWith('/privateEndpoints/pe-blob'));
    expect(put.status).toBe(201);
    expect(put.apiVersion).toBe('2025-05-01');
    expect(log.value.some((r: any) => r.kind === 'poll' && /\/providers\/Microsoft.Network\/locations\/eastus\/operations\//.test(r.path))).toBe(true);
  });

  it('gives the NIC the next free IP of the subnet and exposes the host name in customDnsConfigs', async () => {
    await createBlobEndpoint();
    const pe = await network.privateEndpoints.get(DEMO.resourceGroup, 'pe-blob');
    const nicName = pe.networkInterfaces![0].id!.split('/').pop()!;
    expect(nicName).toMatch(/^pe-blob\.nic\.[0-9a-f-]{36}$/);
    const nic = await network.networkInterfaces.get(DEMO.resourceGroup, nicName);
    expect(nic.ipConfigurations![0].privateIPAddress).toBe('10.10.1.4');
    expect(nic.ipConfigurations![0].privateLinkConnectionProperties).toMatchObject({ groupId: 'blob', requiredMemberName: 'blob', fqdns: [`${DEMO.storage}.blob.core.windows.net`] });
    expect(pe.customDnsConfigs).toEqual([{ fqdn: `${DEMO.storage}.blob.core.windows.net`, ipAddresses: ['10.10.1.4'] }]);
    const subnet = await network.subnets.get(DEMO.resourceGroup, DEMO.vnet, DEMO.subnet);
    expect(subnet.privateEndpoints!.map((p) => p.id)).toContain(pe.id);
  });

  it('approves the Owner automatically and records the connection on the target', async () => {
    await createBlobEndpoint();
    const pe = await network.privateEndpoints.get(DEMO.resourceGroup, 'pe-blob');
    expect(pe.privateLinkServiceConnections![0].privateLinkServiceConnectionState).toMatchObject({ status: 'Approved', actionsRequired: 'None' });
    const conns = emu.context.state.children(storageId, 'privateEndpointConnections');
    expect(conns).toHaveLength(1);
    expect(conns[0].name).toMatch(/^pe-blob\.[0-9a-f-]{36}$/);
    expect(conns[0].type).toBe('Microsoft.Storage/storageAccounts/privateEndpointConnections');
    expect(conns[0].properties.privateEndpoint.id).toBe(pe.id);
  });

  it('leaves a manual request Pending, on the next IP, and shows a later approval on GET', async () => {
    expect((await createBlobEndpoint()).customDnsConfigs![0].ipAddresses).toEqual(['10.10.1.4']);
    const pe = await network.privateEndpoints.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-manual', blobEndpoint(true));
    expect(pe.privateLinkServiceConnections).toEqual([]);
    expect(pe.manualPrivateLinkServiceConnections![0].privateLinkServiceConnectionState!.status).toBe('Pending');
    expect(pe.customDnsConfigs![0].ipAddresses).toEqual(['10.10.1.5']);
    const conn = emu.context.state.children(storageId, 'privateEndpointConnections').find((c) => c.properties.privateEndpoint.id === pe.id)!;
    conn.properties.privateLinkServiceConnectionState.status = 'Approved';
    const again = await network.privateEndpoints.get(DEMO.resourceGroup, 'pe-manual');
    expect(again.manualPrivateLinkServiceConnections![0].privateLinkServiceConnectionState!.status).toBe('Approved');
  });

  it('refuses a caller without join on the subnet with LinkedAuthorizationFailed', async () => {
    const writer = new ClientSecretCredential(DEMO.tenantId, peWriter.clientId, peWriter.secret, { authorityHost: emu.url, disableInstanceDiscovery: true, tlsOptions: emu.clientOptions.tlsOptions } as never);
    const client = new NetworkManagementClient(writer, DEMO.subscriptionId, emu.clientOptions);
    const err = await client.privateEndpoints
      .beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-hub', { ...blobEndpoint(), subnet: { id: hubSubnetId } })
      .catch((e) => e);
    expect(err).toMatchObject({ statusCode: 403, code: 'LinkedAuthorizationFailed' });
    expect(err.message).toContain(`'Microsoft.Network/virtualNetworks/subnets/join/action' on the linked scope(s) '${hubSubnetId}'`);
  });

  // Azure/azure-sdk-for-go#14306: PrivateEndpointsClient#CreateOrUpdate answered 403 LinkedAuthorizationFailed naming
  // 'PrivateEndpointConnectionsApproval/action' on the target (also MicrosoftDocs/azure-docs#96892).
  it('refuses an automatic request at once when the caller cannot approve on the target, and makes nothing', async () => {
    const client = clientAs(networkOnly);
    const err = await client.privateEndpoints.beginCreateOrUpdate(DEMO.resourceGroup, 'pe-noapprove', blobEndpoint()).catch((e) => e);
    expect(err).toMatchObject({ statusCode: 403, code: 'LinkedAuthorizationFailed' });
    expect(err.message).toBe(
      `The client '${networkOnly.clientId}' with object id '${networkOnly.objectId}' has permission to perform action 'Microsoft.Network/privateEndpoints/write' on scope '${rg}/providers/Microsoft.Network/privateEndpoints/pe-noapprove'; however, it does not have permission to perform action 'PrivateEndpointConnectionsApproval/action' on the linked scope(s) '${storageId}' or the linked scope(s) are invalid.`,
    );
    await expect(network.privateEndpoints.get(DEMO.resourceGroup, 'pe-noapprove')).rejects.toMatchObject({ statusCode: 404 });
    expect(emu.context.state.children(storageId, 'privateEndpointConnections').some((c) => c.properties.privateEndpoint.id.endsWith('/pe-noapprove'))).toBe(false);
  });

  it('lets the same caller request a manual connection: Pending, with its request message on the target', async () => {
    const pe = await clientAs(networkOnly).privateEndpoints.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-askapproval', blobEndpoint(true));
    expect(pe.provisioningState).toBe('Succeeded');
    expect(pe.manualPrivateLinkServiceConnections![0]).toMatchObject({ requestMessage: 'please approve', privateLinkServiceConnectionState: { status: 'Pending', description: 'please approve' } });
    const conn = emu.context.state.children(storageId, 'privateEndpointConnections').find((c) => c.properties.privateEndpoint.id === pe.id)!;
    expect(conn.properties.privateLinkServiceConnectionState).toMatchObject({ status: 'Pending', description: 'please approve' });
    await network.privateEndpoints.beginDeleteAndWait(DEMO.resourceGroup, 'pe-askapproval');
  });

  it('names a missing subnet with InvalidResourceReference', async () => {
    await expect(
      network.privateEndpoints.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-nosubnet', { ...blobEndpoint(), subnet: { id: subnetId.replace('snet-pe', 'nope') } }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'InvalidResourceReference' });
  });

  it('refuses to delete a subnet a private endpoint uses', async () => {
    const pe = await createBlobEndpoint('pe-insubnet');
    await expect(network.subnets.beginDeleteAndWait(DEMO.resourceGroup, DEMO.vnet, DEMO.subnet)).rejects.toMatchObject({ code: 'InUseSubnetCannotBeDeleted' });
    expect((await network.subnets.get(DEMO.resourceGroup, DEMO.vnet, DEMO.subnet)).privateEndpoints!.map((p) => p.id)).toContain(pe.id);
  });

  // Azure CLI recording test_network_private_endpoint_private_dns_zone_group.yaml (2021): the PUT answer has
  // customDnsConfigs [] while the endpoint is Updating; the GET after the operation has the host name and address.
  it('answers the PUT with customDnsConfigs [] and fills them when the operation ends', async () => {
    await emu.control('POST', 'faults', { lroDelayMs: 60_000 });
    try {
      const poller = await network.privateEndpoints.beginCreateOrUpdate(DEMO.resourceGroup, 'pe-later', blobEndpoint(true));
      const answer = poller.getOperationState().result ?? (await network.privateEndpoints.get(DEMO.resourceGroup, 'pe-later'));
      expect(answer).toMatchObject({ provisioningState: 'Updating', customDnsConfigs: [] });
      const nic = await network.networkInterfaces.get(DEMO.resourceGroup, answer.networkInterfaces![0].id!.split('/').pop()!);
      expect(nic.ipConfigurations![0].privateIPAddress).toMatch(/^10\.10\.1\.\d+$/);
    } finally {
      await emu.control('POST', 'faults', { lroDelayMs: 0 });
    }
    const later = Date.now() + 120_000;
    emu.context.now = () => later;
    try {
      const done = await network.privateEndpoints.get(DEMO.resourceGroup, 'pe-later');
      expect(done.provisioningState).toBe('Succeeded');
      expect(done.customDnsConfigs).toEqual([{ fqdn: `${DEMO.storage}.blob.core.windows.net`, ipAddresses: [expect.stringMatching(/^10\.10\.1\.\d+$/)] }]);
      await network.privateEndpoints.beginDeleteAndWait(DEMO.resourceGroup, 'pe-later');
    } finally {
      // a failed assertion above must not leave the emulator's clock two minutes ahead for the tests after it
      emu.context.now = Date.now;
    }
  });
});

describe('private DNS zone groups', () => {
  const zoneName = 'privatelink.blob.core.windows.net';
  const zoneId = `${rg}/providers/Microsoft.Network/privateDnsZones/${zoneName}`;
  const group = { privateDnsZoneConfigs: [{ name: 'blob', privateDnsZoneId: zoneId }] };
  const createZone = () => dns.privateZones.beginCreateOrUpdateAndWait(DEMO.resourceGroup, zoneName, { location: 'global' });
  /** pe-blob with its zone group 'default' writing into the blob zone. */
  async function createEndpointWithZoneGroup() {
    const pe = await createBlobEndpoint();
    await createZone();
    await network.privateDnsZoneGroups.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-blob', 'default', group);
    return pe;
  }

  it('requires the zones to exist', async () => {
    await createBlobEndpoint();
    await expect(network.privateDnsZoneGroups.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-blob', 'default', group)).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidResourceReference',
    });
  });

  it('writes one A record per name into the zone and reports the record sets', async () => {
    await createBlobEndpoint();
    await createZone();
    await network.privateDnsZoneGroups.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-blob', 'default', group);
    const result = await network.privateDnsZoneGroups.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-blob', 'default', group);
    expect(result.privateDnsZoneConfigs![0].recordSets).toEqual([
      { recordType: 'A', recordSetName: DEMO.storage, fqdn: `${DEMO.storage}.${zoneName}`, ttl: 10, ipAddresses: ['10.10.1.4'], provisioningState: 'Succeeded' },
    ]);
    const records = [];
    for await (const r of dns.recordSets.listByType(DEMO.resourceGroup, zoneName, 'A')) records.push(r);
    expect(records.map((r) => [r.name, r.ttl, r.aRecords])).toEqual([[DEMO.storage, 10, [{ ipv4Address: '10.10.1.4' }]]]);
  });

  // docs private-endpoint-dns ("Adding multiple DNS zone groups to a single Private Endpoint is not supported").
  it('refuses a second zone group on the same private endpoint', async () => {
    await createEndpointWithZoneGroup();
    await expect(network.privateDnsZoneGroups.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-blob', 'second', group)).rejects.toMatchObject({
      statusCode: 400,
      code: 'MoreThanOnePrivateDnsZoneGroupPerPrivateEndpointNotAllowed',
      message: 'Cannot create more than one private dns zone groups in the private endpoint pe-blob.',
    });
    const groups = [];
    for await (const g of network.privateDnsZoneGroups.list('pe-blob', DEMO.resourceGroup)) groups.push(g.name);
    expect(groups).toEqual(['default']);
  });

  it('cleans up NIC, target connection and A records when the private endpoint is deleted', async () => {
    const pe = await createEndpointWithZoneGroup();
    // what the delete must take away is there first
    expect((await network.networkInterfaces.get(DEMO.resourceGroup, pe.networkInterfaces![0].id!.split('/').pop()!)).privateEndpoint?.id).toBe(pe.id);
    expect(emu.context.state.children(storageId, 'privateEndpointConnections').map((c) => c.properties.privateEndpoint.id)).toContain(pe.id);
    expect((await dns.recordSets.get(DEMO.resourceGroup, zoneName, 'A', DEMO.storage)).aRecords).toEqual([{ ipv4Address: '10.10.1.4' }]);
    await network.privateEndpoints.beginDeleteAndWait(DEMO.resourceGroup, 'pe-blob');
    await expect(network.privateEndpoints.get(DEMO.resourceGroup, 'pe-blob')).rejects.toMatchObject({ statusCode: 404 });
    await expect(network.networkInterfaces.get(DEMO.resourceGroup, pe.networkInterfaces![0].id!.split('/').pop()!)).rejects.toMatchObject({ statusCode: 404 });
    expect(emu.context.state.children(storageId, 'privateEndpointConnections').map((c) => c.properties.privateEndpoint.id)).not.toContain(pe.id);
    await expect(dns.recordSets.get(DEMO.resourceGroup, zoneName, 'A', DEMO.storage)).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('virtual networks and subnets', () => {
  it('rejects a subnet outside the address space and one that overlaps', async () => {
    await expect(network.subnets.beginCreateOrUpdateAndWait(DEMO.resourceGroup, DEMO.vnet, 'outside', { addressPrefix: '10.99.0.0/24' })).rejects.toMatchObject({
      code: 'NetcfgSubnetRangeOutsideVnet',
    });
    await expect(network.subnets.beginCreateOrUpdateAndWait(DEMO.resourceGroup, DEMO.vnet, 'overlap', { addressPrefix: '10.10.1.128/25' })).rejects.toMatchObject({
      code: 'NetcfgSubnetRangesOverlap',
    });
  });

  it('creates a subnet with its private endpoint network policy and embeds it in the network', async () => {
    const subnet = await network.subnets.beginCreateOrUpdateAndWait(DEMO.resourceGroup, DEMO.vnet, 'snet-apps', { addressPrefix: '10.10.2.0/24', privateEndpointNetworkPolicies: 'NetworkSecurityGroupEnabled' });
    expect(subnet).toMatchObject({ provisioningState: 'Succeeded', privateEndpointNetworkPolicies: 'NetworkSecurityGroupEnabled' });
    const vnet = await network.virtualNetworks.get(DEMO.resourceGroup, DEMO.vnet);
    expect(vnet.subnets!.map((s) => s.name)).toEqual([DEMO.subnet, 'snet-apps']);
  });

  it('creates a virtual network with 201 and deletes it with 202 and Location', async () => {
    await emu.clearLog();
    const vnet = await network.virtualNetworks.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'vnet-tmp', { location: DEMO.location, addressSpace: { addressPrefixes: ['10.30.0.0/16'] } });
    expect(vnet.provisioningState).toBe('Succeeded');
    await network.virtualNetworks.beginDeleteAndWait(DEMO.resourceGroup, 'vnet-tmp');
    const writes = (await emu.armRequests()).filter((r) => r.method !== 'GET').map((r) => [r.method, r.status]);
    expect(writes).toEqual([['PUT', 201], ['DELETE', 202]]);
    await expect(network.virtualNetworks.get(DEMO.resourceGroup, 'vnet-tmp')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
  });
});
