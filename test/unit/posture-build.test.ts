/**
 * The one posture builder (src/posture/build.ts) that the ARM reader and audit's Resource Graph rows
 * share: the same account, storage and endpoints make the same views whichever way they were read.
 */
import { describe, it, expect } from 'vitest';
import { accountConnections, endpointView, privateLinkView, roleView, storageConnections } from '../../src/posture/build.js';
import { EstateIndex } from '../../src/audit/estate-posture.js';
import { DATA_ROLES } from '../../src/posture/roles.js';
import { CLOUDS } from '../../src/core/cloud.js';

const RG = '/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-app';
const VNET = `${RG}/providers/Microsoft.Network/virtualNetworks/vnet-app`;
const OTHER_VNET = `${RG}/providers/Microsoft.Network/virtualNetworks/vnet-other`;
const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/stdata`;
const ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/docintel`;
const pe = (name: string, vnet: string, group: string) => ({ id: `${RG}/providers/Microsoft.Network/privateEndpoints/${name}`, name, subnet: { id: `${vnet}/subnets/snet-pe` }, privateLinkServiceConnections: [{ groupIds: [group] }] });

describe('a private link as the builder sees it', () => {
  const blobInVnet = pe('pe-blob', VNET, 'blob');
  const blobElsewhere = pe('pe-blob-2', OTHER_VNET, 'blob');
  const file = pe('pe-file', VNET, 'file');
  const refs = [
    { id: 'c1', privateEndpointId: blobElsewhere.id, status: 'Approved' },
    { id: 'c2', privateEndpointId: file.id, status: 'Approved' },
    { id: 'c3', privateEndpointId: blobInVnet.id, status: 'Pending' },
    { id: 'c4', privateEndpointId: `${RG}/providers/Microsoft.Network/privateEndpoints/gone`, status: 'Disconnected' },
  ];
  const byId = new Map([blobInVnet, blobElsewhere, file].map((p) => [p.id, p]));
  const views = refs.map((r) => endpointView(r, byId.get(r.privateEndpointId) as never, VNET));

  it('keeps the endpoints of its service (and those that could not be read), and chooses the one in the VNet', () => {
    const link = privateLinkView('blob', STORAGE, 'stdata.blob.core.windows.net', views);
    expect(link.endpoints.map((e) => e.connectionId)).toEqual(['c1', 'c3', 'c4']);
    expect(link.chosen?.connectionId).toBe('c3');
    expect(link.chosen?.status).toBe('Pending');
  });

  it('prefers an Approved endpoint in the VNet over a Pending one', () => {
    const approved = endpointView({ id: 'c5', privateEndpointId: blobInVnet.id, status: 'Approved' }, blobInVnet as never, VNET);
    expect(privateLinkView('blob', STORAGE, undefined, [...views, approved]).chosen?.connectionId).toBe('c5');
  });

  it('without a VNet to judge in, any endpoint that exists counts as in it', () => {
    expect(endpointView(refs[0], blobElsewhere as never, undefined).inChosenVnet).toBe(true);
    expect(endpointView(refs[3], undefined, undefined).inChosenVnet).toBe(false);
  });
});

describe('a role as the builder sees it', () => {
  it('names what the definition covers of the blob data roles', () => {
    const contributor = { roleName: DATA_ROLES.contributor.roleName, permissions: [{ actions: [], dataActions: DATA_ROLES.contributor.dataActions }] };
    expect(roleView({ scope: STORAGE, roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${DATA_ROLES.contributor.guid}` }, contributor)).toMatchObject({ roleName: 'Storage Blob Data Contributor', coversRead: true, coversWrite: true });
    expect(roleView({ scope: RG, roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/abc' }, { permissions: [] })).toMatchObject({ roleName: 'abc', coversRead: false, coversWrite: false });
  });
});

describe('Resource Graph rows and SDK objects make the same posture', () => {
  const accountSdk = {
    id: ACCOUNT, name: 'docintel', kind: 'FormRecognizer', location: 'westeurope', identity: { type: 'SystemAssigned', principalId: 'p-1' },
    properties: { customSubDomainName: 'docintel', privateEndpointConnections: [{ id: `${ACCOUNT}/privateEndpointConnections/c1`, properties: { privateEndpoint: { id: pe('pe-acc', VNET, 'account').id }, privateLinkServiceConnectionState: { status: 'Approved' } } }] },
  };
  const storageRow = {
    id: STORAGE, name: 'stdata', location: 'westeurope',
    properties: {
      networkAcls: { defaultAction: 'Deny', bypass: 'None', ipRules: [{ value: '203.0.113.5', action: 'Allow' }], virtualNetworkRules: [], resourceAccessRules: [{ tenantId: 't', resourceId: ACCOUNT }] },
      privateEndpointConnections: [{ id: `${STORAGE}/privateEndpointConnections/c2`, name: 'c2', properties: { privateEndpoint: { id: pe('pe-blob', VNET, 'blob').id }, privateLinkServiceConnectionState: { status: 'Approved' } } }],
    },
  };
  const endpointRow = (p: ReturnType<typeof pe>) => ({ id: p.id, name: p.name, properties: { subnet: p.subnet, privateLinkServiceConnections: p.privateLinkServiceConnections.map((c) => ({ properties: c })) } });
  const index = new EstateIndex({ accounts: [accountSdk], storage: [storageRow], privateEndpoints: [endpointRow(pe('pe-acc', VNET, 'account')), endpointRow(pe('pe-blob', VNET, 'blob'))], roleAssignments: [], roleDefinitions: new Map() });
  const posture = index.posture(accountSdk, CLOUDS.AzureCloud);

  it('the connections are the ones the SDK shapes give', () => {
    expect(posture.storage).toBeDefined();
    expect(storageConnections(posture.storage!)).toEqual([{ id: `${STORAGE}/privateEndpointConnections/c2`, privateEndpointId: pe('pe-blob', VNET, 'blob').id, status: 'Approved' }]);
    expect(accountConnections(posture.account)).toEqual([{ id: `${ACCOUNT}/privateEndpointConnections/c1`, privateEndpointId: pe('pe-acc', VNET, 'account').id, status: 'Approved', groupIds: undefined }]);
    expect(posture.storage!.networkRuleSet?.ipRules).toEqual([{ iPAddressOrRange: '203.0.113.5', action: 'Allow' }]);
  });

  it('the private links are the builder\'s, judged in the endpoints\' VNet', () => {
    expect(posture.vnet?.id).toBe(VNET);
    expect(posture.privateLinks.blob.chosen?.privateEndpointId).toBe(pe('pe-blob', VNET, 'blob').id);
    expect(posture.privateLinks.account.chosen?.groupIds).toEqual(['account']);
    expect(posture.privateLinks.account.host).toBe('docintel.cognitiveservices.azure.com');
  });
});
