/**
 * The guide's step 5 asks, in passing: "Make sure *Enable network policies for all private endpoints
 * in this subnet* is selected" — the subnet's `privateEndpointNetworkPolicies: Enabled`, so network
 * security groups and route tables apply to private endpoints. It changes every endpoint in the
 * subnet, not only ours, so it has a confirmation of its own. Runs before the endpoints are created.
 */
import type { Subnet } from '@azure/arm-network';
import type { StepContext } from './context.js';
import type { Change, StepPlan } from '../plan/types.js';
import { noOp } from '../plan/types.js';

export const SUBNET_POLICIES_STEP = { id: 'subnet-policies', title: 'Enable network policies for private endpoints in the subnet' } as const;

export const PROPERTY = 'privateEndpointNetworkPolicies';
export const WANTED = 'Enabled';

export function planSubnetPolicies(ctx: StepContext): StepPlan {
  const subnet = ctx.targets.subnet!;
  const before = subnet.privateEndpointNetworkPolicies ?? 'Disabled';
  if (ctx.settings.keepSubnetPolicies || before === WANTED) return { ...SUBNET_POLICIES_STEP, changes: [noOp(subnet.id, PROPERTY, before)] };
  const others = (subnet.privateEndpoints ?? []).length;
  const change: Change = {
    action: 'update',
    resourceId: subnet.id,
    property: PROPERTY,
    before,
    after: WANTED,
    confirm: {
      kind: 'shared',
      message:
        `Enable network policies for private endpoints in subnet '${subnet.name}' (${PROPERTY}: ${before} → ${WANTED}), as the guide asks? ` +
        `Network security groups and user-defined routes on the subnet will then apply to every private endpoint in it` +
        `${others ? `, including the ${others} already there` : ''}, not only these two. Pass --keep-subnet-policies to leave the subnet as it is.`,
    },
  };
  // A subnet PUT replaces the subnet: send it back as read (prefixes, NSG, route table,
  // delegations, service endpoints…) with only the policy changed.
  const body: Subnet = { ...subnet, privateEndpointNetworkPolicies: WANTED };
  return {
    ...SUBNET_POLICIES_STEP,
    changes: [change],
    requires: [{ action: 'Microsoft.Network/virtualNetworks/subnets/write', scope: subnet.id, why: `enabling network policies for private endpoints in subnet ${subnet.name}` }],
    writes: [{ operation: 'put-subnet', resourceId: subnet.id, body: body as Record<string, unknown>, changes: [change] }],
  };
}
