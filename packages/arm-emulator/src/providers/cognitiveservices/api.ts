import type { ApiVersionPolicy } from '../../arm/router.js';

/**
 * Versions clients send: @azure/arm-cognitiveservices 8.1.0 (2025-09-01, also the vendored spec),
 * Debian azure-cli 2.45 (azure-mgmt-cognitiveservices pinned to 2022-12-01), and the other
 * stable versions ARM lists for the type so templates and older tools keep working.
 */
const STABLE = [
  '2016-02-01-preview', '2017-04-18', '2021-04-30', '2021-10-01', '2022-03-01', '2022-10-01', '2022-12-01',
  '2023-05-01', '2024-10-01', '2025-06-01', '2025-09-01',
];

export const ACCOUNTS_API: ApiVersionPolicy = { versions: STABLE, style: 'provider', typeName: 'accounts' };
export const CONNECTIONS_API: ApiVersionPolicy = { versions: STABLE, style: 'provider', typeName: 'accounts/privateEndpointConnections' };
export const LINK_RESOURCES_API: ApiVersionPolicy = { versions: STABLE, style: 'provider', typeName: 'accounts/privateLinkResources' };

export const NAMESPACE = 'Microsoft.CognitiveServices';
export const ACCOUNT_TYPE = 'Microsoft.CognitiveServices/accounts';
export const ACCOUNT = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.CognitiveServices/accounts/{accountName}';
