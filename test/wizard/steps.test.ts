/**
 * The guide's steps through the product's own commands, against the emulator over HTTPS with the
 * official SDK clients: each applies from the demo state, a second run writes nothing, drift is
 * repaired, and settings the step does not own survive.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { runCli, DEMO_TARGETS } from '../support/cli.js';

// One emulator for the file, back to the demo state (no faults, an empty request log) before each test.
let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());
beforeEach(async () => {
  await emu.control('POST', 'reset');
});

const rg = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}`;
const accountId = `${rg}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}`;
const storageId = `${rg}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;

async function writes(): Promise<{ method: string; path: string; status: number }[]> {
  return (await emu.armRequests()).filter((r) => r.method !== 'GET');
}

async function resource(id: string): Promise<any> {
  const state = await emu.control('GET', 'state');
  return state.resources.find((r: { id: string }) => r.id.toLowerCase() === id.toLowerCase());
}

const yes = { ...DEMO_TARGETS, yes: true };

describe('identity', () => {
  it('turns on the system-assigned identity, then a second run makes no writes', async () => {
    const first = await runCli(emu, 'identity', yes);
    expect(first.code).toBe(0);
    const account = await resource(accountId);
    expect(account.identity.type).toBe('SystemAssigned');
    expect(account.identity.principalId).toMatch(/^[0-9a-f-]{36}$/);
    await emu.clearLog();
    const second = await runCli(emu, 'identity', yes);
    expect(second.code).toBe(0);
    expect(await writes()).toEqual([]);
    expect(second.out).toContain('already done');
  });

  it('keeps user-assigned identities', async () => {
    const uami = `${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami-app`;
    const account = await resource(accountId);
    account.identity = { type: 'UserAssigned', userAssignedIdentities: { [uami]: { principalId: '0e0e0e0e-0000-4000-8000-000000000001', clientId: '0e0e0e0e-0000-4000-8000-000000000002' } } };
    await emu.control('PUT', 'state', { resources: [account] });
    const run = await runCli(emu, 'identity', yes);
    expect(run.code, run.err).toBe(0);
    const after = await resource(accountId);
    expect(after.identity.type).toBe('SystemAssigned, UserAssigned');
    expect(Object.keys(after.identity.userAssignedIdentities).map((k) => k.toLowerCase())).toEqual([uami.toLowerCase()]);
  });
});

describe('storage-lockdown', () => {
  it('denies by default with the trusted-services exception, keeping existing rules, tags and Logging', async () => {
    const vnet = await resource(`${rg}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}`);
    vnet.properties.subnets[0].properties.serviceEndpoints = [{ service: 'Microsoft.Storage', locations: [DEMO.location], provisioningState: 'Succeeded' }];
    await emu.control('PUT', 'state', { resources: [vnet] });
    const storage = await resource(storageId);
    storage.tags = { owner: 'data-team' };
    storage.properties.networkAcls = {
      bypass: 'Logging',
      defaultAction: 'Allow',
      ipRules: [{ value: '198.51.100.7', action: 'Allow' }],
      virtualNetworkRules: [{ id: `${rg}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}/subnets/${DEMO.subnet}`, action: 'Allow', state: 'Succeeded' }],
      resourceAccessRules: [{ tenantId: DEMO.tenantId, resourceId: `${rg}/providers/Microsoft.Synapse/workspaces/ws1` }],
    };
    await emu.control('PUT', 'state', { resources: [storage] });
    const run = await runCli(emu, 'storage-lockdown', yes);
    expect(run.code, run.err).toBe(0);
    const acls = (await resource(storageId)).properties.networkAcls;
    expect(acls.defaultAction).toBe('Deny');
    expect(acls.bypass.split(',').map((s: string) => s.trim()).sort()).toEqual(['AzureServices', 'Logging']);
    expect(acls.ipRules.map((r: { value: string }) => r.value)).toEqual(['198.51.100.7']);
    expect(acls.virtualNetworkRules).toHaveLength(1);
    expect(acls.resourceAccessRules).toHaveLength(1);
    expect((await resource(storageId)).tags).toEqual({ owner: 'data-team' });
    await emu.clearLog();
    expect((await runCli(emu, 'storage-lockdown', yes)).code).toBe(0);
    expect(await writes()).toEqual([]);
  });

  it('repairs drift: a firewall set back to Allow is denied again', async () => {
    await runCli(emu, 'storage-lockdown', yes);
    const storage = await resource(storageId);
    storage.properties.networkAcls.defaultAction = 'Allow';
    await emu.control('PUT', 'state', { resources: [storage] });
    const run = await runCli(emu, 'storage-lockdown', yes);
    expect(run.code, run.err).toBe(0);
    expect((await resource(storageId)).properties.networkAcls.defaultAction).toBe('Deny');
  });

  it('an allowed IP already inside a range of the firewall is left as it is, on storage and on the account', async () => {
    const range = '203.0.113.0/24';
    expect((await runCli(emu, 'private-endpoint', yes)).code).toBe(0);
    const storage = await resource(storageId);
    storage.properties.networkAcls = { bypass: 'AzureServices', defaultAction: 'Deny', ipRules: [{ value: range, action: 'Allow' }], virtualNetworkRules: [], resourceAccessRules: [] };
    const account = await resource(accountId);
    account.properties.networkAcls = { ...account.properties.networkAcls, ipRules: [{ value: range }] };
    await emu.control('PUT', 'state', { resources: [storage, account] });
    await emu.clearLog();
    const lockdown = await runCli(emu, 'storage-lockdown', { ...yes, allowIp: ['203.0.113.7'] });
    expect(lockdown.code, lockdown.err).toBe(0);
    const endpoint = await runCli(emu, 'private-endpoint', { ...yes, allowIp: ['203.0.113.7'] });
    expect(endpoint.code, endpoint.err).toBe(0);
    expect(await writes()).toEqual([]);
    expect((await resource(storageId)).properties.networkAcls.ipRules.map((r: { value: string }) => r.value)).toEqual([range]);
    expect((await resource(accountId)).properties.networkAcls.ipRules.map((r: { value: string }) => r.value)).toEqual([range]);
  });

  it('adds the Studio IP and CORS rule beside an existing CORS rule', async () => {
    const blobId = `${storageId}/blobServices/default`;
    const blob = await resource(blobId);
    const mine = { allowedOrigins: ['https://app.contoso.com'], allowedMethods: ['GET'], allowedHeaders: ['x-ms-*'], exposedHeaders: [], maxAgeInSeconds: 60 };
    blob.properties.cors = { corsRules: [mine] };
    await emu.control('PUT', 'state', { resources: [blob] });
    const run = await runCli(emu, 'storage-lockdown', { ...yes, allowStudio: true });
    expect(run.code, run.err).toBe(0);
    const rules = (await resource(blobId)).properties.cors.corsRules;
    expect(rules).toHaveLength(2);
    expect(rules[0].allowedOrigins).toEqual(['https://app.contoso.com']);
    expect(rules[1].allowedOrigins).toEqual(['https://documentintelligence.ai.azure.com', 'https://formrecognizer.appliedai.azure.com']);
    expect(rules[1].maxAgeInSeconds).toBe(120);
    expect((await resource(storageId)).properties.networkAcls.ipRules.map((r: { value: string }) => r.value)).toContain('20.3.165.95');
    await emu.clearLog();
    expect((await runCli(emu, 'storage-lockdown', { ...yes, allowStudio: true })).code).toBe(0);
    expect(await writes()).toEqual([]);
  });

  it('adds a resource-instance rule for the account with --access-rule resource-instance', async () => {
    const run = await runCli(emu, 'storage-lockdown', { ...yes, accessRule: 'resource-instance' });
    expect(run.code, run.err).toBe(0);
    const acls = (await resource(storageId)).properties.networkAcls;
    expect(acls.resourceAccessRules).toEqual([{ tenantId: DEMO.tenantId, resourceId: accountId }]);
  });
});

describe('grant', () => {
  it('assigns Storage Blob Data Reader to the identity with a deterministic name; a re-run writes nothing', async () => {
    await runCli(emu, 'identity', yes);
    const principalId = (await resource(accountId)).identity.principalId;
    const run = await runCli(emu, 'grant', yes);
    expect(run.code, run.err).toBe(0);
    const state = await emu.control('GET', 'state');
    const mine = state.resources.filter((r: any) => r.type === 'Microsoft.Authorization/roleAssignments' && r.properties.principalId === principalId);
    expect(mine).toHaveLength(1);
    expect(mine[0].properties.roleDefinitionId).toMatch(/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1$/);
    expect(mine[0].properties.principalType).toBe('ServicePrincipal');
    expect(mine[0].properties.scope.toLowerCase()).toBe(storageId.toLowerCase());
    await emu.clearLog();
    expect((await runCli(emu, 'grant', yes)).code).toBe(0);
    expect(await writes()).toEqual([]);
  });

  it('is a no-op when a role at the resource group already covers blob read', async () => {
    await runCli(emu, 'identity', yes);
    const principalId = (await resource(accountId)).identity.principalId;
    const name = '0b0b0b0b-0000-4000-8000-00000000000b';
    await emu.control('PUT', 'state', {
      resources: [{
        id: `${rg}/providers/Microsoft.Authorization/roleAssignments/${name}`,
        name,
        type: 'Microsoft.Authorization/roleAssignments',
        properties: { roleDefinitionId: `/subscriptions/${DEMO.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/b7e6dc6d-f1e8-4753-8033-0f276bb0955b`, principalId, principalType: 'ServicePrincipal', scope: rg },
      }],
    });
    await emu.clearLog();
    const run = await runCli(emu, 'grant', { ...yes, output: 'json' });
    expect(run.code, run.err).toBe(0);
    expect(await writes()).toEqual([]);
    expect(run.json().steps[0].status).toBe('unchanged');
  });

  it('re-creates a removed role assignment and keeps other assignments', async () => {
    await runCli(emu, 'identity', yes);
    await runCli(emu, 'grant', yes);
    const state = await emu.control('GET', 'state');
    const principalId = (await resource(accountId)).identity.principalId;
    const mine = state.resources.find((r: any) => r.type === 'Microsoft.Authorization/roleAssignments' && r.properties.principalId === principalId);
    const others = state.resources.filter((r: any) => r.type === 'Microsoft.Authorization/roleAssignments' && r.properties.principalId !== principalId).length;
    await emu.control('PUT', 'state', { delete: [mine.id] });
    expect((await runCli(emu, 'grant', yes)).code).toBe(0);
    const after = (await emu.control('GET', 'state')).resources.filter((r: any) => r.type === 'Microsoft.Authorization/roleAssignments');
    expect(after.filter((r: any) => r.properties.principalId === principalId)).toHaveLength(1);
    expect(after.filter((r: any) => r.properties.principalId !== principalId)).toHaveLength(others);
  });
});

describe('private-endpoint', () => {
  it('sets the subdomain, restricts the account, creates both endpoints with DNS; a re-run writes nothing', async () => {
    const run = await runCli(emu, 'private-endpoint', yes);
    expect(run.code, run.err).toBe(0);
    const account = await resource(accountId);
    expect(account.properties.customSubDomainName).toBe(DEMO.account);
    expect(account.properties.networkAcls.defaultAction).toBe('Deny');
    const state = await emu.control('GET', 'state');
    const pes = state.resources.filter((r: any) => r.type === 'Microsoft.Network/privateEndpoints');
    expect(pes.map((p: any) => p.name).sort()).toEqual(['pe-docintel-demo-account', 'pe-stdocinteldemo-blob']);
    const records = state.resources.filter((r: any) => r.type === 'Microsoft.Network/privateDnsZones/A');
    expect(records.map((r: any) => r.name).sort()).toEqual(['docintel-demo', 'stdocinteldemo']);
    await emu.clearLog();
    const again = await runCli(emu, 'private-endpoint', yes);
    expect(again.code).toBe(0);
    expect(await writes()).toEqual([]);
  });

  it('needs --yes for the permanent subdomain and lock-out in a non-interactive run, and writes nothing without it', async () => {
    await emu.clearLog();
    const run = await runCli(emu, 'private-endpoint', DEMO_TARGETS);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--yes/);
    expect(run.err).toMatch(/permanent/);
    expect(await writes()).toEqual([]);
  });
});

describe('private-endpoint DNS drift', () => {
  it('rewrites an A record that no longer points at the endpoint', async () => {
    expect((await runCli(emu, 'private-endpoint', yes)).code).toBe(0);
    const zoneRecord = `${rg}/providers/Microsoft.Network/privateDnsZones/privatelink.cognitiveservices.azure.com/A/docintel-demo`;
    const record = await resource(zoneRecord);
    const good = record.properties.aRecords[0].ipv4Address;
    record.properties.aRecords = [{ ipv4Address: '10.10.1.200' }];
    await emu.control('PUT', 'state', { resources: [record] });
    const run = await runCli(emu, 'private-endpoint', { ...yes, output: 'json' });
    expect(run.code, run.err).toBe(0);
    const change = run.json().steps.find((s: any) => s.id === 'private-endpoint').changes.find((c: any) => c.property === 'aRecords');
    expect(change).toMatchObject({ action: 'update', before: ['10.10.1.200'], after: [good] });
    expect((await resource(zoneRecord)).properties.aRecords).toEqual([{ ipv4Address: good }]);
  });
});
