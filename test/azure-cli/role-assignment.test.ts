/**
 * `az role assignment create` run twice, end to end against the emulator. Azure answers the repeated PUT
 * with 409 RoleAssignmentExists; az (2.45, command_modules/role/custom.py create_role_assignment) then
 * lists the assignment and names its principal through Microsoft Graph (servicePrincipals filter,
 * directoryObjects/getByIds), which the emulator serves at `{emulator}/v1.0/`.
 * Skipped locally when `az` is missing; required in CI.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { AzureCli, azureCliFor, EMULATOR_CLOUD } from '../support/azure-cli.js';

const az = azureCliFor('az role assignment create');

const SUB = `/subscriptions/${DEMO.subscriptionId}`;
const STORAGE_ID = `${SUB}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;
const BLOB_READER_ID = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1`;

describe.skipIf(!az)('az role assignment create', { timeout: 90_000 }, () => {
  let emu: TestEmulator;
  let owner: AzureCli;

  beforeAll(async () => {
    emu = await startTestEmulator();
    owner = new AzureCli(az!, emu);
    await owner.login(DEMO.tenantId, DEMO.owner.clientId, DEMO.owner.secret);
    // The emulator also serves Microsoft Graph; az 2.45's `cloud register` has no flag for its endpoint, only --cloud-config.
    const endpoints = {
      resourceManager: `${emu.url}/`,
      management: `${emu.url}/`,
      activeDirectory: `${emu.url}/adfs`,
      activeDirectoryResourceId: 'https://management.core.windows.net/',
      activeDirectoryGraphResourceId: `${emu.url}/`,
      microsoftGraphResourceId: `${emu.url}/`,
    };
    await owner.ok(['cloud', 'update', '-n', EMULATOR_CLOUD, '--cloud-config', JSON.stringify({ endpoints })]);
  }, 90_000);

  afterAll(async () => {
    owner?.dispose();
    await emu?.stop();
  });

  const create = (assignee: string) =>
    owner.run(['role', 'assignment', 'create', '--assignee', assignee, '--role', 'Storage Blob Data Reader', '--scope', STORAGE_ID]);

  it('creates the assignment, then answers the same command again with the existing assignment', async () => {
    const first = await create(DEMO.reader.clientId);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.json).toMatchObject({ principalId: DEMO.reader.objectId, principalType: 'ServicePrincipal', scope: STORAGE_ID, roleDefinitionId: BLOB_READER_ID });

    await emu.clearLog();
    const second = await create(DEMO.reader.clientId);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.json).toMatchObject({
      id: first.json.id,
      principalId: DEMO.reader.objectId,
      principalName: DEMO.reader.clientId,
      roleDefinitionName: 'Storage Blob Data Reader',
      scope: STORAGE_ID,
    });
    const log = (await emu.control('GET', 'requests')).value as { method: string; path: string; status: number }[];
    expect(log.filter((r) => r.method === 'PUT' && r.path.includes('/roleAssignments/')).map((r) => r.status)).toEqual([409]);
    expect(log.some((r) => r.method === 'POST' && r.path === '/v1.0/directoryObjects/getByIds' && r.status === 200)).toBe(true);
    expect(emu.context.state.ofType('Microsoft.Authorization/roleAssignments').filter((a) => a.properties.scope === STORAGE_ID)).toHaveLength(1);
  });

  it('resolves an object id given as --assignee through directoryObjects/getByIds', async () => {
    const again = await create(DEMO.reader.objectId);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.json).toMatchObject({ principalId: DEMO.reader.objectId, principalType: 'ServicePrincipal', scope: STORAGE_ID });
  });

  it('fails for an assignee the directory does not know, naming it', async () => {
    const unknown = '0badc0de-0000-4000-8000-000000000000';
    const result = await create(unknown);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(unknown);
  });
});
