import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { StorageManagementClient } from '@azure/arm-storage';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';

let emu: TestEmulator;
let storage: StorageManagementClient;
const RG = DEMO.resourceGroup;
const storageId = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;

beforeAll(async () => {
  emu = await startTestEmulator();
  storage = new StorageManagementClient(emu.owner, DEMO.subscriptionId, { ...emu.clientOptions, updateIntervalInMs: 10 } as never);
});
afterAll(async () => emu.stop());

// @azure/arm-storage 20.0.0 drops `properties` from an update whose only property is networkRuleSet (its
// serializer checks for "NetworkRuleSet"), so these updates also restate minimumTlsVersion.
const denyAcls = (extra: Record<string, unknown>) => ({
  minimumTlsVersion: 'TLS1_2' as const,
  networkRuleSet: { defaultAction: 'Deny' as const, bypass: 'AzureServices', ...extra },
});

describe('storage accounts', () => {
  it('creates an account with 202 and a Location the SDK polls to Succeeded', async () => {
    await emu.control('POST', 'faults', { lroDelayMs: 50 });
    await emu.clearLog();
    const account = await storage.storageAccounts.create(RG, 'stcreatetest01', { location: 'eastus', kind: 'StorageV2', sku: { name: 'Standard_LRS' } });
    await emu.control('POST', 'faults', { lroDelayMs: 0 });
    expect(account.provisioningState).toBe('Succeeded');
    expect(account.primaryEndpoints?.blob).toBe('https://stcreatetest01.blob.core.windows.net/');
    expect(account.networkRuleSet).toMatchObject({ bypass: 'AzureServices', defaultAction: 'Allow', ipRules: [] });
    const log = await emu.control('GET', 'requests?kind=arm,poll');
    const put = log.value.find((r: any) => r.method === 'PUT' && r.path.endsWith('/stcreatetest01'));
    expect(put.status).toBe(202);
    expect(put.apiVersion).toBe('2025-08-01');
    expect(log.value.some((r: any) => r.kind === 'poll' && /\/asyncoperations\//i.test(r.path))).toBe(true);
  });

  it('rejects an invalid name with AccountNameInvalid and reports names already taken', async () => {
    await expect(storage.storageAccounts.create(RG, 'Bad_Name', { location: 'eastus', kind: 'StorageV2', sku: { name: 'Standard_LRS' } })).rejects.toMatchObject({
      statusCode: 400,
      code: 'AccountNameInvalid',
    });
    const taken = await storage.storageAccounts.checkNameAvailability({ name: DEMO.storage, type: 'Microsoft.Storage/storageAccounts' });
    expect(taken).toMatchObject({ nameAvailable: false, reason: 'AlreadyExists', message: `The storage account named ${DEMO.storage} is already taken.` });
    const invalid = await storage.storageAccounts.checkNameAvailability({ name: 'ab', type: 'Microsoft.Storage/storageAccounts' });
    expect(invalid).toMatchObject({ nameAvailable: false, reason: 'AccountNameInvalid' });
  });

  it('lists accounts by resource group and subscription', async () => {
    const inGroup: string[] = [];
    for await (const a of storage.storageAccounts.listByResourceGroup(RG)) inGroup.push(a.name!);
    const all: string[] = [];
    for await (const a of storage.storageAccounts.list()) all.push(a.name!);
    expect(inGroup).toContain(DEMO.storage);
    expect(all).toContain(DEMO.storage);
  });

  it('keeps unrelated properties when an update changes one', async () => {
    await storage.storageAccounts.update(RG, DEMO.storage, { tags: { owner: 'docs' } });
    const updated = await storage.storageAccounts.update(RG, DEMO.storage, { minimumTlsVersion: 'TLS1_2', allowSharedKeyAccess: false });
    expect(updated.allowSharedKeyAccess).toBe(false);
    expect(updated.tags).toEqual({ owner: 'docs' });
    expect(updated.allowBlobPublicAccess).toBe(false);
    expect(updated.encryption?.keySource).toBe('Microsoft.Storage');
    expect(updated.primaryEndpoints?.blob).toBe(`https://${DEMO.storage}.blob.core.windows.net/`);
    await storage.storageAccounts.update(RG, DEMO.storage, { allowSharedKeyAccess: true });
  });

  it('echoes bypass flags spaced as Azure does and rejects unknown flags', async () => {
    const a = await storage.storageAccounts.update(RG, DEMO.storage, denyAcls({ bypass: 'AzureServices,Logging,Metrics' }));
    expect(a.networkRuleSet?.bypass).toBe('Logging, Metrics, AzureServices');
    await expect(storage.storageAccounts.update(RG, DEMO.storage, denyAcls({ bypass: 'AzureServices,Everything' }))).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidValuesForRequestParameters',
    });
    await expect(storage.storageAccounts.update(RG, DEMO.storage, denyAcls({ bypass: 'None,Logging' }))).rejects.toMatchObject({ statusCode: 400 });
  });

  it('accepts public addresses and ranges but rejects /31, /32 and private ranges in IP rules', async () => {
    const ok = await storage.storageAccounts.update(RG, DEMO.storage, denyAcls({ ipRules: [{ iPAddressOrRange: '203.0.113.10' }, { iPAddressOrRange: '198.51.100.0/30' }] }));
    expect(ok.networkRuleSet?.ipRules).toEqual([
      { iPAddressOrRange: '203.0.113.10', action: 'Allow' },
      { iPAddressOrRange: '198.51.100.0/30', action: 'Allow' },
    ]);
    for (const bad of ['203.0.113.10/32', '203.0.113.10/31', '10.1.2.3', '172.20.0.0/16', '192.168.1.0/24', '100.64.0.1', 'not-an-ip']) {
      await expect(storage.storageAccounts.update(RG, DEMO.storage, denyAcls({ ipRules: [{ iPAddressOrRange: bad }] })), bad).rejects.toMatchObject({
        statusCode: 400,
        code: 'InvalidValuesForRequestParameters',
        message: expect.stringContaining('networkAcls.ipRule[*].value'),
      });
    }
    const after = await storage.storageAccounts.getProperties(RG, DEMO.storage);
    expect(after.networkRuleSet?.ipRules?.map((r) => r.iPAddressOrRange)).toEqual(['203.0.113.10', '198.51.100.0/30']);
  });

  it('keeps resource instance rules and validates them', async () => {
    const rule = { tenantId: DEMO.tenantId, resourceId: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}` };
    const a = await storage.storageAccounts.update(RG, DEMO.storage, denyAcls({ resourceAccessRules: [rule] }));
    expect(a.networkRuleSet?.resourceAccessRules).toEqual([rule]);
    expect((await storage.storageAccounts.getProperties(RG, DEMO.storage)).networkRuleSet?.resourceAccessRules).toEqual([rule]);
    await expect(storage.storageAccounts.update(RG, DEMO.storage, denyAcls({ resourceAccessRules: [{ tenantId: 'x', resourceId: rule.resourceId }] }))).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidValuesForRequestParameters',
    });
  });

  it('lets the Reader read but not write (AuthorizationFailed)', async () => {
    const asReader = new StorageManagementClient(emu.reader, DEMO.subscriptionId, emu.clientOptions as never);
    expect((await asReader.storageAccounts.getProperties(RG, DEMO.storage)).name).toBe(DEMO.storage);
    await expect(asReader.storageAccounts.update(RG, DEMO.storage, { tags: {} })).rejects.toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    await expect(asReader.storageAccounts.listKeys(RG, DEMO.storage)).rejects.toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
  });

  it('serves keys through listKeys only', async () => {
    const keys = await storage.storageAccounts.listKeys(RG, DEMO.storage);
    expect(keys.keys?.map((k) => k.keyName)).toEqual(['key1', 'key2']);
    const account = await emu.control('GET', 'state');
    const stored = account.resources.find((r: any) => r.id.toLowerCase() === storageId.toLowerCase());
    expect(JSON.stringify(stored)).not.toContain(keys.keys![0].value!);
  });

  it('answers ResourceNotFound for a missing account', async () => {
    await expect(storage.storageAccounts.getProperties(RG, 'stnosuchaccount')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
  });
});

describe('blob service CORS', () => {
  it('always returns all four lists of each rule', async () => {
    await emu.control('PUT', 'state', {
      resources: [
        {
          id: `${storageId}/blobServices/default`,
          name: 'default',
          type: 'Microsoft.Storage/storageAccounts/blobServices',
          properties: { cors: { corsRules: [{ allowedOrigins: ['https://portal.example'], allowedMethods: ['GET'], maxAgeInSeconds: 60 }] } },
        },
      ],
    });
    const service = await storage.blobServices.getServiceProperties(RG, DEMO.storage);
    expect(service.cors?.corsRules).toEqual([
      { allowedOrigins: ['https://portal.example'], allowedMethods: ['GET'], maxAgeInSeconds: 60, exposedHeaders: [], allowedHeaders: [] },
    ]);
  });

  it('sets rules and keeps other service settings', async () => {
    const rule = { allowedOrigins: ['https://ai.azure.com'], allowedMethods: ['GET', 'OPTIONS'], maxAgeInSeconds: 120, exposedHeaders: ['*'], allowedHeaders: ['*'] };
    const set = await storage.blobServices.setServiceProperties(RG, DEMO.storage, { cors: { corsRules: [rule] } });
    expect(set.cors?.corsRules).toEqual([rule]);
    const services: string[] = [];
    for await (const s of storage.blobServices.list(RG, DEMO.storage)) services.push(s.name!);
    expect(services).toEqual(['default']);
  });

  it('rejects unknown methods and more than five rules', async () => {
    const rule = { allowedOrigins: ['*'], allowedMethods: ['GET'], maxAgeInSeconds: 1, exposedHeaders: [], allowedHeaders: [] };
    await expect(storage.blobServices.setServiceProperties(RG, DEMO.storage, { cors: { corsRules: [{ ...rule, allowedMethods: ['FETCH'] }] } })).rejects.toMatchObject({ statusCode: 400 });
    await expect(storage.blobServices.setServiceProperties(RG, DEMO.storage, { cors: { corsRules: Array(6).fill(rule) } })).rejects.toMatchObject({ statusCode: 400 });
  });

  it('lists the scenario container', async () => {
    const names: string[] = [];
    for await (const c of storage.blobContainers.list(RG, DEMO.storage)) names.push(c.name!);
    expect(names).toEqual([DEMO.container]);
    expect((await storage.blobContainers.get(RG, DEMO.storage, DEMO.container)).publicAccess).toBe('None');
  });
});

describe('private link', () => {
  it('lists the storage groups with their privatelink zones', async () => {
    const list = await storage.privateLinkResources.listByStorageAccount(RG, DEMO.storage);
    const blob = list.value?.find((g) => g.groupId === 'blob');
    expect(blob).toMatchObject({ requiredMembers: ['blob'], requiredZoneNames: ['privatelink.blob.core.windows.net'] });
    expect(list.value?.map((g) => g.groupId)).toEqual(expect.arrayContaining(['blob', 'blob_secondary', 'table', 'queue', 'file', 'web', 'dfs', 'dfs_secondary']));
  });

  it('uses the sovereign cloud suffix for an account in US Gov', async () => {
    await storage.storageAccounts.create(RG, 'stgovtest01', { location: 'usgovvirginia', kind: 'StorageV2', sku: { name: 'Standard_LRS' } });
    const list = await storage.privateLinkResources.listByStorageAccount(RG, 'stgovtest01');
    expect(list.value?.find((g) => g.groupId === 'blob')?.requiredZoneNames).toEqual(['privatelink.blob.core.usgovcloudapi.net']);
  });

  it('approves and rejects a pending connection and embeds it in the account', async () => {
    const name = 'pe-blob.1111';
    await emu.control('PUT', 'state', {
      resources: [
        {
          id: `${storageId}/privateEndpointConnections/${name}`,
          name,
          type: 'Microsoft.Storage/storageAccounts/privateEndpointConnections',
          properties: {
            privateEndpoint: { id: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Network/privateEndpoints/pe-blob` },
            groupIds: ['blob'],
            privateLinkServiceConnectionState: { status: 'Pending', description: 'please', actionsRequired: 'None' },
            provisioningState: 'Succeeded',
          },
        },
      ],
    });
    const approved = await storage.privateEndpointConnections.put(RG, DEMO.storage, name, { privateLinkServiceConnectionState: { status: 'Approved', description: 'ok' } });
    expect(approved.privateLinkServiceConnectionState).toMatchObject({ status: 'Approved', description: 'ok' });
    const account = await storage.storageAccounts.getProperties(RG, DEMO.storage);
    expect(account.privateEndpointConnections?.map((c) => c.name)).toEqual([name]);
    const listed: string[] = [];
    for await (const c of storage.privateEndpointConnections.list(RG, DEMO.storage)) listed.push(c.privateLinkServiceConnectionState!.status!);
    expect(listed).toEqual(['Approved']);
    await storage.privateEndpointConnections.delete(RG, DEMO.storage, name);
    await expect(storage.privateEndpointConnections.get(RG, DEMO.storage, name)).rejects.toMatchObject({ statusCode: 404 });
  });
});
