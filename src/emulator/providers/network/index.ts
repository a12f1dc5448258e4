import type { Provider } from '../provider.js';

/** Microsoft.Network: virtual networks, subnets, private endpoints, zone groups, network interfaces. */
export const networkProvider: Provider = { name: 'Microsoft.Network', register() {} };
