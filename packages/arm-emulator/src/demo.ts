/** The built-in `demo` scenario: fixed names that scripts and the README rely on (DESIGN.md). */
import type { Scenario } from './scenario.js';

export const DEMO = {
  tenantId: '11111111-1111-1111-1111-111111111111',
  subscriptionId: '22222222-2222-2222-2222-222222222222',
  subscriptionName: 'Demo subscription',
  owner: { clientId: '33333333-3333-3333-3333-333333333333', objectId: '3a3a3a3a-3333-4333-8333-333333333333', secret: 'demo-secret' },
  reader: { clientId: '44444444-4444-4444-4444-444444444444', objectId: '4a4a4a4a-4444-4444-8444-444444444444', secret: 'reader-secret' },
  resourceGroup: 'rg-docintel-demo',
  location: 'eastus',
  account: 'docintel-demo',
  storage: 'stdocinteldemo',
  container: 'training',
  sampleBlob: 'sample-invoice.pdf',
  vnet: 'vnet-demo',
  vnetPrefix: '10.10.0.0/16',
  subnet: 'snet-pe',
  subnetPrefix: '10.10.1.0/24',
  /** where a data-plane client sits unless a request says otherwise */
  publicClientIp: '203.0.113.10',
} as const;

/** A one-page PDF with the text "Invoice 1001 Total 42.00" (for the Read model). */
export const SAMPLE_PDF_BASE64 = Buffer.from(
  [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj',
    '4 0 obj << /Length 55 >> stream',
    'BT /F1 24 Tf 72 700 Td (Invoice 1001 Total 42.00) Tj ET',
    'endstream endobj',
    '5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
  ].join('\n'),
).toString('base64');

