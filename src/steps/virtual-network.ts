/**
 * The guide's prerequisite "an Azure virtual network in the same region": when none was there, the
 * run creates the one the user described (a VNet with its subnet, or a subnet in an existing VNet),
 * before the subnet policies and the private endpoints that go into it.
 */
import type { Subnet, VirtualNetwork } from '@azure/arm-network';
import type { StepContext } from './context.js';
import type { Change, StepPlan } from '../plan/types.js';
import { resourceGroupId } from '../core/resource-id.js';

export const NETWORK_STEP = { id: 'virtual-network', title: 'Create the virtual network for the private endpoints' } as const;

/** What the run creates; the targets carry the VNet and subnet as they will be. */
export interface NetworkToCreate {
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  vnet: { id: string; name: string; addressPrefixes: string[]; exists: boolean };
  subnet: { id: string; name: string; addressPrefix: string };
}

export function subnetBody(ctx: StepContext, create: NetworkToCreate): Subnet {
  return { addressPrefix: create.subnet.addressPrefix, ...(ctx.settings.keepSubnetPolicies ? {} : { privateEndpointNetworkPolicies: 'Enabled' }) };
}

export function planVirtualNetwork(ctx: StepContext): StepPlan | undefined {
  const create = ctx.targets.createNetwork;
  if (!create) return undefined;
  const subnet = subnetBody(ctx, create);
  const subnetChange: Change = { action: 'create', resourceId: create.subnet.id, property: 'subnet', before: null, after: { addressPrefix: create.subnet.addressPrefix, privateEndpointNetworkPolicies: subnet.privateEndpointNetworkPolicies ?? 'Disabled' } };
  const rgScope = resourceGroupId(create.subscriptionId, create.resourceGroup);
  if (create.vnet.exists) {
    return {
      ...NETWORK_STEP,
      changes: [subnetChange],
      requires: [{ action: 'Microsoft.Network/virtualNetworks/subnets/write', scope: create.vnet.id, why: `creating subnet ${create.subnet.name}` }],
      writes: [{ operation: 'put-subnet', resourceId: create.subnet.id, body: subnet as Record<string, unknown>, changes: [subnetChange] }],
    };
  }
  const vnetChange: Change = { action: 'create', resourceId: create.vnet.id, property: 'virtualNetwork', before: null, after: { location: create.location, addressPrefixes: create.vnet.addressPrefixes } };
  const body: VirtualNetwork = { location: create.location, addressSpace: { addressPrefixes: create.vnet.addressPrefixes }, subnets: [{ name: create.subnet.name, ...subnet }] };
  return {
    ...NETWORK_STEP,
    changes: [vnetChange, subnetChange],
    requires: [{ action: 'Microsoft.Network/virtualNetworks/write', scope: rgScope, why: `creating virtual network ${create.vnet.name}` }],
    // One PUT makes the VNet with its subnet.
    writes: [{ operation: 'put-virtual-network', resourceId: create.vnet.id, body: body as Record<string, unknown>, changes: [vnetChange, subnetChange] }],
  };
}
