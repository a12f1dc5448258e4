/**
 * The storage firewall's decision for a request's network path. A client's position is resolved as Azure DNS
 * would (dataplane/resolve.ts): through a private endpoint (which must hold an Approved `blob` connection to
 * the account), at the public endpoint (subject to publicNetworkAccess, the rule set and its exceptions; a
 * subnet client arrives from its virtual network's egress address), or nowhere. Service callers (an account's
 * managed identity) travel Azure's backbone and meet the exceptions (trusted services, resource instances).
 */
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import type { DataPlaneCaller } from '../../dataplane/position.js';
import { keyOf } from '../../arm/ids.js';
import { arrivalOf, privateEndpointServes, type Arrival } from '../../dataplane/resolve.js';
import { STORAGE_SUFFIXES, cloudOfLocation } from './cloud.js';
import { parseIpv4, parseIpv4Range, rangeContains } from '../../arm/ipv4.js';
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

/** The account's blob host name, e.g. `stdocinteldemo.blob.core.windows.net`. */
export function blobHostOf(account: Resource): string {
  return `${String(account.name).toLowerCase()}.blob.${STORAGE_SUFFIXES[cloudOfLocation(account.location)]}`;
}

export type NetworkOutcome = { allowed: true } | { allowed: false; nowhere?: Extract<Arrival, { via: 'nowhere' }> };

/** Whether the storage firewall lets this caller's request reach the blob service, and why not. */
export function networkOutcome(ctx: EmulatorContext, account: Resource, caller: DataPlaneCaller): NetworkOutcome {
  const allowed = (ok: boolean): NetworkOutcome => (ok ? { allowed: true } : { allowed: false });
  let source: { ip?: string; subnetId?: string } = {};
  if (caller.kind === 'client') {
    const arrival = arrivalOf(ctx, blobHostOf(account), caller);
    if (arrival.via === 'nowhere') return { allowed: false, nowhere: arrival };
    if (arrival.via === 'private-endpoint') return allowed(privateEndpointServes(ctx, arrival.privateEndpointId, account, 'blob'));
    source = arrival;
  }
  const props = account.properties ?? {};
  // Disabled (and a perimeter the emulator does not model) closes the public endpoint to everyone, exceptions included.
  if (props.publicNetworkAccess === 'Disabled' || props.publicNetworkAccess === 'SecuredByPerimeter') return allowed(false);
  const acls = props.networkAcls ?? {};
  if (String(acls.defaultAction ?? 'Allow') !== 'Deny') return allowed(true);
  if (caller.kind === 'service') {
    const tenant = ctx.state.tenantId.toLowerCase();
    const instanceRule = ((acls.resourceAccessRules ?? []) as { tenantId: string; resourceId: string }[]).some(
      (r) => String(r.tenantId).toLowerCase() === tenant && ruleMatches(r.resourceId, caller.resourceId),
    );
    return allowed(instanceRule || (bypassIncludes(acls.bypass, 'AzureServices') && isTrustedService(caller.resourceId)));
  }
  // A subnet listed in virtualNetworkRules is admitted at the public endpoint (service endpoint path).
  if (source.subnetId && ((acls.virtualNetworkRules ?? []) as { id: string }[]).some((r) => keyOf(r.id) === keyOf(source.subnetId!))) return allowed(true);
  const ip = source.ip ? parseIpv4(source.ip) : undefined;
  if (ip === undefined) return allowed(false);
  return allowed(((acls.ipRules ?? []) as { value: string }[]).some((r) => {
    const range = parseIpv4Range(r.value);
    return !!range && rangeContains(range, ip);
  }));
}

/** Whether the storage firewall lets this caller's request reach the blob service. */
export function networkAllows(ctx: EmulatorContext, account: Resource, caller: DataPlaneCaller): boolean {
  return networkOutcome(ctx, account, caller).allowed;
}
