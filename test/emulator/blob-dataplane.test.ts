import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { request } from 'node:https';
import { StorageManagementClient } from '@azure/arm-storage';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { checkBlobRead } from '../../packages/arm-emulator/src/providers/storage/access.js';
import { privateEndpointDns } from '../support/private-dns.js';

let emu: TestEmulator;
let storage: StorageManagementClient;
const RG = DEMO.resourceGroup;
const rgId = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${RG}`;
const storageId = `${rgId}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;
const docIntelId = `${rgId}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}`;
const subnetId = `${rgId}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}/subnets/${DEMO.subnet}`;
const BLOB_HOST = `${DEMO.storage}.blob.core.windows.net`;
const BLOB_URL = `https://${BLOB_HOST}/${DEMO.container}/${DEMO.sampleBlob}`;
const BLOB_DATA_READER = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1';

interface BlobResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function blob(method: string, path: string, headers: Record<string, string> = {}): Promise<BlobResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: emu.port, method, path, ca: emu.caCert, servername: BLOB_HOST, checkServerIdentity: () => undefined, headers: { host: BLOB_HOST, 'x-ms-version': '2025-01-05', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function storageToken(): Promise<string> {
  return (await emu.owner.getToken('https://storage.azure.com/.default'))!.token;
}

async function grantBlobReader(principalId: string, name: string): Promise<void> {
  await emu.control('PUT', 'state', {
    resources: [
      {
        id: `${storageId}/providers/Microsoft.Authorization/roleAssignments/${name}`,
        name,
        type: 'Microsoft.Authorization/roleAssignments',
        properties: { roleDefinitionId: `/subscriptions/${DEMO.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BLOB_DATA_READER}`, principalId, principalType: 'ServicePrincipal', scope: storageId },
      },
    ],
  });
}

async function firewall(networkRuleSet: Record<string, unknown>, publicNetworkAccess: 'Enabled' | 'Disabled' = 'Enabled') {
  await storage.storageAccounts.update(RG, DEMO.storage, { publicNetworkAccess, networkRuleSet: { bypass: 'AzureServices', ...networkRuleSet } as never });
}

beforeAll(async () => {
  emu = await startTestEmulator();
  storage = new StorageManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
});
afterAll(async () => emu.stop());
beforeEach(async () => {
  await emu.control('POST', 'reset');
});

describe('blob reads through the emulator', () => {
  it('refuses anonymous reads when public access is not permitted', async () => {
    const res = await blob('GET', `/${DEMO.container}/${DEMO.sampleBlob}`);
    expect(res.status).toBe(409);
    expect(res.headers['x-ms-error-code']).toBe('PublicAccessNotPermitted');
  });

  it('needs the blob read data action, not just Owner (AuthorizationPermissionMismatch)', async () => {
    const auth = { authorization: `Bearer ${await storageToken()}` };
    const denied = await blob('GET', `/${DEMO.container}/${DEMO.sampleBlob}`, auth);
    expect(denied.status).toBe(403);
    expect(denied.headers['x-ms-error-code']).toBe('AuthorizationPermissionMismatch');
    expect(denied.body.toString()).toContain('<Code>AuthorizationPermissionMismatch</Code>');

    await grantBlobReader(DEMO.owner.objectId, 'a1a1a1a1-0000-4000-8000-000000000001');
    const ok = await blob('GET', `/${DEMO.container}/${DEMO.sampleBlob}`, auth);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('application/pdf');
    expect(ok.body.subarray(0, 5).toString()).toBe('%PDF-');
    const head = await blob('HEAD', `/${DEMO.container}/${DEMO.sampleBlob}`, auth);
    expect(head.status).toBe(200);
    expect(head.headers['x-ms-blob-type']).toBe('BlockBlob');
    const list = await blob('GET', `/${DEMO.container}?restype=container&comp=list`, auth);
    expect(list.status).toBe(200);
    expect(list.body.toString()).toContain(`<Name>${DEMO.sampleBlob}</Name>`);
    expect((await blob('GET', `/${DEMO.container}/missing.pdf`, auth)).headers['x-ms-error-code']).toBe('BlobNotFound');
  });

  it('rejects a token issued for another audience', async () => {
    const armToken = (await emu.owner.getToken('https://management.azure.com/.default'))!.token;
    const res = await blob('GET', `/${DEMO.container}/${DEMO.sampleBlob}`, { authorization: `Bearer ${armToken}` });
    expect(res.status).toBe(401);
    expect(res.headers['x-ms-error-code']).toBe('InvalidAuthenticationInfo');
  });

  it('blocks clients outside the IP rules with AuthorizationFailure and admits listed ones', async () => {
    await grantBlobReader(DEMO.owner.objectId, 'a1a1a1a1-0000-4000-8000-000000000002');
    const auth = { authorization: `Bearer ${await storageToken()}` };
    await firewall({ defaultAction: 'Deny', ipRules: [{ iPAddressOrRange: '198.51.100.0/24' }] });
    const denied = await blob('GET', `/${DEMO.container}/${DEMO.sampleBlob}`, auth);
    expect(denied.status).toBe(403);
    expect(denied.headers['x-ms-error-code']).toBe('AuthorizationFailure');
    expect(denied.body.toString()).toMatch(/<Error><Code>AuthorizationFailure<\/Code><Message>This request is not authorized to perform this operation\.\nRequestId:/);
    const allowed = await blob('GET', `/${DEMO.container}/${DEMO.sampleBlob}`, { ...auth, 'x-emulator-client-ip': '198.51.100.7' });
    expect(allowed.status).toBe(200);
  });

  it('with public access disabled, admits only clients reaching an approved private endpoint', async () => {
    await grantBlobReader(DEMO.owner.objectId, 'a1a1a1a1-0000-4000-8000-000000000003');
    const auth = { authorization: `Bearer ${await storageToken()}`, 'x-emulator-source-subnet': subnetId };
    await firewall({ defaultAction: 'Deny' }, 'Disabled');
    expect((await blob('GET', `/${DEMO.container}/${DEMO.sampleBlob}`, auth)).headers['x-ms-error-code']).toBe('AuthorizationFailure');

    const peId = `${rgId}/providers/Microsoft.Network/privateEndpoints/pe-blob`;
    const connection = (status: string) => ({
      id: `${storageId}/privateEndpointConnections/pe-blob.1`,
      name: 'pe-blob.1',
      type: 'Microsoft.Storage/storageAccounts/privateEndpointConnections',
      properties: { privateEndpoint: { id: peId }, groupIds: ['blob'], privateLinkServiceConnectionState: { status, description: '', actionsRequired: 'None' }, provisioningState: 'Succeeded' },
    });
    await emu.control('PUT', 'state', {
      resources: [{ id: peId, name: 'pe-blob', type: 'Microsoft.Network/privateEndpoints', location: 'eastus', properties: { subnet: { id: subnetId }, provisioningState: 'Succeeded' } }, connection('Pending')],
    });
    expect((await blob('GET', `/${DEMO.container}/${DEMO.sampleBlob}`, auth)).status).toBe(403);
    await emu.control('PUT', 'state', { resources: [connection('Approved')] });
    // Approved, but without a linked privatelink.blob zone the VNet resolves the public address: refused.
    expect((await blob('GET', `/${DEMO.container}/${DEMO.sampleBlob}`, auth)).headers['x-ms-error-code']).toBe('AuthorizationFailure');
    await emu.control('PUT', 'state', {
      resources: privateEndpointDns({ rgId, peId, subnetId, ip: '10.10.1.5', zoneName: 'privatelink.blob.core.windows.net', record: DEMO.storage }),
    });
    expect((await blob('GET', `/${DEMO.container}/${DEMO.sampleBlob}`, auth)).status).toBe(200);
    const publicClient = await blob('GET', `/${DEMO.container}/${DEMO.sampleBlob}`, { authorization: auth.authorization });
    expect(publicClient.headers['x-ms-error-code']).toBe('AuthorizationFailure');
  });
});

describe('the Document Intelligence account reading with its managed identity', () => {
  const identity = 'b2b2b2b2-0000-4000-8000-000000000001';
  const service = () => ({ kind: 'service' as const, resourceId: docIntelId, principalId: identity });

  beforeEach(async () => {
    emu.context.state.addPrincipal({ objectId: identity, displayName: DEMO.account, type: 'ServicePrincipal', managedBy: docIntelId });
    await grantBlobReader(identity, 'a1a1a1a1-0000-4000-8000-000000000010');
  });

  it('is admitted by the trusted-services exception and refused without it', async () => {
    await firewall({ defaultAction: 'Deny', bypass: 'AzureServices' });
    const ok = checkBlobRead(emu.context, BLOB_URL, service());
    expect(ok.ok).toBe(true);
    expect(ok.contentType).toBe('application/pdf');
    await firewall({ defaultAction: 'Deny', bypass: 'None' });
    expect(checkBlobRead(emu.context, BLOB_URL, service())).toMatchObject({ ok: false, status: 403, code: 'AuthorizationFailure' });
  });

  it('is admitted by a resource instance rule naming it', async () => {
    await firewall({ defaultAction: 'Deny', bypass: 'None', resourceAccessRules: [{ tenantId: DEMO.tenantId, resourceId: docIntelId }] });
    expect(checkBlobRead(emu.context, BLOB_URL, service()).ok).toBe(true);
    const other = { ...service(), resourceId: docIntelId.replace(DEMO.account, 'other-account') };
    expect(checkBlobRead(emu.context, BLOB_URL, other)).toMatchObject({ ok: false, code: 'AuthorizationFailure' });
  });

  it('needs a role granting blob read to its identity', async () => {
    const stranger = { ...service(), principalId: 'c3c3c3c3-0000-4000-8000-000000000001' };
    emu.context.state.addPrincipal({ objectId: stranger.principalId, displayName: 'x', type: 'ServicePrincipal' });
    expect(checkBlobRead(emu.context, BLOB_URL, stranger)).toMatchObject({ ok: false, status: 403, code: 'AuthorizationPermissionMismatch' });
  });
});

describe('CORS', () => {
  const preflight = (origin: string, method = 'GET') => blob('OPTIONS', `/${DEMO.container}/${DEMO.sampleBlob}`, { origin, 'access-control-request-method': method });

  it('fails a preflight with CorsPreflightFailure until a rule admits the origin and method', async () => {
    const before = await preflight('https://ai.azure.com');
    expect(before.status).toBe(403);
    expect(before.headers['x-ms-error-code']).toBe('CorsPreflightFailure');

    await storage.blobServices.setServiceProperties(RG, DEMO.storage, {
      cors: { corsRules: [{ allowedOrigins: ['https://ai.azure.com'], allowedMethods: ['GET', 'OPTIONS'], maxAgeInSeconds: 200, exposedHeaders: ['x-ms-meta-*'], allowedHeaders: ['*'] }] },
    });
    const after = await preflight('https://ai.azure.com');
    expect(after.status).toBe(200);
    expect(after.headers['access-control-allow-origin']).toBe('https://ai.azure.com');
    expect(after.headers['access-control-allow-methods']).toBe('GET');
    expect(after.headers['access-control-max-age']).toBe('200');
    expect((await preflight('https://evil.example')).status).toBe(403);
    expect((await preflight('https://ai.azure.com', 'DELETE')).status).toBe(403);

    await grantBlobReader(DEMO.owner.objectId, 'a1a1a1a1-0000-4000-8000-000000000004');
    const actual = await blob('GET', `/${DEMO.container}/${DEMO.sampleBlob}`, { authorization: `Bearer ${await storageToken()}`, origin: 'https://ai.azure.com' });
    expect(actual.status).toBe(200);
    expect(actual.headers['access-control-allow-origin']).toBe('https://ai.azure.com');
    expect(actual.headers['access-control-expose-headers']).toBe('x-ms-meta-*');
  });
});
