/**
 * The data planes resolve host names for a caller in a subnet the way Azure DNS does (packages/arm-emulator/src/dataplane/resolve.ts):
 * the private endpoint is reached only when a privatelink zone linked to the caller's VNet holds the name's A record
 * with the endpoint's address; otherwise the caller arrives publicly, from its VNet's egress address.
 * Everything is built through the official SDKs, as setup would build it.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { request } from 'node:https';
import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import { StorageManagementClient } from '@azure/arm-storage';
import { NetworkManagementClient } from '@azure/arm-network';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { resetEmulator } from '../support/emulator-fixtures.js';
import { SAMPLE_PDF_BASE64 } from '../../packages/arm-emulator/src/demo.js';
import { resolveHost, DEFAULT_VNET_EGRESS_IP } from '../../packages/arm-emulator/src/dataplane/resolve.js';

const RG = DEMO.resourceGroup;
const rgId = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${RG}`;
const accountId = `${rgId}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}`;
const storageId = `${rgId}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;
const vnetId = `${rgId}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}`;
const subnetId = `${vnetId}/subnets/${DEMO.subnet}`;
const SUB = 'docintel-dns';
const ACCOUNT_HOST = `${SUB}.cognitiveservices.azure.com`;
const BLOB_HOST = `${DEMO.storage}.blob.core.windows.net`;
const ACCOUNT_ZONE = 'privatelink.cognitiveservices.azure.com';
const BLOB_ZONE = 'privatelink.blob.core.windows.net';
const ANALYZE = '/documentintelligence/documentModels/prebuilt-read:analyze?api-version=2024-11-30';
const BLOB_PATH = `/${DEMO.container}/${DEMO.sampleBlob}`;
const ALLOWED_IP = '198.51.100.7';
const BLOB_DATA_READER = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1';
const IN_SUBNET = { 'x-emulator-source-subnet': subnetId };

let emu: TestEmulator;
let cog: CognitiveServicesManagementClient;
let network: NetworkManagementClient;
let dns: PrivateDnsManagementClient;
let key: string;
let storageToken: string;
const endpointIp: Record<'account' | 'blob', string> = { account: '', blob: '' };

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function send(host: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: emu.port, method, path, ca: emu.caCert, servername: host, checkServerIdentity: () => undefined, headers: { host, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Analyze then read the result: the result's status (200) when the account was reached, else the refusal. */
async function analyze(position: Record<string, string>): Promise<Reply> {
  const headers = { 'ocp-apim-subscription-key': key, 'content-type': 'application/json', ...position };
  const post = await send(ACCOUNT_HOST, 'POST', ANALYZE, headers, { base64Source: SAMPLE_PDF_BASE64 });
  if (post.status !== 202) return post;
  const location = new URL(String(post.headers['operation-location']));
  return send(ACCOUNT_HOST, 'GET', location.pathname + location.search, headers);
}

const readBlob = (position: Record<string, string>) =>
  send(BLOB_HOST, 'GET', BLOB_PATH, { authorization: `Bearer ${storageToken}`, 'x-ms-version': '2025-01-05', ...position });

/** An approved private endpoint (the owner may approve) in the demo subnet; its address. */
async function createEndpoint(name: string, targetId: string, groupId: string): Promise<string> {
  const pe = await network.privateEndpoints.beginCreateOrUpdateAndWait(RG, name, {
    location: DEMO.location,
    subnet: { id: subnetId },
    privateLinkServiceConnections: [{ name, privateLinkServiceId: targetId, groupIds: [groupId] }],
  });
  return pe.customDnsConfigs![0].ipAddresses![0];
}

/** The zone, and the endpoint's zone group writing its A record there. */
async function publishInZone(name: string, zoneName: string): Promise<void> {
  await dns.privateZones.beginCreateOrUpdateAndWait(RG, zoneName, { location: 'global' });
  await network.privateDnsZoneGroups.beginCreateOrUpdateAndWait(RG, name, 'default', {
    privateDnsZoneConfigs: [{ name: zoneName.replace(/\./g, '-'), privateDnsZoneId: `${rgId}/providers/Microsoft.Network/privateDnsZones/${zoneName}` }],
  });
}

const link = (zoneName: string) => dns.virtualNetworkLinks.beginCreateOrUpdateAndWait(RG, zoneName, 'link-demo', { location: 'global', virtualNetwork: { id: vnetId }, registrationEnabled: false });
const unlink = (zoneName: string) => dns.virtualNetworkLinks.beginDeleteAndWait(RG, zoneName, 'link-demo');
const linkResource = (zoneName: string) => emu.context.state.get(`${rgId}/providers/Microsoft.Network/privateDnsZones/${zoneName}/virtualNetworkLinks/link-demo`)!;
const setRecord = (zoneName: string, name: string, ip: string) => dns.recordSets.createOrUpdate(RG, zoneName, 'A', name, { ttl: 10, aRecords: [{ ipv4Address: ip }] });

