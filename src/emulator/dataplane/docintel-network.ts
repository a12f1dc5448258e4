/**
 * Whether a caller's network path reaches a Cognitive Services account, as the service decides it:
 * an Approved private endpoint in the caller's virtual network always does; otherwise public access
 * must be enabled and, with `defaultAction: Deny`, the caller's IP or subnet must match a rule.
 */
import type { EmulatorContext } from '../context.js';
import type { Resource } from '../state.js';
import type { AccessDecision } from './position.js';
import { connectionsOf } from '../providers/private-link.js';
import { keyOf, parentId } from '../arm/ids.js';
import { ipMatchesRule } from './docintel-ip.js';

const FIREWALL_DENIED: AccessDecision = { ok: false, status: 403, code: '403', message: 'Access denied due to Virtual Network/Firewall rules.' };
const PUBLIC_ACCESS_DISABLED: AccessDecision = { ok: false, status: 403, code: '403', message: 'Public access is disabled. Please configure private endpoint.' };

/** The virtual network a subnet id belongs to. */
function vnetOf(subnetId: string): string {
  return keyOf(parentId(subnetId));
}

/** True when an Approved private endpoint to the account sits in the caller's virtual network. */
export function arrivesThroughPrivateEndpoint(ctx: EmulatorContext, account: Resource, subnetId: string | undefined): boolean {
  if (!subnetId) return false;
  const vnet = vnetOf(subnetId);
  return connectionsOf(ctx, account.id).some((c) => {
    if (c.properties?.privateLinkServiceConnectionState?.status !== 'Approved') return false;
    const pe = ctx.state.get(String(c.properties?.privateEndpoint?.id ?? ''));
    const peSubnet = String(pe?.properties?.subnet?.id ?? '');
    return Boolean(peSubnet) && vnetOf(peSubnet) === vnet;
  });
}

export function networkDecision(ctx: EmulatorContext, account: Resource, position: { ip?: string; subnetId?: string }): AccessDecision {
  if (arrivesThroughPrivateEndpoint(ctx, account, position.subnetId)) return { ok: true };
  const props = account.properties ?? {};
  if (props.publicNetworkAccess === 'Disabled') return PUBLIC_ACCESS_DISABLED;
  const acls = props.networkAcls;
  if (!acls || acls.defaultAction !== 'Deny') return { ok: true };
  const ip = position.ip;
  if (ip && ((acls.ipRules ?? []) as { value: string }[]).some((r) => ipMatchesRule(ip, r.value))) return { ok: true };
  const subnet = position.subnetId ? keyOf(position.subnetId) : undefined;
  if (subnet && ((acls.virtualNetworkRules ?? []) as { id: string }[]).some((r) => keyOf(r.id) === subnet)) return { ok: true };
  return FIREWALL_DENIED;
}
