import type { ApiVersionPolicy } from '../../arm/router.js';

/**
 * Microsoft.Storage api-versions the emulator answers: @azure/arm-storage 20.0.0 sends 2025-08-01,
 * Azure CLI 2.45 sends 2022-09-01 (its `latest` profile); the others are released versions clients commonly pin.
 */
const VERSIONS = ['2021-09-01', '2022-05-01', '2022-09-01', '2023-01-01', '2023-04-01', '2023-05-01', '2024-01-01', '2025-01-01', '2025-06-01', '2025-08-01'];

export function storageApi(typeName: string): ApiVersionPolicy {
  return { style: 'provider', typeName, versions: VERSIONS };
}

export const NAMESPACE = 'Microsoft.Storage';
export const ACCOUNT_TYPE = 'Microsoft.Storage/storageAccounts';
export const ACCOUNT_PATH = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Storage/storageAccounts/{accountName}';
