/** The posture rules every step and validate share: pure functions over what was read, no emulator. */
import { describe, it, expect } from 'vitest';
import { actionMatches, coversDataActions, DATA_ROLES, isAtOrAbove, permitsAction, roleGranting } from '../../src/posture/roles.js';
import { missingPermissions, APPROVAL_ACTION } from '../../src/posture/permissions.js';
import { defaultZoneId, documentedZoneNames, hostInZone, privateDnsZoneName, recordNameFor, zoneGroupConfigName, zoneNamesFor } from '../../src/posture/dns.js';
import { addressesFor, endedFailed, endpointPlacement, groupIdsOf, isInVnet, nicAddresses, servesInVnet, zoneGroupRecords } from '../../src/posture/endpoints.js';
import { accountAdmitsIp, allowedIps, bypassWithAzureServices, rulesAdmit, sameFlags, storageAdmitsIp } from '../../src/posture/firewall.js';
import { needsOf } from '../../src/posture/commands.js';
import { isNotFound } from '../../src/posture/not-found.js';
import { approveCommand } from '../../src/posture/approval.js';
import { CLOUDS } from '../../src/core/cloud.js';

const SUB = '/subscriptions/22222222-2222-2222-2222-222222222222';
const RG = `${SUB}/resourceGroups/rg-app`;
const VNET = `${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-spoke`;
const SUBNET = `${VNET}/subnets/snet-pe`;
const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/stdata`;

describe('what a role covers', () => {
  it('matches actions with wildcards, case-insensitively', () => {
    expect(actionMatches('Microsoft.Network/*', 'microsoft.network/virtualNetworks/subnets/join/action')).toBe(true);
    expect(actionMatches('*/read', 'Microsoft.Network/privateEndpoints/write')).toBe(false);
    expect(actionMatches('Microsoft.Storage/storageAccounts/*', APPROVAL_ACTION.blob)).toBe(true);
  });

  it('an entry permits an action its actions match and its notActions do not', () => {
    const contributor = [{ actions: ['*'], notActions: ['Microsoft.Authorization/*/Write'] }];
    expect(permitsAction(contributor, 'Microsoft.Network/privateEndpoints/write')).toBe(true);
    expect(permitsAction(contributor, 'Microsoft.Authorization/roleAssignments/write')).toBe(false);
    // a notAction of one entry does not cancel another entry's grant
    expect(permitsAction([...contributor, { actions: ['Microsoft.Authorization/roleAssignments/write'] }], 'Microsoft.Authorization/roleAssignments/write')).toBe(true);
  });

  it('Blob Data Contributor covers what Reader grants; Reader does not cover write', () => {
    const reader = { permissions: [{ dataActions: DATA_ROLES.reader.dataActions }] };
    const owner = { permissions: [{ dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*'] }] };
    expect(coversDataActions(owner, DATA_ROLES.contributor.dataActions)).toBe(true);
    expect(coversDataActions(reader, DATA_ROLES.reader.dataActions)).toBe(true);
    expect(coversDataActions(reader, DATA_ROLES.contributor.dataActions)).toBe(false);
  });

  it('a scope is at or above a resource when it is the resource or one of its parents', () => {
    expect(isAtOrAbove(RG, STORAGE)).toBe(true);
    expect(isAtOrAbove('/', STORAGE)).toBe(true);
    expect(isAtOrAbove(`${SUB}/resourceGroups/rg-ap`, STORAGE)).toBe(false);
  });

  it('names the built-in role that grants each action the plans need', () => {
    expect(roleGranting('Microsoft.Network/virtualNetworks/subnets/join/action')).toBe('Network Contributor');
    expect(roleGranting('Microsoft.Network/privateDnsZones/join/action')).toBe('Private DNS Zone Contributor');
    expect(roleGranting('Microsoft.Authorization/roleAssignments/write')).toMatch(/User Access Administrator/);
    expect(roleGranting(APPROVAL_ACTION.account)).toMatch(/Owner or Contributor/);
  });
});

describe('missing permissions', () => {
  it('lists every requirement not granted at its scope, each once, with its role', () => {
    const perms: Record<string, { actions: string[] }[]> = { [RG.toLowerCase()]: [{ actions: ['Microsoft.Network/privateEndpoints/*'] }] };
    const missing = missingPermissions(
      [
        { action: 'Microsoft.Network/privateEndpoints/write', scope: RG, why: 'creating pe' },
        { action: 'Microsoft.Network/virtualNetworks/subnets/join/action', scope: SUBNET, why: 'placing pe' },
        { action: 'Microsoft.Network/virtualNetworks/subnets/join/action', scope: SUBNET, why: 'placing pe (again)' },
        { action: 'Microsoft.Network/privateDnsZones/write', scope: `${SUB}/resourceGroups/rg-hub`, why: 'creating zone' },
      ],
      (scope) => perms[scope.toLowerCase()] ?? [],
    );
    expect(missing.map((m) => [m.action, m.role])).toEqual([
      ['Microsoft.Network/virtualNetworks/subnets/join/action', 'Network Contributor'],
      ['Microsoft.Network/privateDnsZones/write', 'Private DNS Zone Contributor'],
    ]);
  });
});

describe('which private DNS zone', () => {
  it('is the documented zone, in the flags\' place or else the VNet\'s resource group and subscription', () => {
    expect(defaultZoneId(privateDnsZoneName(CLOUDS.AzureCloud, 'account'), VNET, {})).toBe(`${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/privateDnsZones/privatelink.cognitiveservices.azure.com`);
    expect(defaultZoneId(privateDnsZoneName(CLOUDS.AzureUSGovernment, 'blob'), VNET, { dnsZoneSubscription: '33333333-3333-3333-3333-333333333333', dnsZoneResourceGroup: 'rg-hub' })).toBe(
      '/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.usgovcloudapi.net',
    );
    expect(defaultZoneId('privatelink.openai.azure.com', VNET, { dnsZoneResourceGroup: 'rg-hub' })).toBe(`${SUB}/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/privatelink.openai.azure.com`);
  });

  it('gives a host its record name under the zone', () => {
    expect(recordNameFor('Docintel-Demo.cognitiveservices.azure.com', 'privatelink.cognitiveservices.azure.com')).toBe('docintel-demo');
    expect(recordNameFor('stdata.blob.core.windows.net', 'privatelink.cognitiveservices.azure.com')).toBeUndefined();
    expect(zoneGroupConfigName('privatelink.blob.core.windows.net')).toBe('privatelink-blob-core-windows-net');
  });

  it('takes the zones the target advertises (requiredZoneNames) over the cloud table', () => {
    const advertised = ['privatelink.cognitiveservices.azure.com', 'privatelink.openai.azure.com', 'privatelink.services.ai.azure.com'];
    expect(zoneNamesFor(CLOUDS.AzureCloud, 'account', 'AIServices', advertised)).toEqual(advertised);
    // a FormRecognizer account that advertises another zone than the table's: the advertised one wins
    expect(zoneNamesFor(CLOUDS.AzureCloud, 'account', 'FormRecognizer', ['PrivateLink.Example.Azure.com'])).toEqual(['privatelink.example.azure.com']);
    expect(zoneNamesFor(CLOUDS.AzureCloud, 'blob', 'StorageV2', ['privatelink.blob.core.windows.net', 'privatelink.blob.core.windows.net'])).toEqual(['privatelink.blob.core.windows.net']);
  });

  it('falls back to the cloud table when the target advertises nothing: three zones for an AIServices account, one otherwise', () => {
    expect(zoneNamesFor(CLOUDS.AzureCloud, 'account', 'AIServices', undefined)).toEqual(['privatelink.cognitiveservices.azure.com', 'privatelink.openai.azure.com', 'privatelink.services.ai.azure.com']);
    expect(zoneNamesFor(CLOUDS.AzureCloud, 'account', 'FormRecognizer', [])).toEqual(['privatelink.cognitiveservices.azure.com']);
    expect(zoneNamesFor(CLOUDS.AzureCloud, 'account', 'CognitiveServices', undefined)).toEqual(['privatelink.cognitiveservices.azure.com']);
    expect(zoneNamesFor(CLOUDS.AzureUSGovernment, 'account', 'AIServices', undefined)).toEqual(['privatelink.cognitiveservices.azure.us']);
    expect(zoneNamesFor(CLOUDS.AzureChinaCloud, 'blob', 'StorageV2', undefined)).toEqual(['privatelink.blob.core.chinacloudapi.cn']);
  });

  it('needs no read of the private link resource where the docs fix the zones: one zone for Document Intelligence and multi-service accounts and for blob, in the public cloud', () => {
    expect(documentedZoneNames(CLOUDS.AzureCloud, 'account', 'FormRecognizer', undefined)).toEqual(['privatelink.cognitiveservices.azure.com']);
    expect(documentedZoneNames(CLOUDS.AzureCloud, 'account', 'CognitiveServices', undefined)).toEqual(['privatelink.cognitiveservices.azure.com']);
    expect(documentedZoneNames(CLOUDS.AzureCloud, 'blob', 'StorageV2', 'stdata.blob.core.windows.net')).toEqual(['privatelink.blob.core.windows.net']);
  });

  it('leaves the zones to the target\'s requiredZoneNames for an AIServices account, another kind, a blob host outside the zone, and the sovereign clouds', () => {
    expect(documentedZoneNames(CLOUDS.AzureCloud, 'account', 'AIServices', undefined)).toBeUndefined();
    expect(documentedZoneNames(CLOUDS.AzureCloud, 'account', 'OpenAI', undefined)).toBeUndefined();
    expect(documentedZoneNames(CLOUDS.AzureCloud, 'account', undefined, undefined)).toBeUndefined();
    // a storage account with Azure DNS zone endpoints: its blob host is not under blob.core.windows.net
    expect(documentedZoneNames(CLOUDS.AzureCloud, 'blob', 'StorageV2', 'stdata.z41.blob.storage.azure.net')).toBeUndefined();
    expect(documentedZoneNames(CLOUDS.AzureUSGovernment, 'account', 'FormRecognizer', undefined)).toBeUndefined();
    expect(documentedZoneNames(CLOUDS.AzureChinaCloud, 'blob', 'StorageV2', 'stdata.blob.core.chinacloudapi.cn')).toBeUndefined();
  });

  it('names the host an endpoint serves in each zone after the target\'s first label', () => {
    expect(hostInZone('foundry.cognitiveservices.azure.com', 'privatelink.openai.azure.com')).toBe('foundry.openai.azure.com');
    expect(hostInZone('foundry.cognitiveservices.azure.com', 'privatelink.services.ai.azure.com')).toBe('foundry.services.ai.azure.com');
    expect(hostInZone('StData.blob.core.windows.net', 'privatelink.blob.core.windows.net')).toBe('stdata.blob.core.windows.net');
  });
});

describe('private endpoints', () => {
  it('are made in the VNet\'s subscription: the account\'s group when that is the same subscription, else the VNet\'s group', () => {
    const account = '/subscriptions/aaaa/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/di';
    expect(endpointPlacement(account, '/subscriptions/AAAA/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/v')).toEqual({ subscriptionId: 'AAAA', resourceGroup: 'rg-ai' });
    expect(endpointPlacement(account, '/subscriptions/bbbb/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/v')).toEqual({ subscriptionId: 'bbbb', resourceGroup: 'rg-net' });
  });

  const pe = {
    subnet: { id: SUBNET },
    privateLinkServiceConnections: [],
    manualPrivateLinkServiceConnections: [{ privateLinkServiceId: STORAGE, groupIds: ['Blob'] }],
  };

  it('serve a group in a VNet (manual connections count)', () => {
    expect(groupIdsOf(pe)).toEqual(['blob']);
    expect(isInVnet(SUBNET, VNET)).toBe(true);
    expect(isInVnet(SUBNET, `${VNET}-2`)).toBe(false);
    expect(servesInVnet(pe, 'blob', VNET)).toBe(true);
    expect(servesInVnet(pe, 'account', VNET)).toBe(false);
  });

  it('take their address from the NIC, not customDnsConfigs', () => {
    const nics = [
      {
        ipConfigurations: [
          { privateIPAddress: '10.10.1.4', privateLinkConnectionProperties: { fqdns: ['StData.blob.core.windows.net'] } },
          { privateIPAddress: '10.10.1.5', privateLinkConnectionProperties: { fqdns: ['stdata.blob.core.windows.net.other'] } },
        ],
      },
    ];
    expect(addressesFor(nicAddresses(nics), 'stdata.blob.core.windows.net')).toEqual(['10.10.1.4']);
    expect(addressesFor(nicAddresses([{ ipConfigurations: [{ privateIPAddress: '10.10.1.9' }] }]), 'stdata.blob.core.windows.net')).toEqual(['10.10.1.9']);
    expect(addressesFor(nicAddresses([]), 'x')).toEqual([]);
  });

  it('read what a zone group wrote from its record sets', () => {
    const zone = `${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net`;
    expect(zoneGroupRecords({ privateDnsZoneConfigs: [{ privateDnsZoneId: zone, recordSets: [{ recordSetName: 'stdata', ipAddresses: ['10.10.1.4'] }] }] })).toEqual([
      { zoneId: zone, recordName: 'stdata', ips: ['10.10.1.4'] },
    ]);
    expect(zoneGroupRecords(undefined)).toEqual([]);
  });

  it('are sent again when their operation ended Failed or Canceled', () => {
    expect(endedFailed('Failed')).toBe(true);
    expect(endedFailed('canceled')).toBe(true);
    expect(endedFailed('Succeeded')).toBe(false);
    expect(endedFailed(undefined)).toBe(false);
  });

  it('a Pending connection names the Azure CLI command its owner runs', () => {
    expect(approveCommand(`${STORAGE}/privateEndpointConnections/pe.1`)).toMatch(new RegExp(`^az network private-endpoint-connection approve --id ${STORAGE}/privateEndpointConnections/pe\\.1`));
  });
});

describe('what a firewall should admit', () => {
  it('one list for both firewalls: --allow-ip, the client, the Studio, each once', () => {
    expect(allowedIps({ allowIps: ['198.51.100.7', '20.3.165.95'], allowStudio: true }, '203.0.113.10')).toEqual(['198.51.100.7', '20.3.165.95', '203.0.113.10']);
    expect(allowedIps({ allowIps: [], allowStudio: false }, undefined)).toEqual([]);
  });

  it('storage bypass gains AzureServices and keeps Logging and Metrics', () => {
    expect(bypassWithAzureServices('Metrics, Logging')).toBe('Logging, Metrics, AzureServices');
    expect(bypassWithAzureServices('None')).toBe('AzureServices');
    expect(sameFlags('AzureServices,Logging', 'Logging, AzureServices')).toBe(true);
  });

  it('a range that covers an address admits it; setup, validate and --explain ask this one question', () => {
    expect(rulesAdmit(['203.0.113.0/24'], '203.0.113.10')).toBe(true);
    expect(rulesAdmit(['203.0.113.10'], '203.0.113.10')).toBe(true);
    expect(rulesAdmit(['203.0.113.0/25'], '203.0.113.200')).toBe(false);
    expect(rulesAdmit([undefined, '198.51.100.7'], undefined)).toBe(false);
    const denyWith = (value: string) => ({ networkAcls: { defaultAction: 'Deny', ipRules: [{ value }] } });
    expect(accountAdmitsIp(denyWith('203.0.113.0/24'), '203.0.113.10')).toBe(true);
    expect(accountAdmitsIp(denyWith('198.51.100.7'), '203.0.113.10')).toBe(false);
    expect(accountAdmitsIp({ publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Allow' } }, '203.0.113.10')).toBe(false);
    expect(accountAdmitsIp({}, '203.0.113.10')).toBe(true);
    expect(storageAdmitsIp({ networkRuleSet: { defaultAction: 'Deny', ipRules: [{ iPAddressOrRange: '203.0.113.0/24' }] } }, '203.0.113.10')).toBe(true);
    expect(storageAdmitsIp({ networkRuleSet: { defaultAction: 'Deny', ipRules: [] } }, '203.0.113.10')).toBe(false);
  });
});

describe('what each command needs', () => {
  it('storage-lockdown needs the account only for a resource-instance rule', () => {
    expect(needsOf('storage-lockdown')).toEqual(['storage']);
    expect(needsOf('storage-lockdown', 'resource-instance')).toEqual(['storage', 'account']);
    expect(needsOf('private-endpoint')).toEqual(['account', 'storage', 'network', 'create-network']);
  });
});

describe('not found', () => {
  it('is a 404 whatever its code', () => {
    expect(isNotFound({ statusCode: 404, code: 'ParentResourceNotFound' })).toBe(true);
    expect(isNotFound({ statusCode: 403, code: 'AuthorizationFailed' })).toBe(false);
  });
});
