import type { ApiVersionPolicy } from '../../arm/router.js';

/**
 * Versions clients send: the built-in policy definitions' DeployIfNotExists templates (2020-03-01 zone
 * groups, 2020-07-01 private endpoints; both are published API versions in azure-rest-api-specs), @azure/arm-network 36 (2025-05-01), Azure CLI 2.45 (2022-01-01 for its
 * AAZ commands and SDK default, 2022-05-01 in some commands), and the vendored specs (2025-07-01, 2026-01-01).
 */
const VERSIONS = ['2020-03-01', '2020-07-01', '2022-01-01', '2022-05-01', '2023-04-01', '2023-09-01', '2024-01-01', '2024-05-01', '2025-05-01', '2025-07-01', '2026-01-01'];

export function networkApi(typeName: string): ApiVersionPolicy {
  return { style: 'provider', typeName, versions: VERSIONS };
}

export const NETWORK_NAMESPACE = 'Microsoft.Network';
