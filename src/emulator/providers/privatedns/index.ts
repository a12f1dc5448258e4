import type { Provider } from '../provider.js';

/** Microsoft.Network/privateDnsZones: zones, virtual network links, record sets. */
export const privateDnsProvider: Provider = { name: 'Microsoft.Network/privateDnsZones', register() {} };
