/**
 * Whether a caller's network path reaches a Cognitive Services account, as the service decides it. The
 * caller's position is first resolved as Azure DNS would (resolve.ts): a name that resolves to a private
 * endpoint's address in the caller's virtual network arrives through that endpoint, which must hold an
 * Approved connection to this account; a public answer arrives at the public endpoint (from the virtual
 * network's egress address for a subnet caller), where public access must be enabled and, with
 * `defaultAction: Deny`, the caller's IP or subnet must match a rule; an address where nothing answers is
 * the emulator's 503 `EmulatorHostUnreachable`.
 */
import type { EmulatorContext } from '../context.js';
import type { Resource } from '../state.js';
import type { AccessDecision } from './position.js';
import { keyOf } from '../arm/ids.js';
import { ipMatchesRule } from '../arm/ipv4.js';
import { arrivalOf, privateEndpointServes, unreachableDecision } from './resolve.js';

const FIREWALL_DENIED: AccessDecision = { ok: false, status: 403, code: '403', message: 'Access denied due to Virtual Network/Firewall rules.' };
const PUBLIC_ACCESS_DISABLED: AccessDecision = { ok: false, status: 403, code: '403', message: 'Public access is disabled. Please configure private endpoint.' };

/** The decision for a request to `host` (the account's custom subdomain or its regional host). */
export function networkDecision(ctx: EmulatorContext, account: Resource, position: { ip?: string; subnetId?: string }, host: string): AccessDecision {
  const arrival = arrivalOf(ctx, host, position);
  if (arrival.via === 'nowhere') return unreachableDecision(arrival);
  // Through a private endpoint: its connection decides (a Pending/Rejected one, or one to another target, is refused).
  if (arrival.via === 'private-endpoint') return privateEndpointServes(ctx, arrival.privateEndpointId, account) ? { ok: true } : FIREWALL_DENIED;
  const props = account.properties ?? {};
  if (props.publicNetworkAccess === 'Disabled') return PUBLIC_ACCESS_DISABLED;
  const acls = props.networkAcls;
  if (!acls || acls.defaultAction !== 'Deny') return { ok: true };
  const ip = arrival.ip;
  if (ip && ((acls.ipRules ?? []) as { value: string }[]).some((r) => ipMatchesRule(ip, r.value))) return { ok: true };
  const subnet = arrival.subnetId ? keyOf(arrival.subnetId) : undefined;
  if (subnet && ((acls.virtualNetworkRules ?? []) as { id: string }[]).some((r) => keyOf(r.id) === subnet)) return { ok: true };
  return FIREWALL_DENIED;
}
