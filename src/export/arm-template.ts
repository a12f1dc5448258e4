/**
 * The targets' converged posture as an ARM deployment template (schema 2019-04-01): the two accounts
 * and the subnet with their complete definitions as read (a template resource is a full PUT), the
 * private endpoints, zones, VNet links, zone groups and the identity's data role. Names that differ per
 * environment are parameters; every id of a target inside a definition is rewritten as an expression.
 */
import type { Posture } from '../posture/model.js';
import type { Definitions, Wire } from './definitions.js';
import { nameOf, sameId } from '../core/resource-id.js';
import { DATA_ROLES } from '../posture/roles.js';
// The api-versions the product's SDK clients send, so the template deploys with the versions setup proved.
import { apiVersionOfType } from '../azure/arm-resource.js';

export const TEMPLATE_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';


/** Properties that are the state of other resources (back-references) or of the resource itself, never written. */
/**
 * The account's apiProperties that hold a key or connection string (the Cognitive Services SDK's
 * ApiProperties model): exported as secureString parameters without a value, never as read.
 */
const SECRET_API_PROPERTIES = ['qnaAzureSearchEndpointKey', 'eventHubConnectionString', 'storageAccountConnectionString'];

const DROP = {
  account: ['provisioningState', 'privateEndpointConnections'],
  storage: ['provisioningState', 'privateEndpointConnections'],
  subnet: ['provisioningState', 'ipConfigurations', 'privateEndpoints', 'ipConfigurationProfiles', 'resourceNavigationLinks', 'serviceAssociationLinks', 'purpose'],
};

export interface ArmTemplate {
  $schema: string;
  contentVersion: string;
  metadata: Record<string, unknown>;
  parameters: Record<string, { type: string; defaultValue?: unknown; metadata: { description: string } }>;
  variables: Record<string, string>;
  resources: Record<string, unknown>[];
}

const expr = (e: string) => `[${e}]`;

function without(obj: Wire | undefined, keys: string[]): Wire {
  const out: Wire = { ...(obj ?? {}) };
  for (const k of keys) delete out[k];
  return out;
}

