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
});
