import type { ApiVersionPolicy } from '../../arm/router.js';

/**
 * Versions clients send: @azure/arm-privatedns 3.2 (2020-06-01), Azure CLI 2.45 (azure-mgmt-privatedns,
 * 2020-06-01; older CLIs 2018-09-01) and the vendored spec (2024-06-01).
 */
export function privateDnsApi(typeName: string): ApiVersionPolicy {
  return { style: 'provider', typeName, versions: ['2018-09-01', '2020-01-01', '2020-06-01', '2024-06-01'], locations: ['global'] };
}