let storage: StorageManagementClient;
beforeAll(async () => {
  emu = await startTestEmulator();
  const o = emu.clientOptions;
  cog = new CognitiveServicesManagementClient(emu.owner, DEMO.subscriptionId, o);
  storage = new StorageManagementClient(emu.owner, DEMO.subscriptionId, o as never);
  network = new NetworkManagementClient(emu.owner, DEMO.subscriptionId, o);
  dns = new PrivateDnsManagementClient(emu.owner, DEMO.subscriptionId, o);
});
afterAll(async () => emu.stop());

// Every test starts from the demo scenario with both firewalls set and the owner able to read blobs;
// the private endpoints and zones are each test's own (endpointsInSubnet, reachPrivately).
beforeEach(async () => {
  await resetEmulator(emu);
  endpointIp.account = endpointIp.blob = '';
  // Both firewalls deny by default and admit one public address.
  await cog.accounts.beginUpdateAndWait(RG, DEMO.account, {
    properties: { customSubDomainName: SUB, networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '198.51.100.0/24' }], virtualNetworkRules: [] } },
  });
  await storage.storageAccounts.update(RG, DEMO.storage, {
    publicNetworkAccess: 'Enabled',
    networkRuleSet: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [{ iPAddressOrRange: '198.51.100.0/24' }] } as never,
  });
  key = (await cog.accounts.listKeys(RG, DEMO.account)).key1!;
  await emu.control('PUT', 'state', {
    resources: [{
      id: `${storageId}/providers/Microsoft.Authorization/roleAssignments/d0d0d0d0-0000-4000-8000-000000000001`,
      name: 'd0d0d0d0-0000-4000-8000-000000000001',
      type: 'Microsoft.Authorization/roleAssignments',
      properties: { roleDefinitionId: `/subscriptions/${DEMO.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BLOB_DATA_READER}`, principalId: DEMO.owner.objectId, principalType: 'ServicePrincipal', scope: storageId },
    }],
  });
  storageToken = (await emu.owner.getToken('https://storage.azure.com/.default'))!.token;
});

/** Approved private endpoints to the account and the blob service, no DNS for them. */
async function endpointsInSubnet(): Promise<void> {
  endpointIp.account = await createEndpoint('pe-account', accountId, 'account');
  endpointIp.blob = await createEndpoint('pe-blob', storageId, 'blob');
}

/** The endpoints, zone groups writing their A records, and both zones linked to the VNet. */
async function reachPrivately(): Promise<void> {
  await endpointsInSubnet();
  await publishInZone('pe-account', ACCOUNT_ZONE);
  await publishInZone('pe-blob', BLOB_ZONE);
  await link(ACCOUNT_ZONE);
  await link(BLOB_ZONE);
}

