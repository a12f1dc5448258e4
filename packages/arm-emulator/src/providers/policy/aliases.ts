/**
 * Policy aliases → property paths of the resource as a GET returns it. Only the aliases the vendored
 * built-ins name (builtins/*.json). Each follows the convention `az provider show --namespace <ns>
 * --expand "resourceTypes/aliases"` lists for these types: `<Namespace>/<type>/<path>` is
 * `properties.<path>`, and a child type's alias (`.../accounts/privateEndpointConnections/x`) is the
 * child resource's `properties.x`. An alias not listed is refused: guessing a path would judge wrongly.
 */
const TOP_LEVEL = new Set(['name', 'fullname', 'type', 'location', 'id', 'kind', 'tags', 'identity.type']);

const ALIASES: Record<string, string> = {
  'Microsoft.CognitiveServices/accounts/publicNetworkAccess': 'properties.publicNetworkAccess',
  'Microsoft.CognitiveServices/accounts/networkAcls.defaultAction': 'properties.networkAcls.defaultAction',
  'Microsoft.CognitiveServices/accounts/privateEndpointConnections[*]': 'properties.privateEndpointConnections[*]',
  'Microsoft.CognitiveServices/accounts/privateEndpointConnections[*].privateLinkServiceConnectionState.status':
    'properties.privateEndpointConnections[*].properties.privateLinkServiceConnectionState.status',
  'Microsoft.CognitiveServices/accounts/privateEndpointConnections/privateLinkServiceConnectionState.status': 'properties.privateLinkServiceConnectionState.status',
  'Microsoft.Search/searchServices/publicNetworkAccess': 'properties.publicNetworkAccess',
  'Microsoft.Search/searchServices/networkRuleSet.ipRules[*].value': 'properties.networkRuleSet.ipRules[*].value',
  'Microsoft.Search/searchServices/privateEndpointConnections[*]': 'properties.privateEndpointConnections[*]',
  'Microsoft.Search/searchServices/privateEndpointConnections[*].privateLinkServiceConnectionState.status':
    'properties.privateEndpointConnections[*].properties.privateLinkServiceConnectionState.status',
  'Microsoft.Storage/storageAccounts/networkAcls.defaultAction': 'properties.networkAcls.defaultAction',
  'Microsoft.Storage/storageAccounts/networkAcls.bypass': 'properties.networkAcls.bypass',
  'Microsoft.Storage/storageAccounts/privateEndpointConnections/privateLinkServiceConnectionState.status': 'properties.privateLinkServiceConnectionState.status',
  'Microsoft.Network/privateEndpoints/privateLinkServiceConnections[*]': 'properties.privateLinkServiceConnections[*]',
  'Microsoft.Network/privateEndpoints/privateLinkServiceConnections[*].privateLinkServiceId': 'properties.privateLinkServiceConnections[*].properties.privateLinkServiceId',
  'Microsoft.Network/privateEndpoints/privateLinkServiceConnections[*].groupIds[*]': 'properties.privateLinkServiceConnections[*].properties.groupIds[*]',
};

const BY_KEY = new Map(Object.entries(ALIASES).map(([k, v]) => [k.toLowerCase(), v]));

export class UnknownAliasError extends Error {}

/** The property path of a `field` value: a top-level field, `tags[name]`, or a known alias. */
export function aliasPath(field: string): string {
  const f = field.toLowerCase();
  if (TOP_LEVEL.has(f)) return f === 'fullname' ? 'name' : f;
  const tag = /^tags\[['"]?(.+?)['"]?\]$/i.exec(field) ?? /^tags\.(.+)$/i.exec(field);
  if (tag) return `tags.${tag[1]}`;
  const path = BY_KEY.get(f);
  if (!path) throw new UnknownAliasError(`The emulator does not know the policy alias '${field}'.`);
  return path;
}
