/** Microsoft.Network/virtualNetworks/subnets, read and written inside their virtual network's body. */
import type { Router } from '../../arm/router.js';
import { notFound } from './errors.js';
import { page, requireBody } from '../../arm/protocol.js';
import { networkApi } from './api.js';
import { acceptedDelete, acceptedWrite } from './lro.js';
import { getVnet } from './virtual-networks.js';
import { buildSubnet, inUseSubnet, subnetUser, subnetsOf, validateSubnets } from './model.js';

const VNET = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualNetworks/{virtualNetworkName}';
const SUBNET = `${VNET}/subnets/{subnetName}`;
const api = networkApi('virtualNetworks/subnets');

function vnetIdOf(p: Record<string, string>): string {
  return `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}/providers/Microsoft.Network/virtualNetworks/${p.virtualNetworkName}`;
}

export function registerSubnets(router: Router): void {
  router.add({
    method: 'GET',
    template: `${VNET}/subnets`,
    api,
    handler: (req, ctx) => page(req, ctx, subnetsOf(getVnet(ctx, vnetIdOf(req.params), req.params.virtualNetworkName, req.params.resourceGroupName))),
  });
  router.add({
    method: 'GET',
    template: SUBNET,
    api,
    handler: (req, ctx) => {
      const vnet = getVnet(ctx, vnetIdOf(req.params), req.params.virtualNetworkName, req.params.resourceGroupName);
      const subnet = subnetsOf(vnet).find((s) => s.name.toLowerCase() === req.params.subnetName.toLowerCase());
      if (!subnet) throw notFound(req.path);
      return { status: 200, body: subnet };
    },
  });
  router.add({
    method: 'PUT',
    template: SUBNET,
    api,
    action: 'Microsoft.Network/virtualNetworks/subnets/write',
    handler: (req, ctx) => {
      const body = requireBody(req);
      const vnet = getVnet(ctx, vnetIdOf(req.params), req.params.virtualNetworkName, req.params.resourceGroupName);
      const subnets = subnetsOf(vnet);
      const index = subnets.findIndex((s) => s.name.toLowerCase() === req.params.subnetName.toLowerCase());
      const existing = index >= 0 ? subnets[index] : undefined;
      const subnet = buildSubnet(ctx, vnet.id, req.params.subnetName, body.properties, existing, 'Updating');
      const next = [...subnets];
      if (index >= 0) next[index] = subnet;
      else next.push(subnet);
      validateSubnets(vnet.name, vnet.properties.addressSpace?.addressPrefixes ?? [], next);
      vnet.properties.subnets = next;
      vnet.properties.provisioningState = 'Updating';
      return acceptedWrite(ctx, req, vnet.id, vnet.location, subnet, !existing);
    },
  });
  router.add({
    method: 'DELETE',
    template: SUBNET,
    api,
    action: 'Microsoft.Network/virtualNetworks/subnets/delete',
    handler: (req, ctx) => {
      const vnet = getVnet(ctx, vnetIdOf(req.params), req.params.virtualNetworkName, req.params.resourceGroupName);
      const subnet = subnetsOf(vnet).find((s) => s.name.toLowerCase() === req.params.subnetName.toLowerCase());
      if (!subnet) return { status: 204 };
      if (subnetUser(subnet)) throw inUseSubnet(subnet);
      vnet.properties.subnets = subnetsOf(vnet).filter((s) => s !== subnet);
      // The operation names the subnet, which no longer has a stored copy: settling it removes nothing else.
      return acceptedDelete(ctx, req, subnet.id, vnet.location);
    },
  });
}
