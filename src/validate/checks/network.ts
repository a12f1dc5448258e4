/** The subnet of the private endpoints: the guide's "Enable network policies for all private endpoints in this subnet". */
import type { Settings } from '../../core/settings.js';
import type { Check } from '../types.js';
import { pass, warn } from '../types.js';
import type { Posture } from '../../posture/model.js';
import { fixCommand } from '../fix-command.js';

export function networkChecks(settings: Settings, p: Posture): Check[] {
  const policies = p.subnet.privateEndpointNetworkPolicies ?? 'Disabled';
  if (policies === 'Enabled') {
    return [pass('network.subnet-policies', p.subnet.id, `Network policies for private endpoints are enabled in subnet '${p.subnet.name}' (NSGs and route tables apply to its endpoints).`)];
  }
  const partly = policies === 'NetworkSecurityGroupEnabled' ? ' (network security groups apply, route tables do not)' : policies === 'RouteTableEnabled' ? ' (route tables apply, network security groups do not)' : '';
  return [
    warn(
      'network.subnet-policies',
      p.subnet.id,
      `Subnet '${p.subnet.name}' has privateEndpointNetworkPolicies ${policies}${partly}: the guide asks for "Enable network policies for all private endpoints in this subnet", so that the subnet's NSG and routes govern traffic to the endpoints.`,
      fixCommand(settings, p, 'private-endpoint'),
    ),
  ];
}
