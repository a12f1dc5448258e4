import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { request } from 'node:https';
import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { resetEmulator } from '../support/emulator-fixtures.js';
import { SAMPLE_PDF_BASE64 } from '../../packages/arm-emulator/src/demo.js';
import { privateEndpointDns } from '../support/private-dns.js';

let emu: TestEmulator;
let client: CognitiveServicesManagementClient;
let key: string;
const rg = DEMO.resourceGroup;
const rgId = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${rg}`;
const accountId = `${rgId}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}`;
const SUB = 'docintel-demo-dp';
const HOST = `${SUB}.cognitiveservices.azure.com`;
const vnetId = `${rgId}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}`;
const subnetId = `${vnetId}/subnets/${DEMO.subnet}`;
const peId = `${rgId}/providers/Microsoft.Network/privateEndpoints/pe-docintel`;
const ANALYZE = '/documentintelligence/documentModels/prebuilt-read:analyze?api-version=2024-11-30';


interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: any }

/** A call to the account's host, reaching the emulator as a client would after DNS resolution. */
function call(method: string, target: string, headers: Record<string, string>, body?: unknown, host = HOST): Promise<Reply> {
  const url = new URL(target, emu.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname: url.hostname, port: url.port, path: url.pathname + url.search, method, ca: emu.caCert, checkServerIdentity: () => undefined, headers: { host, 'content-type': 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function analyzeAndRead(headers: Record<string, string>, source: Record<string, string> = { base64Source: SAMPLE_PDF_BASE64 }): Promise<{ post: Reply; result?: Reply }> {
  const post = await call('POST', ANALYZE, headers, source);
  if (post.status !== 202) return { post };
  const location = new URL(String(post.headers['operation-location']));
  expect(location.hostname).toBe(HOST);
  const result = await call('GET', location.pathname + location.search, headers);
  return { post, result };
}

const setAccount = (props: Record<string, unknown>, identity?: Record<string, unknown>) =>
  client.accounts.beginUpdateAndWait(rg, DEMO.account, { properties: props, ...(identity ? { identity: identity as never } : {}) });

function putPrivateEndpoint(status: 'Approved' | 'Pending', peSubnet = subnetId) {
  return emu.control('PUT', 'state', {
    resources: [
      { id: peId, name: 'pe-docintel', type: 'Microsoft.Network/privateEndpoints', location: 'eastus', properties: { provisioningState: 'Succeeded', subnet: { id: peSubnet }, privateLinkServiceConnections: [] } },
      {
        id: `${accountId}/privateEndpointConnections/pe-docintel.1`, name: 'pe-docintel.1', type: 'Microsoft.CognitiveServices/accounts/privateEndpointConnections',
        properties: { privateEndpoint: { id: peId }, groupIds: ['account'], privateLinkServiceConnectionState: { status, description: '', actionsRequired: 'None' }, provisioningState: 'Succeeded' },
      },
    ],
  });
}

async function cognitiveServicesToken(): Promise<string> {
  return (await emu.owner.getToken('https://cognitiveservices.azure.com/.default'))!.token;
}

beforeAll(async () => {
  emu = await startTestEmulator();
  client = new CognitiveServicesManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
});
afterAll(async () => emu.stop());
// every test starts from the demo account with its custom subdomain: public access, no firewall rules,
// no managed identity, no private endpoint, no role assignments a test made
beforeEach(async () => {
  await resetEmulator(emu);
  await setAccount({ customSubDomainName: SUB });
  key = (await client.accounts.listKeys(rg, DEMO.account)).key1!;
});

describe('Document Intelligence data plane', () => {
  it('reads the text of a base64 PDF with prebuilt-read (202 + Operation-Location, then succeeded)', async () => {
    const { post, result } = await analyzeAndRead({ 'ocp-apim-subscription-key': key });
    expect(post.status).toBe(202);
    expect(result!.status).toBe(200);
    expect(result!.body.status).toBe('succeeded');
    expect(result!.body.analyzeResult).toMatchObject({ apiVersion: '2024-11-30', modelId: 'prebuilt-read', content: 'Invoice 1001 Total 42.00' });
    expect(result!.body.analyzeResult.pages[0]).toMatchObject({ pageNumber: 1, width: 8.5, height: 11, unit: 'inch' });
    expect(result!.body.analyzeResult.pages[0].words.map((w: { content: string }) => w.content)).toEqual(['Invoice', '1001', 'Total', '42.00']);
  });

  it('serves the Form Recognizer 2023-07-31 surface too', async () => {
    const post = await call('POST', '/formrecognizer/documentModels/prebuilt-read:analyze?api-version=2023-07-31', { 'ocp-apim-subscription-key': key }, { base64Source: SAMPLE_PDF_BASE64 });
    expect(post.status).toBe(202);
    expect(String(post.headers['operation-location'])).toContain('/formrecognizer/documentModels/prebuilt-read/analyzeResults/');
  });

  it('answers 401 to a wrong key or no credentials', async () => {
    expect((await call('POST', ANALYZE, { 'ocp-apim-subscription-key': '0'.repeat(32) }, { base64Source: SAMPLE_PDF_BASE64 })).body.error.code).toBe('401');
    const none = await call('POST', ANALYZE, {}, { base64Source: SAMPLE_PDF_BASE64 });
    expect(none.status).toBe(401);
    expect(none.body.error.message).toMatch(/missing subscription key/);
  });

  it('accepts an Entra token only when the principal holds a Cognitive Services data action', async () => {
    const token = await cognitiveServicesToken();
    const denied = await call('POST', ANALYZE, { authorization: `Bearer ${token}` }, { base64Source: SAMPLE_PDF_BASE64 });
    expect(denied.status).toBe(401);
    expect(denied.body.error.code).toBe('PermissionDenied');

    await emu.control('PUT', 'state', {
      resources: [{
        id: `${accountId}/providers/Microsoft.Authorization/roleAssignments/0f0e0d0c-0b0a-4909-8807-060504030201`,
        name: '0f0e0d0c-0b0a-4909-8807-060504030201', type: 'Microsoft.Authorization/roleAssignments',
        properties: { roleDefinitionId: `/subscriptions/${DEMO.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/a97b65f3-24c7-4388-baec-2e87135dc908`, principalId: DEMO.owner.objectId, principalType: 'ServicePrincipal', scope: accountId },
      }],
    });
    const { post, result } = await analyzeAndRead({ authorization: `Bearer ${token}` });
    expect(post.status).toBe(202);
    expect(result!.body.status).toBe('succeeded');

    const armToken = (await emu.owner.getToken('https://management.azure.com/.default'))!.token;
    expect((await call('POST', ANALYZE, { authorization: `Bearer ${armToken}` }, { base64Source: SAMPLE_PDF_BASE64 })).status).toBe(401);
  });

  it('refuses token authentication on the regional endpoint but takes the key there', async () => {
    const regional = 'eastus.api.cognitive.microsoft.com';
    const token = await cognitiveServicesToken();
    const bearer = await call('POST', ANALYZE, { authorization: `Bearer ${token}` }, { base64Source: SAMPLE_PDF_BASE64 }, regional);
    expect(bearer.status).toBe(401);
    expect(bearer.body.error.message).toMatch(/custom subdomain/);
    expect((await call('POST', ANALYZE, { 'ocp-apim-subscription-key': key }, { base64Source: SAMPLE_PDF_BASE64 }, regional)).status).toBe(202);
  });

  it('denies callers outside the firewall rules with 403 and lets listed IPs in', async () => {
    await setAccount({ networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '198.51.100.0/24' }] } });
    const denied = await call('POST', ANALYZE, { 'ocp-apim-subscription-key': key }, { base64Source: SAMPLE_PDF_BASE64 });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ error: { code: '403', message: 'Access denied due to Virtual Network/Firewall rules.' } });
    const allowed = await call('POST', ANALYZE, { 'ocp-apim-subscription-key': key, 'x-emulator-client-ip': '198.51.100.7' }, { base64Source: SAMPLE_PDF_BASE64 });
    expect(allowed.status).toBe(202);
    await setAccount({ networkAcls: { defaultAction: 'Allow', ipRules: [] } });
  });

  it('with public access disabled, answers only through an Approved private endpoint in the caller\'s virtual network', async () => {
    await setAccount({ publicNetworkAccess: 'Disabled' });
    const inSubnet = { 'ocp-apim-subscription-key': key, 'x-emulator-source-subnet': subnetId };
    const publicCall = await call('POST', ANALYZE, { 'ocp-apim-subscription-key': key }, { base64Source: SAMPLE_PDF_BASE64 });
    expect(publicCall.status).toBe(403);

    await putPrivateEndpoint('Pending');
    expect((await call('POST', ANALYZE, inSubnet, { base64Source: SAMPLE_PDF_BASE64 })).status).toBe(403);

    await putPrivateEndpoint('Approved');
    // Approved, but the VNet's DNS still answers the public address: the client arrives publicly and is refused.
    expect((await call('POST', ANALYZE, inSubnet, { base64Source: SAMPLE_PDF_BASE64 })).status).toBe(403);
    await emu.control('PUT', 'state', {
      resources: privateEndpointDns({ rgId, peId, subnetId, ip: '10.10.1.4', zoneName: 'privatelink.cognitiveservices.azure.com', record: SUB }),
    });
    expect((await call('POST', ANALYZE, inSubnet, { base64Source: SAMPLE_PDF_BASE64 })).status).toBe(202);
    const otherVnet = `${rgId}/providers/Microsoft.Network/virtualNetworks/vnet-other/subnets/default`;
    expect((await call('POST', ANALYZE, { ...inSubnet, 'x-emulator-source-subnet': otherVnet }, { base64Source: SAMPLE_PDF_BASE64 })).status).toBe(403);
    await setAccount({ publicNetworkAccess: 'Enabled' });
  });

  it('fails an analyze by urlSource with ContentSourceNotAccessible when the account has no managed identity', async () => {
    expect((await client.accounts.get(rg, DEMO.account)).identity?.principalId).toBeUndefined();
    const url = `https://${DEMO.storage}.blob.core.windows.net/${DEMO.container}/${DEMO.sampleBlob}`;
    const { post, result } = await analyzeAndRead({ 'ocp-apim-subscription-key': key }, { urlSource: url });
    expect(post.status).toBe(202);
    expect(result!.body.status).toBe('failed');
    expect(result!.body.error).toMatchObject({ code: 'InvalidRequest', innererror: { code: 'ContentSourceNotAccessible' } });
  });

  it('fails with ContentSourceNotAccessible when storage refuses the account\'s identity (no blob role)', async () => {
    await setAccount({}, { type: 'SystemAssigned' });
    const url = `https://${DEMO.storage}.blob.core.windows.net/${DEMO.container}/${DEMO.sampleBlob}`;
    const { result } = await analyzeAndRead({ 'ocp-apim-subscription-key': key }, { urlSource: url });
    expect(result!.body.status).toBe('failed');
    expect(result!.body.error.innererror.code).toBe('ContentSourceNotAccessible');
  });

  it('reads a blob as the account\'s identity once it holds Storage Blob Data Reader', async () => {
    const principalId = (await setAccount({}, { type: 'SystemAssigned' })).identity!.principalId!;
    expect(principalId).toMatch(/^[0-9a-f-]{36}$/);
    const storageId = `${rgId}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;
    await emu.control('PUT', 'state', {
      resources: [{
        id: `${storageId}/providers/Microsoft.Authorization/roleAssignments/1f0e0d0c-0b0a-4909-8807-060504030201`,
        name: '1f0e0d0c-0b0a-4909-8807-060504030201', type: 'Microsoft.Authorization/roleAssignments',
        properties: { roleDefinitionId: `/subscriptions/${DEMO.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1`, principalId, principalType: 'ServicePrincipal', scope: storageId },
      }],
    });
    const url = `https://${DEMO.storage}.blob.core.windows.net/${DEMO.container}/${DEMO.sampleBlob}`;
    const { result } = await analyzeAndRead({ 'ocp-apim-subscription-key': key }, { urlSource: url });
    expect(result!.body.status).toBe('succeeded');
    expect(result!.body.analyzeResult.content).toBe('Invoice 1001 Total 42.00');
  });

  it('rejects content that is not a document with InvalidContent', async () => {
    const bad = await call('POST', ANALYZE, { 'ocp-apim-subscription-key': key }, { base64Source: Buffer.from('hello').toString('base64') });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'InvalidRequest', innererror: { code: 'InvalidContent' } });
  });
});
