import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { ResourceManagementClient } from '@azure/arm-resources';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { resetEmulator } from '../support/emulator-fixtures.js';

const zoneName = 'privatelink.cognitiveservices.azure.com';
const vnetId = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}`;

let emu: TestEmulator;
let dns: PrivateDnsManagementClient;
const exchanges: { kind: string; method: string; path: string; status: number; responseBody?: any; responseHeaders: Record<string, string> }[] = [];
beforeAll(async () => {
  emu = await startTestEmulator({ onExchange: (x) => exchanges.push(x as never) });
  dns = new PrivateDnsManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
});
afterAll(async () => emu.stop());
// every test starts from the demo scenario: no zones, no links
beforeEach(async () => resetEmulator(emu));

/** The zone in the demo resource group, made as a test's own set-up. */
const createZone = (name = zoneName) => dns.privateZones.beginCreateOrUpdateAndWait(DEMO.resourceGroup, name, { location: 'global' });
/** The zone, linked to the demo virtual network as 'link-demo'. */
async function createLinkedZone(name = zoneName) {
  await createZone(name);
  return dns.virtualNetworkLinks.beginCreateOrUpdateAndWait(DEMO.resourceGroup, name, 'link-demo', { location: 'global', virtualNetwork: { id: vnetId }, registrationEnabled: false });
}

describe('private DNS zones', () => {
  it('creates a zone with 202, Location and Azure-AsyncOperation, and an SOA record set', async () => {
    await emu.clearLog();
    const zone = await dns.privateZones.beginCreateOrUpdateAndWait(DEMO.resourceGroup, zoneName, { location: 'global' });
    expect(zone).toMatchObject({ location: 'global', provisioningState: 'Succeeded', numberOfRecordSets: 1, numberOfVirtualNetworkLinks: 0 });
    const put = (await emu.armRequests()).find((r) => r.method === 'PUT')!;
    expect([put.status, put.apiVersion]).toEqual([202, '2020-06-01']);
    const all = [];
    for await (const r of dns.recordSets.list(DEMO.resourceGroup, zoneName)) all.push(r);
    expect(all.map((r) => [r.type, r.name])).toEqual([['Microsoft.Network/privateDnsZones/SOA', '@']]);
  });

  // Azure CLI recording test_network_private_endpoint_private_dns_zone_group.yaml (2021): a privateDnsOperationStatuses
  // poll answers 202 {"status":"InProgress"} with Azure-AsyncOperation and Location while running, then 200 Succeeded.
  it('answers operation status polls 202 InProgress with both headers until the operation is done', async () => {
    const start = exchanges.length;
    const statusPolls = () => exchanges.slice(start).filter((x) => x.kind === 'poll' && /\/privateDnsOperationStatuses\//i.test(x.path));
    await emu.control('POST', 'faults', { lroDelayMs: 60_000 });
    try {
      const poller = await dns.privateZones.beginCreateOrUpdate(DEMO.resourceGroup, 'privatelink.queue.core.windows.net', { location: 'global' });
      await poller.poll();
      poller.stopPolling();
    } finally {
      await emu.control('POST', 'faults', { lroDelayMs: 0 });
    }
    const running = statusPolls()[0];
    expect(running.status).toBe(202);
    expect(running.responseBody.status).toBe('InProgress');
    expect(running.responseHeaders['azure-asyncoperation']).toContain(running.path);
    expect(running.responseHeaders.location).toContain(running.path.replace('privateDnsOperationStatuses', 'privateDnsOperationResults'));
    const later = Date.now() + 120_000;
    emu.context.now = () => later;
    try {
      const zone = await dns.privateZones.get(DEMO.resourceGroup, 'privatelink.queue.core.windows.net');
      expect(zone.provisioningState).toBe('Succeeded');
      await dns.privateZones.beginDeleteAndWait(DEMO.resourceGroup, 'privatelink.queue.core.windows.net');
    } finally {
      emu.context.now = Date.now;
    }
    const done = statusPolls().pop()!;
    expect([done.status, done.responseBody.status]).toEqual([200, 'Succeeded']);
  });

  it('accepts only the global location', async () => {
    await expect(dns.privateZones.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'privatelink.vaultcore.azure.net', { location: 'eastus' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'LocationNotAvailableForResourceType',
    });
  });

  it('answers If-None-Match: * on an existing zone with 412', async () => {
    await createZone();
    await expect(dns.privateZones.beginCreateOrUpdateAndWait(DEMO.resourceGroup, zoneName, { location: 'global' }, { ifNoneMatch: '*' })).rejects.toMatchObject({
      statusCode: 412,
      code: 'PreconditionFailed',
    });
  });

  it('links a virtual network once, Completed, and refuses a second link to it', async () => {
    await createZone();
    const link = await dns.virtualNetworkLinks.beginCreateOrUpdateAndWait(DEMO.resourceGroup, zoneName, 'link-demo', { location: 'global', virtualNetwork: { id: vnetId }, registrationEnabled: false });
    expect(link).toMatchObject({ virtualNetworkLinkState: 'Completed', provisioningState: 'Succeeded', registrationEnabled: false });
    await expect(
      dns.virtualNetworkLinks.beginCreateOrUpdateAndWait(DEMO.resourceGroup, zoneName, 'link-again', { location: 'global', virtualNetwork: { id: vnetId } }),
    ).rejects.toMatchObject({ statusCode: 409, code: 'Conflict' });
    expect((await dns.privateZones.get(DEMO.resourceGroup, zoneName)).numberOfVirtualNetworkLinks).toBe(1);
  });

  // Hub and spoke: the network is already linked to a zone of this name (made first), so a second zone of the same
  // name cannot be linked to it. Evidence: ARO-RP#796 (terminal provisioning state 'Failed', BadRequest),
  // MicrosoftDocs/azure-aks-docs#212, Private Link FAQ ("multiple zones with the same name for a single virtual network").
  it('fails the link of a second zone of the same name to the network with BadRequest (overlapping namespaces)', async () => {
    await createLinkedZone();
    await new ResourceManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions).resourceGroups.createOrUpdate('rg-spoke-dns', { location: DEMO.location });
    await dns.privateZones.beginCreateOrUpdateAndWait('rg-spoke-dns', zoneName, { location: 'global' });
    const failure = await dns.virtualNetworkLinks
      .beginCreateOrUpdateAndWait('rg-spoke-dns', zoneName, 'link-spoke', { location: 'global', virtualNetwork: { id: vnetId } })
      .catch((e: Error) => e);
    expect(String(failure)).toContain(
      `BadRequest. A virtual network cannot be linked to multiple zones with overlapping namespaces. You tried to link virtual network with '${zoneName}' and '${zoneName}' zones.`,
    );
    expect(await dns.virtualNetworkLinks.get('rg-spoke-dns', zoneName, 'link-spoke')).toMatchObject({ provisioningState: 'Failed' });
    await dns.virtualNetworkLinks.beginDeleteAndWait('rg-spoke-dns', zoneName, 'link-spoke');
    await dns.privateZones.beginDeleteAndWait('rg-spoke-dns', zoneName);
  });

  it('refuses to delete a zone while it has virtual network links', async () => {
    await createLinkedZone();
    await expect(dns.privateZones.beginDeleteAndWait(DEMO.resourceGroup, zoneName)).rejects.toMatchObject({ statusCode: 409 });
    expect((await dns.privateZones.get(DEMO.resourceGroup, zoneName)).numberOfVirtualNetworkLinks).toBe(1);
  });

  it('writes A record sets synchronously: 201 then 200, one per name', async () => {
    await createZone();
    await emu.clearLog();
    await dns.recordSets.createOrUpdate(DEMO.resourceGroup, zoneName, 'A', 'docintel-demo', { ttl: 10, aRecords: [{ ipv4Address: '10.10.1.4' }] });
    const rs = await dns.recordSets.createOrUpdate(DEMO.resourceGroup, zoneName, 'A', 'docintel-demo', { ttl: 10, aRecords: [{ ipv4Address: '10.10.1.5' }] });
    expect(rs).toMatchObject({ name: 'docintel-demo', fqdn: `docintel-demo.${zoneName}.`, aRecords: [{ ipv4Address: '10.10.1.5' }] });
    expect((await emu.armRequests()).map((r) => r.status)).toEqual([201, 200]);
    const aSets = [];
    for await (const r of dns.recordSets.listByType(DEMO.resourceGroup, zoneName, 'A')) aSets.push(r.name);
    expect(aSets).toEqual(['docintel-demo']);
  });

  it('rejects the Reader with AuthorizationFailed', async () => {
    const reader = new PrivateDnsManagementClient(emu.reader, DEMO.subscriptionId, emu.clientOptions);
    await expect(reader.privateZones.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'privatelink.file.core.windows.net', { location: 'global' })).rejects.toMatchObject({
      statusCode: 403,
      code: 'AuthorizationFailed',
    });
  });
});
