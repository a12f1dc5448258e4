/**
 * One view of a stored resource (providers/private-link.ts `resourceView`): a private link target's GET,
 * its Resource Graph row and what policy judges all show its private endpoint connections as they are
 * now, in its provider's shape — not the `privateEndpointConnections: []` the account was stored with.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import { PolicyClient } from '@azure/arm-policy';
import { PolicyInsightsClient } from '@azure/arm-policyinsights';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';

const SUB = `/subscriptions/${DEMO.subscriptionId}`;
const RG = `${SUB}/resourceGroups/${DEMO.resourceGroup}`;
const ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}`;
const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;

/** A connection as Microsoft.Network records it below its target (its own shape, for every target). */
function connection(targetId: string, type: string, groupId: string, status: string) {
  return {
    id: `${targetId}/privateEndpointConnections/pe-view.conn`,
    name: 'pe-view.conn',
    type,
    location: 'eastus',
    properties: {
      privateEndpoint: { id: `${RG}/providers/Microsoft.Network/privateEndpoints/pe-view` },
      groupIds: [groupId],
      privateLinkServiceConnectionState: { status, description: 'Auto-Approved', actionsRequired: 'None' },
      provisioningState: 'Succeeded',
    },
  };
}

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(async () => {
  await emu.control('POST', 'reset');
});

async function get(path: string): Promise<any> {
  const token = await emu.owner.getToken('https://management.azure.com/.default');
  return new Promise((resolve, reject) => {
    const req = request(`${emu.url}${path}`, { ca: emu.caCert, headers: { authorization: `Bearer ${token.token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the GET view of a private link target', () => {
  it("is what Resource Graph returns: the storage account's connections in storage's shape, the account's as stored", async () => {
    await emu.control('PUT', 'state', {
      resources: [
        connection(STORAGE, 'Microsoft.Storage/storageAccounts/privateEndpointConnections', 'blob', 'Approved'),
        connection(ACCOUNT, 'Microsoft.CognitiveServices/accounts/privateEndpointConnections', 'account', 'Approved'),
      ],
    });
    const storage = await get(`${STORAGE}?api-version=2023-05-01`);
    const account = await get(`${ACCOUNT}?api-version=2024-10-01`);
    // storage spells the state its own way and has no groupIds or location
    expect(storage.properties.privateEndpointConnections).toEqual([
      expect.objectContaining({ name: 'pe-view.conn', properties: expect.not.objectContaining({ groupIds: expect.anything() }) }),
    ]);
    expect(storage.properties.privateEndpointConnections[0].properties.privateLinkServiceConnectionState.actionRequired).toBe('None');
    expect(account.properties.privateEndpointConnections[0].properties.groupIds).toEqual(['account']);

    const graph = new ResourceGraphClient(emu.owner, emu.clientOptions);
    const r = await graph.resources({ subscriptions: [DEMO.subscriptionId], query: "resources | where type in~ ('microsoft.storage/storageaccounts', 'microsoft.cognitiveservices/accounts') | project id, properties" });
    const rows = Object.values(r.data as object) as { id: string; properties: any }[];
    const row = (id: string) => rows.find((x) => x.id.toLowerCase() === id.toLowerCase())!;
    expect(row(STORAGE).properties.privateEndpointConnections).toEqual(storage.properties.privateEndpointConnections);
    expect(row(ACCOUNT).properties.privateEndpointConnections).toEqual(account.properties.privateEndpointConnections);
  });

  it('is what policy judges: an Approved connection placed after the account counts, with no GET in between', async () => {
    const policy = new PolicyClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    const insights = new PolicyInsightsClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    await policy.policyDefinitions.createOrUpdate('accounts-use-private-link', {
      mode: 'Indexed',
      policyRule: {
        if: {
          allOf: [
            { field: 'type', equals: 'Microsoft.CognitiveServices/accounts' },
            {
              count: {
                field: 'Microsoft.CognitiveServices/accounts/privateEndpointConnections[*]',
                where: { field: 'Microsoft.CognitiveServices/accounts/privateEndpointConnections[*].privateLinkServiceConnectionState.status', equals: 'Approved' },
              },
              less: 1,
            },
          ],
        },
        then: { effect: 'audit' },
      },
    });
    await policy.policyAssignments.create(SUB, 'private-link', { policyDefinitionId: `${SUB}/providers/Microsoft.Authorization/policyDefinitions/accounts-use-private-link` });
    const stateOfAccount = async () => {
      for await (const s of insights.policyStates.listQueryResultsForSubscription('latest', DEMO.subscriptionId)) {
        if (s.resourceId?.toLowerCase() === ACCOUNT.toLowerCase()) return s.complianceState;
      }
      return undefined;
    };
    expect(await stateOfAccount()).toBe('NonCompliant');
    await emu.control('PUT', 'state', { resources: [connection(ACCOUNT, 'Microsoft.CognitiveServices/accounts/privateEndpointConnections', 'account', 'Approved')] });
    expect(await stateOfAccount()).toBe('Compliant');
  });
});
