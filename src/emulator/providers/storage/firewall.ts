/**
 * The storage firewall's decision for a request's network path: an approved private endpoint in the caller's
 * virtual network, or the public endpoint subject to publicNetworkAccess, the rule set and its exceptions.
 */
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import type { DataPlaneCaller } from '../../dataplane/position.js';
import { keyOf } from '../../arm/ids.js';
import { connectionsOf } from '../private-link.js';
import { parseIpv4, parseIpv4Range, rangeContains } from './ipv4.js';
import { bypassIncludes } from './network-acls.js';

/** Resource types Azure Storage lets through under "Allow Azure services on the trusted services list". */
const TRUSTED_SERVICE_TYPES = [
  'Microsoft.CognitiveServices/accounts',
  'Microsoft.MachineLearningServices/workspaces',
  'Microsoft.Search/searchServices',
  'Microsoft.DataFactory/factories',
  'Microsoft.Synapse/workspaces',
  'Microsoft.EventGrid/topics',
  'Microsoft.Sql/servers',
  'Microsoft.ApiManagement/service',
];

function vnetOf(subnetId: string): string {
  return keyOf(subnetId.replace(/\/subnets\/[^/]+$/i, ''));
}

/** An Approved connection for `groupId` whose private endpoint sits in the caller's virtual network. */
export function reachesThroughPrivateEndpoint(ctx: EmulatorContext, account: Resource, subnetId: string, groupId: string): boolean {
  const vnet = vnetOf(subnetId);
  return connectionsOf(ctx, account.id).some((c) => {
    const p = c.properties ?? {};
    if (p.privateLinkServiceConnectionState?.status !== 'Approved') return false;
    const groups: string[] = p.groupIds ?? [];
    if (groups.length && !groups.some((g) => g.toLowerCase() === groupId)) return false;
    const pe = ctx.state.get(String(p.privateEndpoint?.id ?? ''));
    const peSubnet = String(pe?.properties?.subnet?.id ?? '');
    return !!peSubnet && vnetOf(peSubnet) === vnet;
  });
}

/** Resource instance rules name a resource id, where `*` stands for any subscription, group or name. */
function ruleMatches(pattern: string, resourceId: string): boolean {
  const p = keyOf(pattern).split('/');
  const r = keyOf(resourceId).split('/');
  return p.length === r.length && p.every((seg, i) => seg === '*' || seg === r[i]);
}

function isTrustedService(resourceId: string): boolean {
  const id = keyOf(resourceId);
  return TRUSTED_SERVICE_TYPES.some((t) => id.includes(`/providers/${t.toLowerCase()}/`));
}

/** Whether the storage firewall lets this caller's request reach the blob service. */
export function networkAllows(ctx: EmulatorContext, account: Resource, caller: DataPlaneCaller): boolean {
  if (caller.kind === 'client' && caller.subnetId && reachesThroughPrivateEndpoint(ctx, account, caller.subnetId, 'blob')) return true;
  const props = account.properties ?? {};
  // Disabled (and a perimeter the emulator does not model) closes the public endpoint to everyone, exceptions included.
  if (props.publicNetworkAccess === 'Disabled' || props.publicNetworkAccess === 'SecuredByPerimeter') return false;
  const acls = props.networkAcls ?? {};
  if (String(acls.defaultAction ?? 'Allow') !== 'Deny') return true;
  if (caller.kind === 'service') {
    const tenant = ctx.state.tenantId.toLowerCase();
    const instanceRule = ((acls.resourceAccessRules ?? []) as { tenantId: string; resourceId: string }[]).some(
      (r) => String(r.tenantId).toLowerCase() === tenant && ruleMatches(r.resourceId, caller.resourceId),
    );
    return instanceRule || (bypassIncludes(acls.bypass, 'AzureServices') && isTrustedService(caller.resourceId));
  }
  if (caller.subnetId) {
    return ((acls.virtualNetworkRules ?? []) as { id: string }[]).some((r) => keyOf(r.id) === keyOf(caller.subnetId!));
  }
  const ip = caller.ip ? parseIpv4(caller.ip) : undefined;
  if (ip === undefined) return false;
  return ((acls.ipRules ?? []) as { value: string }[]).some((r) => {
    const range = parseIpv4Range(r.value);
    return !!range && rangeContains(range, ip);
  });
}