export function armTemplate(posture: Posture, defs: Definitions, generator: string): ArmTemplate {
  const { account, storage, vnet, subnet } = posture;
  const roleView = (posture.roles ?? []).find((r) => sameId(r.scope, storage.id) && r.coversRead);
  const roleGuid = nameOf(roleView?.roleDefinitionId ?? `x/${DATA_ROLES.reader.guid}`);

  /** source id (lowercase) → expression; the longest first, so a subnet id is not taken for its VNet's */
  const ids: [string, string][] = [
    [subnet.id, "variables('subnetId')"],
    [vnet.id, "variables('virtualNetworkId')"],
    [account.id, "variables('accountId')"],
    [storage.id, "variables('storageAccountId')"],
  ];
  const peNames: Partial<Record<'account' | 'blob', string>> = {};
  for (const service of ['account', 'blob'] as const) {
    const ep = defs.endpoints[service];
    if (!ep) continue;
    peNames[service] = String(ep.pe.name);
    ids.push([String(ep.pe.id), `resourceId('Microsoft.Network/privateEndpoints', '${ep.pe.name}')`]);
    for (const z of ep.zones) ids.push([String(z.zone.id), `resourceId('Microsoft.Network/privateDnsZones', '${z.zone.name}')`]);
  }
  ids.sort((a, b) => b[0].length - a[0].length);

  const substitute = (v: unknown): unknown => {
    if (typeof v === 'string') {
      for (const [id, e] of ids) {
        if (v.toLowerCase() === id.toLowerCase()) return expr(e);
        if (v.toLowerCase().startsWith(`${id.toLowerCase()}/`)) return expr(`concat(${e}, '${v.slice(id.length).replace(/'/g, "''")}')`);
      }
      return v.startsWith('[') ? `[${v}` : v;
    }
    if (Array.isArray(v)) return v.map(substitute);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x)]));
    return v;
  };

  const identity = (i: Wire | undefined) => (i ? { type: i.type, ...(i.userAssignedIdentities ? { userAssignedIdentities: Object.fromEntries(Object.keys(i.userAssignedIdentities).map((k) => [k, {}])) } : {}) } : undefined);
  const topLevel = (w: Wire) => ({
    ...(w.kind !== undefined ? { kind: w.kind } : {}),
    ...(w.sku !== undefined ? { sku: w.sku } : {}),
    ...(identity(w.identity) ? { identity: identity(w.identity) } : {}),
    ...(w.tags !== undefined ? { tags: w.tags } : {}),
  });

  const accountProps = substitute(without(defs.account.properties, DROP.account)) as Wire;
  if (accountProps.customSubDomainName) accountProps.customSubDomainName = expr("parameters('accountCustomSubDomainName')");
  const secretParameters: Record<string, { type: string; metadata: { description: string } }> = {};
  for (const key of SECRET_API_PROPERTIES.filter((k) => accountProps.apiProperties?.[k] !== undefined)) {
    const name = `accountApi${key[0].toUpperCase()}${key.slice(1)}`;
    accountProps.apiProperties[key] = expr(`parameters('${name}')`);
    secretParameters[name] = { type: 'securestring', metadata: { description: `the account's apiProperties.${key} (a secret: not exported, give it when deploying)` } };
  }
  const resources: Record<string, unknown>[] = [
    {
      type: 'Microsoft.CognitiveServices/accounts',
      apiVersion: apiVersionOfType('Microsoft.CognitiveServices/accounts'),
      name: expr("parameters('accountName')"),
      location: expr("parameters('accountLocation')"),
      ...topLevel(defs.account),
      properties: accountProps,
    },
    {
      type: 'Microsoft.Storage/storageAccounts',
      apiVersion: apiVersionOfType('Microsoft.Storage/storageAccounts'),
      name: expr("parameters('storageAccountName')"),
      location: expr("parameters('storageAccountLocation')"),
      ...topLevel(defs.storage),
      properties: substitute(without(defs.storage.properties, DROP.storage)),
    },
  ];
  if (defs.blobService) {
    resources.push({
      type: 'Microsoft.Storage/storageAccounts/blobServices',
      apiVersion: apiVersionOfType('Microsoft.Storage/storageAccounts/blobServices'),
      name: expr("concat(parameters('storageAccountName'), '/default')"),
      dependsOn: [expr("variables('storageAccountId')")],
      properties: substitute(defs.blobService.properties ?? {}),
    });
  }
  resources.push({
    type: 'Microsoft.Network/virtualNetworks/subnets',
    apiVersion: apiVersionOfType('Microsoft.Network/virtualNetworks/subnets'),
    name: expr("concat(parameters('virtualNetworkName'), '/', parameters('subnetName'))"),
    properties: substitute(without(defs.subnet.properties, DROP.subnet)),
  });

  const zoneIdsDone = new Set<string>();
  for (const service of ['account', 'blob'] as const) {
    const ep = defs.endpoints[service];
    if (!ep) continue;
    const target = service === 'account' ? "variables('accountId')" : "variables('storageAccountId')";
    const connections = (list: Wire[] | undefined) =>
      (list ?? []).map((c) => ({ name: c.name, properties: { privateLinkServiceId: substitute(c.properties?.privateLinkServiceId), groupIds: c.properties?.groupIds, ...(c.properties?.requestMessage ? { requestMessage: c.properties.requestMessage } : {}) } }));
    const auto = connections(ep.pe.properties?.privateLinkServiceConnections);
    const manual = connections(ep.pe.properties?.manualPrivateLinkServiceConnections);
    resources.push({
      type: 'Microsoft.Network/privateEndpoints',
      apiVersion: apiVersionOfType('Microsoft.Network/privateEndpoints'),
      name: ep.pe.name,
      location: expr("parameters('endpointLocation')"),
      ...(ep.pe.tags ? { tags: ep.pe.tags } : {}),
      dependsOn: [expr(target), expr("variables('subnetId')")],
      properties: {
        subnet: { id: expr("variables('subnetId')") },
        ...(auto.length ? { privateLinkServiceConnections: auto } : {}),
        ...(manual.length ? { manualPrivateLinkServiceConnections: manual } : {}),
      },
    });
    for (const z of ep.zones) {
      const zoneName = String(z.zone.name);
      if (zoneIdsDone.has(zoneName.toLowerCase())) continue;
      zoneIdsDone.add(zoneName.toLowerCase());
      resources.push({
        type: 'Microsoft.Network/privateDnsZones',
        apiVersion: apiVersionOfType('Microsoft.Network/privateDnsZones'),
        name: zoneName,
        location: 'global',
        ...(z.zone.tags ? { tags: z.zone.tags } : {}),
      });
      for (const l of z.links) {
        resources.push({
          type: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks',
          apiVersion: apiVersionOfType('Microsoft.Network/privateDnsZones/virtualNetworkLinks'),
          name: `${zoneName}/${l.name}`,
          location: 'global',
          ...(l.tags ? { tags: l.tags } : {}),
          dependsOn: [expr(`resourceId('Microsoft.Network/privateDnsZones', '${zoneName}')`)],
          properties: { virtualNetwork: { id: expr("variables('virtualNetworkId')") }, registrationEnabled: !!l.properties?.registrationEnabled },
        });
      }
    }
    for (const g of ep.zoneGroups) {
      const configs = (g.properties?.privateDnsZoneConfigs ?? []) as Wire[];
      resources.push({
        type: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups',
        apiVersion: apiVersionOfType('Microsoft.Network/privateEndpoints/privateDnsZoneGroups'),
        name: `${ep.pe.name}/${g.name}`,
        dependsOn: [
          expr(`resourceId('Microsoft.Network/privateEndpoints', '${ep.pe.name}')`),
          ...configs.filter((c) => ep.zones.some((z) => sameId(String(z.zone.id), c.properties?.privateDnsZoneId))).map((c) => expr(`resourceId('Microsoft.Network/privateDnsZones', '${nameOf(c.properties.privateDnsZoneId)}')`)),
        ],
        properties: { privateDnsZoneConfigs: configs.map((c) => ({ name: c.name, properties: { privateDnsZoneId: substitute(c.properties?.privateDnsZoneId) } })) },
      });
    }
  }

  if (roleView) {
    resources.push({
      type: 'Microsoft.Authorization/roleAssignments',
      apiVersion: apiVersionOfType('Microsoft.Authorization/roleAssignments'),
      scope: expr("variables('storageAccountId')"),
      // The product's deterministic name (src/azure/deterministic-name.ts): the same inputs, lowercased.
      name: expr("guid(toLower(variables('storageAccountId')), toLower(variables('accountId')), toLower(variables('roleDefinitionId')))"),
      dependsOn: [expr("variables('accountId')"), expr("variables('storageAccountId')")],
      properties: {
        roleDefinitionId: expr("variables('roleDefinitionId')"),
        principalId: expr(`reference(variables('accountId'), '${apiVersionOfType('Microsoft.CognitiveServices/accounts')}', 'Full').identity.principalId`),
        principalType: 'ServicePrincipal',
      },
    });
  }

  const param = (type: string, value: unknown, description: string) => ({ type, defaultValue: value, metadata: { description } });
  return {
    $schema: TEMPLATE_SCHEMA,
    contentVersion: '1.0.0.0',
    metadata: {
      generator,
      description: "The posture secure-docintel converges (Microsoft's guide 'Configure secure access with managed identities and private endpoints' for Azure AI Document Intelligence), read from Azure.",
      fullDefinitions: 'A template resource is a full PUT: the Document Intelligence account, the storage account (and its blob service) and the subnet are their complete definitions as read, not the settings alone; deploying replaces what they are then with what they were when this was exported. Review with `az deployment group what-if --resource-group <group> --template-file <this file>` before deploying; `az bicep decompile --file <this file>` turns it into Bicep.',
      ordering: "The account's network restriction is part of its one definition, so it is written before its private endpoint exists (secure-docintel itself restricts it last). Left out: read-only state and back-references (provisioningState, privateEndpointConnections, a subnet's ipConfigurations/privateEndpoints), which Azure derives.",
      roleAssignment: roleView ? `${roleView.roleName} for the account's system-assigned identity on the storage account, named guid() of the storage account, account and role definition ids (lowercase), as secure-docintel names it.` : "No data role at the storage account itself: the identity's access comes from a role at a higher scope, which this template does not manage.",
    },
    parameters: {
      accountName: param('string', account.name, 'Document Intelligence account'),
      accountLocation: param('string', defs.account.location, "the account's region"),
      accountCustomSubDomainName: param('string', defs.account.properties?.customSubDomainName ?? account.name, "the account's custom subdomain (permanent once set)"),
      storageAccountName: param('string', storage.name, 'storage account with the training data'),
      storageAccountLocation: param('string', defs.storage.location, "the storage account's region"),
      virtualNetworkName: param('string', vnet.name, 'virtual network of the private endpoints'),
      subnetName: param('string', subnet.name, 'subnet of the private endpoints'),
      endpointLocation: param('string', defs.endpoints.account?.pe.location ?? defs.endpoints.blob?.pe.location ?? vnet.location, "the private endpoints' region (the VNet's)"),
      ...secretParameters,
    },
    variables: {
      accountId: expr("resourceId('Microsoft.CognitiveServices/accounts', parameters('accountName'))"),
      storageAccountId: expr("resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))"),
      virtualNetworkId: expr("resourceId('Microsoft.Network/virtualNetworks', parameters('virtualNetworkName'))"),
      subnetId: expr("resourceId('Microsoft.Network/virtualNetworks/subnets', parameters('virtualNetworkName'), parameters('subnetName'))"),
      roleDefinitionId: expr(`subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${roleGuid}')`),
    },
    resources,
  };
}
