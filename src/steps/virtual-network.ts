/**
 * The guide's prerequisite "an Azure virtual network in the same region": when none was there, the
 * run creates the one the user described (a VNet with its subnet, or a subnet in an existing VNet),
 * before the subnet policies and the private endpoints that go into it.
 */
import type { Subnet, VirtualNetwork } from '@azure/arm-network';
import type { StepContext } from './context.js';
import { arm } from './context.js';
import type { Change, StepPlan } from '../plan/types.js';
import { UsageError } from '../core/errors.js';
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
  const changes: Change[] = [];
  if (!create.vnet.exists) {
    changes.push({ action: 'create', resourceId: create.vnet.id, property: 'virtualNetwork', before: null, after: { location: create.location, addressPrefixes: create.vnet.addressPrefixes } });
  }
  changes.push({ action: 'create', resourceId: create.subnet.id, property: 'subnet', before: null, after: { addressPrefix: create.subnet.addressPrefix, privateEndpointNetworkPolicies: subnetBody(ctx, create).privateEndpointNetworkPolicies ?? 'Disabled' } });
  const rgScope = resourceGroupId(create.subscriptionId, create.resourceGroup);
  return {
    ...NETWORK_STEP,
    changes,
    requires: create.vnet.exists
      ? [{ action: 'Microsoft.Network/virtualNetworks/subnets/write', scope: create.vnet.id, why: `creating subnet ${create.subnet.name}` }]
      : [{ action: 'Microsoft.Network/virtualNetworks/write', scope: rgScope, why: `creating virtual network ${create.vnet.name}` }],
    apply: async () => {
      const net = await ctx.session.network(create.subscriptionId);
      if (!create.vnet.exists) {
        const body: VirtualNetwork = {
          location: create.location,
          addressSpace: { addressPrefixes: create.vnet.addressPrefixes },
          subnets: [{ name: create.subnet.name, ...subnetBody(ctx, create) }],
        };
        await arm(`creating virtual network ${create.vnet.id}`, () => net.virtualNetworks.beginCreateOrUpdateAndWait(create.resourceGroup, create.vnet.name, body));
      } else {
        await arm(`creating subnet ${create.subnet.id}`, () => net.subnets.beginCreateOrUpdateAndWait(create.resourceGroup, create.vnet.name, create.subnet.name, subnetBody(ctx, create)));
      }
      const vnet = await arm(`reading ${create.vnet.id}`, () => net.virtualNetworks.get(create.resourceGroup, create.vnet.name));
      const subnet = vnet.subnets?.find((s) => s.name?.toLowerCase() === create.subnet.name.toLowerCase());
      if (!subnet) throw new UsageError(`Subnet ${create.subnet.id} is missing after it was created.`, 'Run the same command again.');
      ctx.targets.vnet = vnet as NonNullable<typeof ctx.targets.vnet>;
      ctx.targets.subnet = subnet as NonNullable<typeof ctx.targets.subnet>;
      ctx.targets.createNetwork = undefined;
    },
  };
}
