import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { resetEmulator } from '../support/emulator-fixtures.js';
import { privateLinkTargetFor } from '../../packages/arm-emulator/src/providers/private-link.js';

let emu: TestEmulator;
let client: CognitiveServicesManagementClient;
const exchanges: { kind: string; method: string; path: string; status: number; responseBody?: any; responseHeaders: Record<string, string>; query?: Record<string, string> }[] = [];
const rg = DEMO.resourceGroup;
const rgId = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${rg}`;
const accountId = (name: string) => `${rgId}/providers/Microsoft.CognitiveServices/accounts/${name}`;

beforeAll(async () => {
  emu = await startTestEmulator({ onExchange: (x) => exchanges.push(x as never) });
  client = new CognitiveServicesManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
});
afterAll(async () => emu.stop());
// every test starts from the demo scenario: the demo account only, without a custom subdomain
beforeEach(async () => resetEmulator(emu));

const create = (name: string, extra: Record<string, unknown> = {}) =>
  client.accounts.beginCreateAndWait(rg, name, { location: 'eastus', kind: 'FormRecognizer', sku: { name: 'S0' }, properties: {}, ...extra });

/** An account whose custom subdomain is set (what network rules and private endpoints need), as a test's own set-up. */
async function createWithSubdomain(name: string, subdomain: string) {
  const account = await create(name, { properties: { customSubDomainName: subdomain } });
  expect(account.properties?.customSubDomainName).toBe(subdomain);
  return account;
}

/** The exchanges this emulator answers from now on (a test's own, not those of the tests before it). */
function exchangesFromNow() {
  const start = exchanges.length;
  return () => exchanges.slice(start);
}

describe('Cognitive Services accounts', () => {
  it('creates an account as a long-running operation: 201 Creating, then Succeeded', async () => {
    const mine = exchangesFromNow();
    const account = await create('di-create');
    expect(account.properties?.provisioningState).toBe('Succeeded');
    const put = mine().find((x) => x.method === 'PUT' && x.path.endsWith('/di-create'))!;
    expect(put.status).toBe(201);
    expect(put.responseBody.properties.provisioningState).toBe('Creating');
    expect(account.properties?.endpoint).toBe('https://eastus.api.cognitive.microsoft.com/');
    expect(account.properties?.publicNetworkAccess).toBe('Enabled');
  });

  it('lists accounts by resource group and by subscription', async () => {
    const inGroup: string[] = [];
    for await (const a of client.accounts.listByResourceGroup(rg)) inGroup.push(a.name!);
    const inSub: string[] = [];
    for await (const a of client.accounts.list()) inSub.push(a.name!);
    expect(inGroup).toContain(DEMO.account);
    expect(inSub).toContain(DEMO.account);
  });

  it('gives a system-assigned identity a principal in the directory and keeps user-assigned ones', async () => {
    const uami = `${rgId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami-docintel`;
    await create('di-identity', { identity: { type: 'UserAssigned', userAssignedIdentities: { [uami]: {} } } });
    const updated = await client.accounts.beginUpdateAndWait(rg, 'di-identity', { identity: { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { [uami]: {} } } });
    expect(updated.identity?.type).toBe('SystemAssigned, UserAssigned');
    expect(updated.identity?.principalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(updated.identity?.tenantId).toBe(DEMO.tenantId);
    expect(Object.keys(updated.identity?.userAssignedIdentities ?? {})).toEqual([uami]);
    const state = await emu.control('GET', 'state');
    expect(state.principals.map((p: { objectId: string }) => p.objectId)).toContain(updated.identity!.principalId);

    const again = await client.accounts.beginUpdateAndWait(rg, 'di-identity', { identity: { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { [uami]: {} } } });
    expect(again.identity?.principalId).toBe(updated.identity?.principalId);

    const off = await client.accounts.beginUpdateAndWait(rg, 'di-identity', { identity: { type: 'UserAssigned', userAssignedIdentities: { [uami]: {} } } });
    expect(off.identity?.principalId).toBeUndefined();
    const after = await emu.control('GET', 'state');
    expect(after.principals.map((p: { objectId: string }) => p.objectId)).not.toContain(updated.identity!.principalId);
  });

  it('sets the custom subdomain once; the endpoint follows it; it cannot change or be removed', async () => {
    await create('di-subdomain');
    const set = await client.accounts.beginUpdateAndWait(rg, 'di-subdomain', { properties: { customSubDomainName: 'di-subdomain-x' } });
    expect(set.properties?.endpoint).toBe('https://di-subdomain-x.cognitiveservices.azure.com/');
    await expect(client.accounts.beginUpdateAndWait(rg, 'di-subdomain', { properties: { customSubDomainName: 'other-name' } }))
      .rejects.toMatchObject({ statusCode: 400, code: 'UpdatingCustomDomainNotAllowed' });
    await expect(client.accounts.beginCreateAndWait(rg, 'di-subdomain', { location: 'eastus', kind: 'FormRecognizer', sku: { name: 'S0' }, properties: {} }))
      .rejects.toMatchObject({ statusCode: 400, code: 'UpdatingCustomDomainNotAllowed' });
    const tagged = await client.accounts.beginUpdateAndWait(rg, 'di-subdomain', { tags: { env: 'test' } });
    expect(tagged.properties?.customSubDomainName).toBe('di-subdomain-x');
  });

  it('refuses a subdomain another account holds, and an invalid one', async () => {
    await createWithSubdomain('di-holder', 'di-subdomain-x');
    await expect(create('di-dup', { properties: { customSubDomainName: 'di-subdomain-x' } })).rejects.toMatchObject({ statusCode: 409, code: 'CustomDomainInUse' });
    await expect(create('di-bad-sub', { properties: { customSubDomainName: '-bad_name' } })).rejects.toMatchObject({ statusCode: 400 });
  });

  it('validates kind and sku on create', async () => {
    await expect(create('di-kind', { kind: 'NotAKind' })).rejects.toMatchObject({ statusCode: 400, code: 'InvalidApiSetId' });
    await expect(create('di-sku', { sku: { name: 'S9' } })).rejects.toMatchObject({ statusCode: 400, code: 'InvalidSkuId' });
  });

  it('validates networkAcls and needs a custom subdomain for network rules', async () => {
    await create('di-acl');
    await expect(client.accounts.beginUpdateAndWait(rg, 'di-acl', { properties: { networkAcls: { defaultAction: 'Deny', ipRules: [] } } }))
      .rejects.toMatchObject({ statusCode: 400, code: 'CustomSubDomainNameRequired' });
    await client.accounts.beginUpdateAndWait(rg, 'di-acl', { properties: { customSubDomainName: 'di-acl-sub' } });
    await expect(client.accounts.beginUpdateAndWait(rg, 'di-acl', { properties: { networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '300.1.1.1' }] } } }))
      .rejects.toMatchObject({ statusCode: 400, code: 'InvalidIpRule' });
    await expect(client.accounts.beginUpdateAndWait(rg, 'di-acl', { properties: { networkAcls: { defaultAction: 'Block' as never } } }))
      .rejects.toMatchObject({ statusCode: 400 });
    await expect(client.accounts.beginUpdateAndWait(rg, 'di-acl', { properties: { publicNetworkAccess: 'Off' as never } }))
      .rejects.toMatchObject({ statusCode: 400 });
    const ok = await client.accounts.beginUpdateAndWait(rg, 'di-acl', {
      properties: { networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '198.51.100.0/24' }, { value: '203.0.113.10' }] }, publicNetworkAccess: 'Enabled' },
    });
    expect(ok.properties?.networkAcls?.defaultAction).toBe('Deny');
    expect(ok.properties?.networkAcls?.ipRules?.map((r) => r.value)).toEqual(['198.51.100.0/24', '203.0.113.10']);
  });

  // docs "Configure Azure AI services virtual networks": IP rules only for public internet addresses (RFC 1918 refused).
  it('refuses private and other non-public ranges in IP rules, as storage does', async () => {
    await createWithSubdomain('di-acl-private', 'di-acl-private-sub');
    for (const value of ['10.0.0.0/8', '172.16.5.4', '192.168.1.0/24', '100.64.0.1']) {
      await expect(client.accounts.beginUpdateAndWait(rg, 'di-acl-private', { properties: { networkAcls: { defaultAction: 'Deny', ipRules: [{ value }] } } }))
        .rejects.toMatchObject({ statusCode: 400, code: 'InvalidIpRule' });
    }
  });

  // azure-cli cognitiveservices/custom.py add_network_rule reads the whole networkAcls and sends it back in a PATCH.
  it('replaces networkAcls whole on PATCH: a key the request leaves out is gone', async () => {
    await createWithSubdomain('di-acl-replace', 'di-acl-replace-sub');
    const first = await client.accounts.beginUpdateAndWait(rg, 'di-acl-replace', {
      properties: { networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [{ value: '198.51.100.7' }] } },
    });
    expect(first.properties?.networkAcls).toMatchObject({ defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [{ value: '198.51.100.7' }] });
    const replaced = await client.accounts.beginUpdateAndWait(rg, 'di-acl-replace', { properties: { networkAcls: { defaultAction: 'Allow' } } });
    expect(replaced.properties?.networkAcls).toEqual({ defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] });
    const untouched = await client.accounts.beginUpdateAndWait(rg, 'di-acl-replace', { tags: { kept: 'acls' } });
    expect(untouched.properties?.networkAcls).toEqual({ defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] });
  });

  it('rejects writes and key listing by the Reader caller with AuthorizationFailed', async () => {
    const asReader = new CognitiveServicesManagementClient(emu.reader, DEMO.subscriptionId, emu.clientOptions);
    await expect(asReader.accounts.beginUpdateAndWait(rg, DEMO.account, { tags: { a: 'b' } })).rejects.toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    await expect(asReader.accounts.listKeys(rg, DEMO.account)).rejects.toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    expect((await asReader.accounts.get(rg, DEMO.account)).name).toBe(DEMO.account);
  });

  it('lists two keys that never appear in the account body, and regenerates one', async () => {
    const keys = await client.accounts.listKeys(rg, DEMO.account);
    expect(keys.key1).toMatch(/^[0-9a-f]{32}$/);
    expect(keys.key2).toMatch(/^[0-9a-f]{32}$/);
    expect(keys.key1).not.toBe(keys.key2);
    const body = JSON.stringify(await client.accounts.get(rg, DEMO.account));
    expect(body).not.toContain(keys.key1!);
    const regenerated = await client.accounts.regenerateKey(rg, DEMO.account, 'Key2');
    expect(regenerated.key1).toBe(keys.key1);
    expect(regenerated.key2).not.toBe(keys.key2);
  });

  it('lists the account private link resource with its DNS zone, by cloud', async () => {
    const list = await client.privateLinkResources.list(rg, DEMO.account);
    expect(list.value?.[0]).toMatchObject({ name: 'account', properties: { groupId: 'account', requiredMembers: ['default'], requiredZoneNames: ['privatelink.cognitiveservices.azure.com'] } });
    await create('di-gov', { location: 'usgovvirginia' });
    const gov = await client.privateLinkResources.list(rg, 'di-gov');
    expect(gov.value?.[0].properties?.requiredZoneNames).toEqual(['privatelink.cognitiveservices.azure.us']);
  });

  it('does not let a private endpoint connect to an account without a custom subdomain', async () => {
    await createWithSubdomain('di-subdomain', 'di-subdomain-x');
    const account = emu.context.state.get(accountId(DEMO.account))!;
    const target = privateLinkTargetFor(account)!;
    expect(() => target.assertCanConnect!(account, 'account', emu.context)).toThrow(/custom subdomain/);
    const withSub = emu.context.state.get(accountId('di-subdomain'))!;
    expect(() => target.assertCanConnect!(withSub, 'account', emu.context)).not.toThrow();
    expect(target.fqdns(withSub, 'account', emu.context)).toEqual(['di-subdomain-x.cognitiveservices.azure.com']);
  });

  it('serves private endpoint connections: embedded, approved, rejected and deleted', async () => {
    await createWithSubdomain('di-subdomain', 'di-subdomain-x');
    const mine = exchangesFromNow();
    const conn = `${accountId('di-subdomain')}/privateEndpointConnections/pe-di.conn1`;
    await emu.control('PUT', 'state', {
      resources: [{
        id: conn, name: 'pe-di.conn1', type: 'Microsoft.CognitiveServices/accounts/privateEndpointConnections',
        properties: {
          privateEndpoint: { id: `${rgId}/providers/Microsoft.Network/privateEndpoints/pe-di` }, groupIds: ['account'],
          privateLinkServiceConnectionState: { status: 'Pending', description: 'please', actionsRequired: 'None' }, provisioningState: 'Succeeded',
        },
      }],
    });
    const account = await client.accounts.get(rg, 'di-subdomain');
    expect(account.properties?.privateEndpointConnections?.map((c) => c.name)).toEqual(['pe-di.conn1']);
    expect((await client.privateEndpointConnections.list(rg, 'di-subdomain')).value).toHaveLength(1);

    const approved = await client.privateEndpointConnections.beginCreateOrUpdateAndWait(rg, 'di-subdomain', 'pe-di.conn1', {
      properties: { privateLinkServiceConnectionState: { status: 'Approved', description: 'ok' } },
    });
    expect(approved.properties?.privateLinkServiceConnectionState?.status).toBe('Approved');
    expect((await client.privateEndpointConnections.get(rg, 'di-subdomain', 'pe-di.conn1')).properties?.privateLinkServiceConnectionState?.status).toBe('Approved');

    await expect(client.privateEndpointConnections.get(rg, 'di-subdomain', 'nope')).rejects.toMatchObject({ statusCode: 404 });
    await client.privateEndpointConnections.beginDeleteAndWait(rg, 'di-subdomain', 'pe-di.conn1');
    expect((await client.privateEndpointConnections.list(rg, 'di-subdomain')).value).toHaveLength(0);
    // Azure CLI recording test_cognitiveservices_private_endpoint_connection.yaml (2022): DELETE answers 200, no body, gone at once.
    const del = mine().filter((x) => x.method === 'DELETE' && x.path.endsWith('/privateEndpointConnections/pe-di.conn1'));
    expect(del.map((x) => [x.status, x.responseBody])).toEqual([[200, undefined]]);
  });

  // Azure CLI recording test_cognitiveservices_network_rules.yaml (2024, api-version 2023-05-01).
  it('answers a PATCH with 202, Accepted and both operation headers; the operation polls Updating, then Succeeded', async () => {
    const mine = exchangesFromNow();
    await create('di-lro', { properties: { customSubDomainName: 'di-lro-sub' } });
    const put = mine().find((x) => x.method === 'PUT' && x.path.endsWith('/accounts/di-lro'))!;
    expect(put.status).toBe(201);
    expect(put.responseHeaders['azure-asyncoperation']).toMatch(/\/providers\/Microsoft\.CognitiveServices\/locations\/eastus\/operationStatuses\//);

    await emu.control('POST', 'faults', { lroDelayMs: 60_000 });
    try {
      const poller = await client.accounts.beginUpdate(rg, 'di-lro', { properties: { networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '200.0.0.1' }] } } });
      await poller.poll();
      poller.stopPolling();
    } finally {
      await emu.control('POST', 'faults', { lroDelayMs: 0 });
    }
    const patch = mine().find((x) => x.method === 'PATCH' && x.path.endsWith('/accounts/di-lro'))!;
    expect(patch.status).toBe(202);
    expect(patch.responseBody.properties).toMatchObject({ provisioningState: 'Accepted', networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '200.0.0.1' }] } });
    expect(patch.responseHeaders.location).toMatch(/\/operationResults\//);
    const polls = () => mine().filter((x) => x.kind === 'poll' && patch.responseHeaders['azure-asyncoperation'].includes(x.path));
    expect(polls().map((x) => x.responseBody.status)).toContain('Updating');
    const later = Date.now() + 120_000;
    emu.context.now = () => later;
    try {
      const done = await client.accounts.get(rg, 'di-lro');
      expect(done.properties?.provisioningState).toBe('Succeeded');
    } finally {
      emu.context.now = Date.now;
    }
  });

  it('deletes an account through a long-running operation', async () => {
    await create('di-delete');
    await client.accounts.beginDeleteAndWait(rg, 'di-delete');
    await expect(client.accounts.get(rg, 'di-delete')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
  });

  it('accepts the api-version the Azure CLI 2.45 sends and rejects unknown ones', async () => {
    const cli = new CognitiveServicesManagementClient(emu.owner, DEMO.subscriptionId, { ...emu.clientOptions, apiVersion: '2022-12-01' });
    expect((await cli.accounts.get(rg, DEMO.account)).kind).toBe('FormRecognizer');
    const bad = new CognitiveServicesManagementClient(emu.owner, DEMO.subscriptionId, { ...emu.clientOptions, apiVersion: '2019-01-01' });
    await expect(bad.accounts.get(rg, DEMO.account)).rejects.toMatchObject({ statusCode: 400, code: 'NoRegisteredProviderFound' });
  });
});
