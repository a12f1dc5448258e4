import type { Provider } from '../provider.js';
import { registerZones } from './zones.js';
import { registerVirtualNetworkLinks, settleLink } from './virtual-network-links.js';
import { registerRecordSets } from './record-sets.js';

/** Microsoft.Network/privateDnsZones: zones, virtual network links, record sets. */
export const privateDnsProvider: Provider = {
  name: 'Microsoft.Network/privateDnsZones',
  register(router) {
    registerZones(router);
    // Links and `ALL` before `{recordType}`: the router takes the first template that matches.
    registerVirtualNetworkLinks(router);
    registerRecordSets(router);
  },
  settleHooks: { 'Microsoft.Network/privateDnsZones/virtualNetworkLinks': (link) => settleLink(link) },
};
