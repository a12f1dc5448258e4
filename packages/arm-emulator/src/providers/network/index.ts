import type { Provider } from '../provider.js';
import { registerVirtualNetworks, settleVirtualNetwork } from './virtual-networks.js';
import { registerSubnets } from './subnets.js';
import { registerPrivateEndpoints, settlePrivateEndpoint } from './private-endpoints.js';
import { registerPrivateDnsZoneGroups } from './private-dns-zone-groups.js';
import { registerNetworkInterfaces } from './network-interfaces.js';

/** Microsoft.Network: virtual networks, subnets, private endpoints, zone groups, network interfaces. */
export const networkProvider: Provider = {
  name: 'Microsoft.Network',
  register(router) {
    registerVirtualNetworks(router);
    registerSubnets(router);
    registerPrivateEndpoints(router);
    registerPrivateDnsZoneGroups(router);
    registerNetworkInterfaces(router);
  },
  settleHooks: {
    'Microsoft.Network/virtualNetworks': (vnet) => settleVirtualNetwork(vnet),
    'Microsoft.Network/privateEndpoints': (pe, ctx) => settlePrivateEndpoint(pe, ctx),
  },
};