export function demoScenario(): Scenario {
  const d = DEMO;
  const rg = `/subscriptions/${d.subscriptionId}/resourceGroups/${d.resourceGroup}`;
  const accountId = `${rg}/providers/Microsoft.CognitiveServices/accounts/${d.account}`;
  const storageId = `${rg}/providers/Microsoft.Storage/storageAccounts/${d.storage}`;
  const vnetId = `${rg}/providers/Microsoft.Network/virtualNetworks/${d.vnet}`;
  const created = '2026-01-05T09:00:00.0000000Z';
  return {
    tenantId: d.tenantId,
    subscriptions: [{ subscriptionId: d.subscriptionId, displayName: d.subscriptionName, state: 'Enabled', tenantId: d.tenantId }],
    principals: [
      { objectId: d.owner.objectId, appId: d.owner.clientId, displayName: 'secure-docintel demo owner', type: 'ServicePrincipal', secret: d.owner.secret },
      { objectId: d.reader.objectId, appId: d.reader.clientId, displayName: 'secure-docintel demo reader', type: 'ServicePrincipal', secret: d.reader.secret },
    ],
    roleAssignments: [
      { scope: `/subscriptions/${d.subscriptionId}`, principalId: d.owner.objectId, roleName: 'Owner', principalType: 'ServicePrincipal' },
      { scope: `/subscriptions/${d.subscriptionId}`, principalId: d.reader.objectId, roleName: 'Reader', principalType: 'ServicePrincipal' },
    ],
    resources: [
      { id: rg, name: d.resourceGroup, type: 'Microsoft.Resources/resourceGroups', location: d.location, properties: { provisioningState: 'Succeeded' } },
      {
        id: accountId,
        name: d.account,
        type: 'Microsoft.CognitiveServices/accounts',
        location: d.location,
        kind: 'FormRecognizer',
        sku: { name: 'S0' },
        etag: '"0d00a1b2-0000-0100-0000-6777a0000000"',
        tags: {},
        properties: {
          endpoint: `https://${d.location}.api.cognitive.microsoft.com/`,
          provisioningState: 'Succeeded',
          internalId: '5b1f0c6d7e8f4a1b9c2d3e4f5a6b7c8d',
          dateCreated: created,
          publicNetworkAccess: 'Enabled',
          isMigrated: false,
          privateEndpointConnections: [],
          capabilities: [{ name: 'VirtualNetworks' }, { name: 'CustomerManagedKey' }, { name: 'MaxFineTuneCount', value: '0' }],
          endpoints: { FormRecognizer: `https://${d.location}.api.cognitive.microsoft.com/` },
        },
        systemData: { createdBy: d.owner.clientId, createdByType: 'Application', createdAt: created, lastModifiedBy: d.owner.clientId, lastModifiedByType: 'Application', lastModifiedAt: created },
      },
      {
        id: storageId,
        name: d.storage,
        type: 'Microsoft.Storage/storageAccounts',
        location: d.location,
        kind: 'StorageV2',
        sku: { name: 'Standard_LRS', tier: 'Standard' },
        tags: {},
        properties: {
          dnsEndpointType: 'Standard',
          defaultToOAuthAuthentication: false,
          publicNetworkAccess: 'Enabled',
          keyCreationTime: { key1: created, key2: created },
          allowCrossTenantReplication: false,
          privateEndpointConnections: [],
          minimumTlsVersion: 'TLS1_2',
          allowBlobPublicAccess: false,
          allowSharedKeyAccess: true,
          networkAcls: { bypass: 'AzureServices', virtualNetworkRules: [], ipRules: [], defaultAction: 'Allow' },
          supportsHttpsTrafficOnly: true,
          encryption: {
            requireInfrastructureEncryption: false,
            services: {
              file: { keyType: 'Account', enabled: true, lastEnabledTime: created },
              blob: { keyType: 'Account', enabled: true, lastEnabledTime: created },
            },
            keySource: 'Microsoft.Storage',
          },
          accessTier: 'Hot',
          provisioningState: 'Succeeded',
          creationTime: created,
          primaryEndpoints: {
            dfs: `https://${d.storage}.dfs.core.windows.net/`,
            web: `https://${d.storage}.z13.web.core.windows.net/`,
            blob: `https://${d.storage}.blob.core.windows.net/`,
            queue: `https://${d.storage}.queue.core.windows.net/`,
            table: `https://${d.storage}.table.core.windows.net/`,
            file: `https://${d.storage}.file.core.windows.net/`,
          },
          primaryLocation: d.location,
          statusOfPrimary: 'available',
        },
      },
      {
        id: `${storageId}/blobServices/default`,
        name: 'default',
        type: 'Microsoft.Storage/storageAccounts/blobServices',
        sku: { name: 'Standard_LRS', tier: 'Standard' },
        properties: { cors: { corsRules: [] }, deleteRetentionPolicy: { allowPermanentDelete: false, enabled: false } },
      },
      {
        id: vnetId,
        name: d.vnet,
        type: 'Microsoft.Network/virtualNetworks',
        location: d.location,
        etag: 'W/"6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b"',
        properties: {
          provisioningState: 'Succeeded',
          resourceGuid: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
          addressSpace: { addressPrefixes: [d.vnetPrefix] },
          subnets: [
            {
              name: d.subnet,
              id: `${vnetId}/subnets/${d.subnet}`,
              etag: 'W/"6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b"',
              type: 'Microsoft.Network/virtualNetworks/subnets',
              properties: {
                provisioningState: 'Succeeded',
                addressPrefix: d.subnetPrefix,
                delegations: [],
                privateEndpointNetworkPolicies: 'Disabled',
                privateLinkServiceNetworkPolicies: 'Enabled',
              },
            },
          ],
          virtualNetworkPeerings: [],
          enableDdosProtection: false,
        },
      },
    ],
    extras: {
      blobs: {
        [storageId.toLowerCase()]: { [d.container]: { [d.sampleBlob]: { contentType: 'application/pdf', base64: SAMPLE_PDF_BASE64 } } },
      },
      clientIp: d.publicClientIp,
    },
  };
}
