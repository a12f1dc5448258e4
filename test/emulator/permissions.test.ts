/**
 * `Microsoft.Authorization/permissions` as @azure/arm-authorization 9.0.0 reads it
 * (spec: authorization-RoleDefinitionsCalls.json 2022-04-01, Permissions_ListForResourceGroup /
 * Permissions_ListForResource): one entry per role assignment of the caller at the scope or above.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request } from 'node:https';
import { ClientSecretCredential } from '@azure/identity';
import { AuthorizationManagementClient, type Permission } from '@azure/arm-authorization';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { demoScenario, type Scenario } from '../../packages/arm-emulator/src/index.js';

const SUB = `/subscriptions/${DEMO.subscriptionId}`;
const RG = `${SUB}/resourceGroups/${DEMO.resourceGroup}`;
const VNET = `${RG}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}`;
const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;
const OPERATOR = { objectId: 'c3c3c3c3-0000-4000-8000-000000000003', appId: 'c3c3c3c3-1111-4000-8000-000000000003', secret: 'operator-secret' };

function scenario(): Scenario {
  const s = demoScenario();
  s.principals.push({ ...OPERATOR, displayName: 'operator', type: 'ServicePrincipal' });
  s.roleAssignments!.push(
    { scope: RG, principalId: OPERATOR.objectId, roleName: 'Cognitive Services Contributor', principalType: 'ServicePrincipal' },
    { scope: VNET, principalId: OPERATOR.objectId, roleName: 'Network Contributor', principalType: 'ServicePrincipal' },
    { scope: STORAGE, principalId: OPERATOR.objectId, roleName: 'Storage Blob Data Reader', principalType: 'ServicePrincipal' },
  );
  return s;
}

let emu: TestEmulator;
let operator: ClientSecretCredential;
let client: AuthorizationManagementClient;

beforeAll(async () => {
  // One entry per page, so every list below is read through nextLink.
  emu = await startTestEmulator({ scenario: scenario(), pageSize: 1 });
  operator = new ClientSecretCredential(DEMO.tenantId, OPERATOR.appId, OPERATOR.secret, {
    authorityHost: emu.url,
    disableInstanceDiscovery: true,
    tlsOptions: emu.clientOptions.tlsOptions,
  } as never);
  client = new AuthorizationManagementClient(operator, DEMO.subscriptionId, emu.clientOptions);
});
afterAll(async () => emu.stop());

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Whether an action is allowed by a permissions list, as a client evaluates it (`*` spans any characters). */
function allows(perms: Permission[], action: string): boolean {
  const match = (p: string) => new RegExp('^' + p.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 'i').test(action);
  return perms.some((p) => (p.actions ?? []).some(match) && !(p.notActions ?? []).some(match));
}

describe('Microsoft.Authorization/permissions', () => {
  it('lists the role at the resource group, without a role given only on a resource below it', async () => {
    const perms = await collect(client.permissions.listForResourceGroup(DEMO.resourceGroup));
    expect(perms).toHaveLength(1);
    expect(perms[0].actions).toContain('Microsoft.CognitiveServices/*');
    expect(perms[0]).toMatchObject({ notActions: [], dataActions: [], notDataActions: [] });
    expect(allows(perms, 'Microsoft.CognitiveServices/accounts/write')).toBe(true);
    expect(allows(perms, 'Microsoft.Network/privateEndpoints/write')).toBe(false);
  });

  it('lists the roles inherited from above and given at the resource, for a resource and a child resource', async () => {
    const vnet = await collect(client.permissions.listForResource(DEMO.resourceGroup, 'Microsoft.Network', '', 'virtualNetworks', DEMO.vnet));
    expect(vnet).toHaveLength(2);
    expect(allows(vnet, 'Microsoft.Network/virtualNetworks/subnets/join/action')).toBe(true);
    const subnet = await collect(client.permissions.listForResource(DEMO.resourceGroup, 'Microsoft.Network', `virtualNetworks/${DEMO.vnet}`, 'subnets', DEMO.subnet));
    expect(subnet).toEqual(vnet);
  });

  it('carries dataActions of data roles', async () => {
    const perms = await collect(client.permissions.listForResource(DEMO.resourceGroup, 'Microsoft.Storage', '', 'storageAccounts', DEMO.storage));
    expect(perms).toContainEqual({
      actions: ['Microsoft.Storage/storageAccounts/blobServices/containers/read', 'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action'],
      notActions: [],
      dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'],
      notDataActions: [],
    });
    expect(allows(perms, 'Microsoft.Authorization/roleAssignments/write')).toBe(false);
  });

  it('shows Contributor-style notActions as they are, for the client to evaluate', async () => {
    const owner = new AuthorizationManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    const perms = await collect(owner.permissions.listForResourceGroup(DEMO.resourceGroup));
    expect(perms).toEqual([{ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] }]);
    const reader = new AuthorizationManagementClient(emu.reader, DEMO.subscriptionId, emu.clientOptions);
    const read = await collect(reader.permissions.listForResourceGroup(DEMO.resourceGroup));
    expect(read).toEqual([{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }]);
    expect(allows(read, 'Microsoft.Network/privateEndpoints/write')).toBe(false);
  });

  it('answers at the subscription scope (no role there for the operator: an empty list)', async () => {
    const token = (await operator.getToken('https://management.azure.com/.default'))!.token;
    const body = await new Promise<any>((resolve, reject) => {
      const req = request(`${emu.url}${SUB}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`, { ca: emu.caCert, headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(body).toEqual({ status: 200, json: { value: [] } });
  });

  it('answers 404 for a resource group or resource that does not exist', async () => {
    await expect(collect(client.permissions.listForResourceGroup('rg-missing'))).rejects.toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' });
    await expect(collect(client.permissions.listForResource(DEMO.resourceGroup, 'Microsoft.Storage', '', 'storageAccounts', 'nosuchaccount'))).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
  });
});