describe('a caller in a subnet resolves through the private DNS zones linked to its VNet', () => {
  it('linked zone with the endpoint\'s A record: reaches the account and the blob through the private endpoints', async () => {
    await reachPrivately();
    expect(resolveHost(emu.context, ACCOUNT_HOST, { subnetId })).toMatchObject({ kind: 'private', ip: endpointIp.account, privateEndpointId: expect.stringMatching(/\/privateEndpoints\/pe-account$/) });
    const read = await analyze(IN_SUBNET);
    expect(read.status).toBe(200);
    expect(JSON.parse(read.body).status).toBe('succeeded');
    expect((await readBlob(IN_SUBNET)).status).toBe(200);
  });

  it('zone not linked to the VNet: resolves publicly and is refused by the firewalls as a public caller', async () => {
    await reachPrivately();
    expect(resolveHost(emu.context, ACCOUNT_HOST, { subnetId })).toMatchObject({ kind: 'private', ip: endpointIp.account });
    await unlink(ACCOUNT_ZONE);
    await unlink(BLOB_ZONE);
    try {
      expect(resolveHost(emu.context, ACCOUNT_HOST, { subnetId })).toEqual({ kind: 'public' });
      const denied = await analyze(IN_SUBNET);
      expect(denied.status).toBe(403);
      expect(JSON.parse(denied.body)).toEqual({ error: { code: '403', message: 'Access denied due to Virtual Network/Firewall rules.' } });
      const blob = await readBlob(IN_SUBNET);
      expect(blob.status).toBe(403);
      expect(blob.headers['x-ms-error-code']).toBe('AuthorizationFailure');
    } finally {
      await link(ACCOUNT_ZONE);
      await link(BLOB_ZONE);
    }
  });

  it('A record pointing at an address where nothing answers: 503 EmulatorHostUnreachable naming the address', async () => {
    await reachPrivately();
    await setRecord(ACCOUNT_ZONE, SUB, '10.10.1.250');
    await setRecord(BLOB_ZONE, DEMO.storage, '10.10.1.250');
    try {
      const res = await analyze(IN_SUBNET);
      expect(res.status).toBe(503);
      expect(res.headers['x-emulator-unreachable']).toBe('10.10.1.250');
      expect(JSON.parse(res.body).error).toMatchObject({ code: 'EmulatorHostUnreachable', message: expect.stringContaining('resolves to 10.10.1.250') });
      const blob = await readBlob(IN_SUBNET);
      expect(blob.status).toBe(503);
      expect(blob.headers['x-ms-error-code']).toBe('EmulatorHostUnreachable');
      expect(blob.headers['x-emulator-unreachable']).toBe('10.10.1.250');
    } finally {
      await setRecord(ACCOUNT_ZONE, SUB, endpointIp.account);
      await setRecord(BLOB_ZONE, DEMO.storage, endpointIp.blob);
    }
  });

  it('A record pointing at another private endpoint: reaches that endpoint, whose connection is not to this target: refused', async () => {
    await reachPrivately();
    await setRecord(ACCOUNT_ZONE, SUB, endpointIp.blob);
    try {
      expect(resolveHost(emu.context, ACCOUNT_HOST, { subnetId })).toMatchObject({ kind: 'private', ip: endpointIp.blob, privateEndpointId: expect.stringMatching(/pe-blob$/) });
      const res = await analyze(IN_SUBNET);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).error.message).toBe('Access denied due to Virtual Network/Firewall rules.');
    } finally {
      await setRecord(ACCOUNT_ZONE, SUB, endpointIp.account);
    }
  });

  it('linked zone without the A record: NXDOMAIN (503, x-emulator-unreachable: nxdomain); with fallback to internet it resolves publicly', async () => {
    await reachPrivately();
    await dns.recordSets.delete(RG, ACCOUNT_ZONE, 'A', SUB);
    try {
      const res = await analyze(IN_SUBNET);
      expect(res.status).toBe(503);
      expect(res.headers['x-emulator-unreachable']).toBe('nxdomain');
      // @azure/arm-privatedns 3.2 (api-version 2020-06-01) cannot send resolutionPolicy: set it in the state.
      linkResource(ACCOUNT_ZONE).properties.resolutionPolicy = 'NxDomainRedirect';
      expect(resolveHost(emu.context, ACCOUNT_HOST, { subnetId })).toEqual({ kind: 'public' });
      expect((await analyze(IN_SUBNET)).status).toBe(403);
    } finally {
      delete linkResource(ACCOUNT_ZONE).properties.resolutionPolicy;
      await setRecord(ACCOUNT_ZONE, SUB, endpointIp.account);
    }
  });

  it('no zone at all: resolves publicly and is refused as a public caller', async () => {
    await reachPrivately();
    expect(resolveHost(emu.context, ACCOUNT_HOST, { subnetId })).toMatchObject({ kind: 'private', ip: endpointIp.account });
    await unlink(ACCOUNT_ZONE);
    await unlink(BLOB_ZONE);
    await network.privateDnsZoneGroups.beginDeleteAndWait(RG, 'pe-account', 'default');
    await network.privateDnsZoneGroups.beginDeleteAndWait(RG, 'pe-blob', 'default');
    await dns.privateZones.beginDeleteAndWait(RG, ACCOUNT_ZONE);
    await dns.privateZones.beginDeleteAndWait(RG, BLOB_ZONE);
    expect(resolveHost(emu.context, ACCOUNT_HOST, { subnetId })).toEqual({ kind: 'public' });
    expect((await analyze(IN_SUBNET)).status).toBe(403);
    expect((await readBlob(IN_SUBNET)).headers['x-ms-error-code']).toBe('AuthorizationFailure');
  });

  it('the VNet\'s public egress address (extras.vnetEgressIps) meets the IP rules; the default 192.0.2.1 does not', async () => {
    expect(DEFAULT_VNET_EGRESS_IP).toBe('192.0.2.1');
    // approved endpoints, but no zone answers for them: the VNet's callers arrive publicly
    await endpointsInSubnet();
    expect(resolveHost(emu.context, ACCOUNT_HOST, { subnetId })).toEqual({ kind: 'public' });
    emu.context.state.extras.vnetEgressIps = { [vnetId.toLowerCase()]: ALLOWED_IP };
    try {
      expect((await analyze(IN_SUBNET)).status).toBe(200);
      expect((await readBlob(IN_SUBNET)).status).toBe(200);
    } finally {
      delete emu.context.state.extras.vnetEgressIps;
    }
    expect((await analyze(IN_SUBNET)).status).toBe(403);
  });
});

describe('a public caller', () => {
  it('always resolves publicly; an allowed IP reaches both planes, another is refused', async () => {
    await reachPrivately();
    expect(resolveHost(emu.context, ACCOUNT_HOST, { ip: ALLOWED_IP })).toEqual({ kind: 'public' });
    expect((await analyze({ 'x-emulator-client-ip': ALLOWED_IP })).status).toBe(200);
    expect((await readBlob({ 'x-emulator-client-ip': ALLOWED_IP })).status).toBe(200);
    expect((await analyze({ 'x-emulator-client-ip': '203.0.113.99' })).status).toBe(403);
    expect((await readBlob({ 'x-emulator-client-ip': '203.0.113.99' })).headers['x-ms-error-code']).toBe('AuthorizationFailure');
  });
});
