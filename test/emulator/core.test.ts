import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ResourceManagementClient } from '@azure/arm-resources';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());

describe('ARM protocol core', () => {
  it('serves resource groups to the official SDK over HTTPS with an Entra token', async () => {
    const client = new ResourceManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    const names: string[] = [];
    for await (const rg of client.resourceGroups.list()) names.push(rg.name!);
    expect(names).toContain(DEMO.resourceGroup);
  });

  it('answers 201 on create and 200 on update of a resource group', async () => {
    const client = new ResourceManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    await emu.clearLog();
    await client.resourceGroups.createOrUpdate('rg-core-test', { location: 'westus' });
    await client.resourceGroups.createOrUpdate('rg-core-test', { location: 'westus', tags: { a: 'b' } });
    const writes = (await emu.armRequests()).filter((r) => r.method === 'PUT');
    expect(writes.map((w) => w.status)).toEqual([201, 200]);
  });

  it('names the missing resource group with ResourceGroupNotFound', async () => {
    const client = new ResourceManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    await expect(client.resourceGroups.get('nope')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' });
  });

  it('rejects the Reader caller with AuthorizationFailed', async () => {
    const client = new ResourceManagementClient(emu.reader, DEMO.subscriptionId, emu.clientOptions);
    await expect(client.resourceGroups.createOrUpdate('rg-reader', { location: 'westus' })).rejects.toMatchObject({
      statusCode: 403,
      code: 'AuthorizationFailed',
    });
  });

  it('updates tags with PATCH and deletes a resource group with everything in it through a Location operation', async () => {
    const client = new ResourceManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    await client.resourceGroups.createOrUpdate('rg-doomed', { location: 'westus' });
    const patched = await client.resourceGroups.update('rg-doomed', { tags: { env: 'test' } });
    expect(patched.tags).toEqual({ env: 'test' });
    await emu.control('PUT', 'state', {
      resources: [{ id: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/rg-doomed/providers/Microsoft.Network/virtualNetworks/v1`, name: 'v1', type: 'Microsoft.Network/virtualNetworks', location: 'westus', properties: { addressSpace: { addressPrefixes: ['10.9.0.0/16'] }, subnets: [], provisioningState: 'Succeeded' } }],
    });
    await emu.clearLog();
    await client.resourceGroups.beginDeleteAndWait('rg-doomed');
    const log = await emu.control('GET', 'requests');
    expect(log.value.find((r: { method: string }) => r.method === 'DELETE').status).toBe(202);
    await expect(client.resourceGroups.get('rg-doomed')).rejects.toMatchObject({ statusCode: 404 });
    const state = await emu.control('GET', 'state');
    expect(state.resources.filter((r: { id: string }) => r.id.toLowerCase().includes('/resourcegroups/rg-doomed'))).toEqual([]);
  });
});
