import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { randomUUID } from 'node:crypto';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ResourceManagementClient } from '@azure/arm-resources';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { demoScenario, type Scenario } from '../../packages/arm-emulator/src/index.js';

const SUB = `/subscriptions/${DEMO.subscriptionId}`;
const RG = `${SUB}/resourceGroups/${DEMO.resourceGroup}`;
const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;
const BLOB_READER = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const CUSTOM_ROLE = 'c0ffee00-1111-4222-8333-444455556666';
const USER = { objectId: 'a1a1a1a1-0000-4000-8000-000000000001', displayName: 'Data scientist', type: 'User' as const };
const LATE_SP = { objectId: 'b2b2b2b2-0000-4000-8000-000000000002', displayName: 'new identity', type: 'ServicePrincipal' as const };
const REPLICATION_MS = 10 * 60_000;

function scenario(): Scenario {
  const s = demoScenario();
  s.principals.push(USER, { ...LATE_SP, visibleAt: Date.now() + REPLICATION_MS });
  s.resources.push({
    id: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${CUSTOM_ROLE}`,
    name: CUSTOM_ROLE,
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName: 'Document Reader (custom)',
      type: 'CustomRole',
      description: 'Reads training documents.',
      assignableScopes: [SUB],
      permissions: [
        { actions: ['Microsoft.Storage/storageAccounts/read'], notActions: [], dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'], notDataActions: [] },
      ],
      createdOn: '2026-01-02T00:00:00.0000000Z',
      updatedOn: '2026-01-02T00:00:00.0000000Z',
      createdBy: DEMO.owner.objectId,
      updatedBy: DEMO.owner.objectId,
    },
  });
  return s;
}

let emu: TestEmulator;
let owner: AuthorizationManagementClient;
const realNow = () => Date.now();

beforeAll(async () => {
  emu = await startTestEmulator({ scenario: scenario() });
  owner = new AuthorizationManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
});
afterAll(async () => emu.stop());
beforeEach(() => {
  emu.context.now = realNow;
});

/** The SDK's `{scope}` is substituted unencoded after a `/`, so scopes are passed without their leading slash (as Azure's own samples do). */
const at = (scope: string) => scope.slice(1);
const roleId = (guid: string) => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('role definitions', () => {
  it('finds built-in roles by roleName filter with their real GUIDs', async () => {
    const expected: Record<string, string> = {
      Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
      Reader: READER,
      'Storage Blob Data Reader': BLOB_READER,
      'Private DNS Zone Contributor': 'b12aa53e-6015-4669-85d0-8515ebb3ae7f',
      'Cognitive Services User': 'a97b65f3-24c7-4388-baec-2e87135dc908',
    };
    for (const [roleName, guid] of Object.entries(expected)) {
      const found = await collect(owner.roleDefinitions.list(at(STORAGE), { filter: `roleName eq '${roleName}'` }));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ name: guid, id: roleId(guid), roleName, roleType: 'BuiltInRole', assignableScopes: ['/'] });
    }
  });

  it('returns the Storage Blob Data Reader permissions with its data action', async () => {
    const role = await owner.roleDefinitions.get(at(SUB), BLOB_READER);
    expect(role.permissions?.[0].dataActions).toEqual(['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read']);
    expect(role.permissions?.[0].actions).toContain('Microsoft.Storage/storageAccounts/blobServices/containers/read');
  });

  it('serves a scenario custom role with dataActions and filters by type', async () => {
    const custom = await collect(owner.roleDefinitions.list(at(RG), { filter: "type eq 'CustomRole'" }));
    expect(custom.map((r) => r.name)).toEqual([CUSTOM_ROLE]);
    expect(custom[0].permissions?.[0].dataActions).toEqual(['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read']);
    const builtIn = await collect(owner.roleDefinitions.list(at(SUB), { filter: "type eq 'BuiltInRole'" }));
    expect(builtIn.length).toBeGreaterThan(5);
    expect(builtIn.every((r) => r.roleType === 'BuiltInRole')).toBe(true);
  });

  it('answers RoleDefinitionDoesNotExist for an unknown role id', async () => {
    await expect(owner.roleDefinitions.get(at(SUB), randomUUID())).rejects.toMatchObject({ statusCode: 404, code: 'RoleDefinitionDoesNotExist' });
  });
});

describe('role assignments', () => {
  it('creates an assignment at a resource scope (201) with Azure fields, and reads it back by scope and by id', async () => {
    const name = randomUUID();
    const created = await owner.roleAssignments.create(at(STORAGE), name, { roleDefinitionId: roleId(BLOB_READER), principalId: USER.objectId });
    expect(created).toMatchObject({
      id: `${STORAGE}/providers/Microsoft.Authorization/roleAssignments/${name}`,
      name,
      type: 'Microsoft.Authorization/roleAssignments',
      scope: STORAGE,
      principalId: USER.objectId,
      principalType: 'User',
      roleDefinitionId: roleId(BLOB_READER),
      createdBy: DEMO.owner.objectId,
    });
    expect(created.createdOn).toBeInstanceOf(Date);
    const log = (await emu.armRequests()).filter((r) => r.method === 'PUT' && r.path.endsWith(name));
    expect(log.map((r) => [r.status, r.apiVersion])).toEqual([[201, '2022-04-01']]);
    expect(await owner.roleAssignments.get(at(STORAGE), name)).toMatchObject({ principalId: USER.objectId });
    expect(await owner.roleAssignments.getById(at(created.id!))).toMatchObject({ name });
  });

  it('creates assignments at nested child resource scopes', async () => {
    const scope = `${STORAGE}/blobServices/default/containers/${DEMO.container}`;
    const a = await owner.roleAssignments.create(at(scope), randomUUID(), { roleDefinitionId: roleId(READER), principalId: USER.objectId, principalType: 'User' });
    expect(a.scope).toBe(scope);
  });

  it('rejects the same scope, role and principal under another name with RoleAssignmentExists', async () => {
    const params = { roleDefinitionId: roleId(READER), principalId: USER.objectId };
    await owner.roleAssignments.create(at(RG), randomUUID(), params);
    await expect(owner.roleAssignments.create(at(RG), randomUUID(), params)).rejects.toMatchObject({
      statusCode: 409,
      code: 'RoleAssignmentExists',
      message: 'The role assignment already exists.',
    });
  });

  it('accepts a repeated create under the same name, but not a changed principal (RoleAssignmentUpdateNotPermitted)', async () => {
    const name = randomUUID();
    const params = { roleDefinitionId: roleId(BLOB_READER), principalId: DEMO.reader.objectId };
    await owner.roleAssignments.create(at(RG), name, params);
    await expect(owner.roleAssignments.create(at(RG), name, params)).resolves.toMatchObject({ name });
    await expect(owner.roleAssignments.create(at(RG), name, { ...params, principalId: USER.objectId })).rejects.toMatchObject({
      statusCode: 400,
      code: 'RoleAssignmentUpdateNotPermitted',
    });
  });

  it('requires a GUID name and an existing role definition', async () => {
    await expect(owner.roleAssignments.create(at(RG), 'not-a-guid', { roleDefinitionId: roleId(READER), principalId: USER.objectId })).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidRoleAssignmentId',
    });
    const missing = randomUUID();
    await expect(owner.roleAssignments.create(at(RG), randomUUID(), { roleDefinitionId: roleId(missing), principalId: USER.objectId })).rejects.toMatchObject({
      code: 'RoleDefinitionDoesNotExist',
      message: `The specified role definition with ID '${missing.replace(/-/g, '')}' does not exist.`,
    });
  });

  it('rejects an unknown principal with PrincipalNotFound and Azure\'s full message', async () => {
    const ghost = randomUUID();
    await expect(owner.roleAssignments.create(at(STORAGE), randomUUID(), { roleDefinitionId: roleId(BLOB_READER), principalId: ghost })).rejects.toMatchObject({
      statusCode: 400,
      code: 'PrincipalNotFound',
      message: `Principal ${ghost.replace(/-/g, '')} does not exist in the directory ${DEMO.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
    });
  });

  it('rejects a principal still in its replication window unless principalType is given', async () => {
    const params = { roleDefinitionId: roleId(BLOB_READER), principalId: LATE_SP.objectId };
    await expect(owner.roleAssignments.create(at(STORAGE), randomUUID(), params)).rejects.toMatchObject({ statusCode: 400, code: 'PrincipalNotFound' });
    const ok = await owner.roleAssignments.create(at(STORAGE), randomUUID(), { ...params, principalType: 'ServicePrincipal' });
    expect(ok.principalType).toBe('ServicePrincipal');
  });

  it('accepts the principal without principalType once replication has caught up', async () => {
    emu.context.now = () => realNow() + REPLICATION_MS + 1000;
    const a = await owner.roleAssignments.create(at(RG), randomUUID(), { roleDefinitionId: roleId(READER), principalId: LATE_SP.objectId });
    expect(a.principalType).toBe('ServicePrincipal');
  });

  it('rejects a principalType that differs from the directory with UnmatchedPrincipalType', async () => {
    await expect(
      owner.roleAssignments.create(at(SUB), randomUUID(), { roleDefinitionId: roleId(READER), principalId: USER.objectId, principalType: 'ServicePrincipal' }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'UnmatchedPrincipalType' });
  });

  it('assigns a custom role only within its assignable scopes', async () => {
    const a = await owner.roleAssignments.create(at(STORAGE), randomUUID(), { roleDefinitionId: roleId(CUSTOM_ROLE), principalId: USER.objectId });
    expect(a.roleDefinitionId).toBe(roleId(CUSTOM_ROLE));
  });

  it('deletes with 200 and the body, then 204 when absent', async () => {
    const name = randomUUID();
    await owner.roleAssignments.create(at(SUB), name, { roleDefinitionId: roleId(BLOB_READER), principalId: USER.objectId });
    await emu.clearLog();
    const deleted = await owner.roleAssignments.delete(at(SUB), name);
    expect(deleted.name).toBe(name);
    await owner.roleAssignments.delete(at(SUB), name);
    const deletes = (await emu.armRequests()).filter((r) => r.method === 'DELETE').map((r) => r.status);
    expect(deletes).toEqual([200, 204]);
    await expect(owner.roleAssignments.get(at(SUB), name)).rejects.toMatchObject({ statusCode: 404, code: 'RoleAssignmentNotFound' });
  });

  it('lists at, above and below a scope, and filters with atScope(), principalId and assignedTo()', async () => {
    const fresh = { objectId: randomUUID(), displayName: 'lister', type: 'User' as const };
    emu.context.state.addPrincipal(fresh);
    const atRg = await owner.roleAssignments.create(at(RG), randomUUID(), { roleDefinitionId: roleId(READER), principalId: fresh.objectId });
    const atStorage = await owner.roleAssignments.create(at(STORAGE), randomUUID(), { roleDefinitionId: roleId(BLOB_READER), principalId: fresh.objectId });

    const all = (await collect(owner.roleAssignments.listForScope(at(RG)))).map((a) => a.id);
    expect(all).toEqual(expect.arrayContaining([atRg.id, atStorage.id]));
    expect(all.some((id) => id!.startsWith(`${SUB}/providers/`))).toBe(true); // the demo Owner assignment above

    const atScope = (await collect(owner.roleAssignments.listForScope(at(RG), { filter: 'atScope()' }))).map((a) => a.id);
    expect(atScope).toContain(atRg.id);
    expect(atScope).not.toContain(atStorage.id);

    const byPrincipal = await collect(owner.roleAssignments.listForSubscription({ filter: `principalId eq '${fresh.objectId}'` }));
    expect(byPrincipal.map((a) => a.id).sort()).toEqual([atRg.id, atStorage.id].sort());

    const assignedTo = await collect(owner.roleAssignments.listForScope(at(STORAGE), { filter: `assignedTo('${fresh.objectId}')` }));
    expect(assignedTo.map((a) => a.id).sort()).toEqual([atRg.id, atStorage.id].sort());

    const both = await collect(owner.roleAssignments.listForScope(at(STORAGE), { filter: `atScope() and assignedTo('${fresh.objectId}')` }));
    expect(both.map((a) => a.id).sort()).toEqual([atRg.id, atStorage.id].sort());
  });

  it('lets the Reader read assignments but fails its write with AuthorizationFailed naming the assignment scope', async () => {
    const reader = new AuthorizationManagementClient(emu.reader, DEMO.subscriptionId, emu.clientOptions);
    expect((await collect(reader.roleAssignments.listForSubscription())).length).toBeGreaterThan(0);
    const name = randomUUID();
    const id = `${STORAGE}/providers/Microsoft.Authorization/roleAssignments/${name}`;
    await expect(reader.roleAssignments.create(at(STORAGE), name, { roleDefinitionId: roleId(BLOB_READER), principalId: USER.objectId })).rejects.toMatchObject({
      statusCode: 403,
      code: 'AuthorizationFailed',
      message: `The client '${DEMO.reader.clientId}' with object id '${DEMO.reader.objectId}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '${id}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    });
  });

  it('grants writes through a new assignment, and Contributor cannot assign roles (notActions)', async () => {
    const reader = new ResourceManagementClient(emu.reader, DEMO.subscriptionId, emu.clientOptions);
    await expect(reader.resourceGroups.createOrUpdate('rg-by-reader', { location: 'eastus' })).rejects.toMatchObject({ code: 'AuthorizationFailed' });
    await owner.roleAssignments.create(at(SUB), randomUUID(), { roleDefinitionId: roleId('b24988ac-6180-42a0-ab88-20f7382dd24c'), principalId: DEMO.reader.objectId });
    await expect(reader.resourceGroups.createOrUpdate('rg-by-reader', { location: 'eastus' })).resolves.toMatchObject({ name: 'rg-by-reader' });
    const readerAuth = new AuthorizationManagementClient(emu.reader, DEMO.subscriptionId, emu.clientOptions);
    await expect(
      readerAuth.roleAssignments.create(at(SUB), randomUUID(), { roleDefinitionId: roleId(READER), principalId: USER.objectId }),
    ).rejects.toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
  });

  it('answers ResourceNotFound for an assignment on a resource that does not exist', async () => {
    const scope = `${RG}/providers/Microsoft.Storage/storageAccounts/nosuchaccount`;
    await expect(owner.roleAssignments.create(at(scope), randomUUID(), { roleDefinitionId: roleId(READER), principalId: USER.objectId })).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
  });
});

