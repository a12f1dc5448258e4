/**
 * One target's private path: its private endpoint in the chosen subnet, then (unless DNS is managed
 * elsewhere) its private DNS zone, the zone's VNet link and the endpoint's zone group. The endpoint
 * and the zone/link run concurrently; the zone group needs both. Anything whose operation ended
 * Failed is sent again. A caller without the target's approval right gets a manual connection,
 * left Pending for the target's owner to approve.
 */
import type { NetworkInterface, PrivateEndpoint, PrivateDnsZoneGroup, PrivateLinkServiceConnection } from '@azure/arm-network';
import type { StepContext } from './context.js';
import { arm } from './context.js';
import type { Change } from '../plan/types.js';
import { noOp } from '../plan/types.js';
import type { PrivateLinkService } from '../core/cloud.js';
import { nameOf, resourceGroupId, rgOf, sameId, subscriptionOf } from '../core/resource-id.js';
import { UsageError } from '../core/errors.js';
import { orUndefined } from '../posture/not-found.js';
import { hostInZone, recordNameFor, zoneGroupConfigName } from '../posture/dns.js';
import { addressesFor, endpointPlacement, endedFailed, nicAddresses, privateEndpointId, privateEndpointName, servesInVnet, zoneGroupRecords, type ConnectionRef } from '../posture/endpoints.js';
import { APPROVAL_ACTION, type Requirement } from '../posture/permissions.js';
import { approveConnection, pendingNote } from './private-endpoint-approval.js';
import { chooseZone } from './private-dns-zone.js';
import { retryTransientOperation } from '../azure/transient-retry.js';

export interface EndpointTarget {
  service: PrivateLinkService;
  targetId: string;
  targetName: string;
  /** the host name clients resolve (its A record goes in the zone) */
  host: string;
  /** the private DNS zones its endpoint needs (the target's requiredZoneNames), each with its A record */
  zoneNames: string[];
  /** connections the target reports (already read) */
  connections: ConnectionRef[];
}

/** Whether the target's private path works after the chain: endpoint Succeeded, connection Approved, DNS written. */
export interface EndpointResult {
  ready: boolean;
  why?: string;
  notes: string[];
}

export interface EndpointChain {
  changes: Change[];
  requires: Requirement[];
  /** the result when there is nothing to write */
  result: EndpointResult;
  /** `accountReady` settles when the account accepts new endpoints */
  apply?: (accountReady: Promise<void>) => Promise<EndpointResult>;
}

const REQUEST_MESSAGE = 'Requested by secure-docintel: private access for Document Intelligence (approve to let traffic flow).';

function connectionStatus(pe: PrivateEndpoint | undefined, t: EndpointTarget, peId: string): string | undefined {
  const fromTarget = t.connections.find((c) => sameId(c.privateEndpointId, peId))?.status;
  const own = [...(pe?.privateLinkServiceConnections ?? []), ...(pe?.manualPrivateLinkServiceConnections ?? [])].find((c) => sameId(c.privateLinkServiceId, t.targetId));
  return fromTarget ?? own?.privateLinkServiceConnectionState?.status;
}

export async function planEndpoint(ctx: StepContext, t: EndpointTarget): Promise<EndpointChain> {
  const subnetId = ctx.targets.subnet!.id;
  const vnetId = ctx.targets.vnet!.id;
  const { subscriptionId: peSub, resourceGroup: peRg } = endpointPlacement(ctx.targets.account!.id, vnetId);
  const net = await ctx.session.network(peSub);
  const changes: Change[] = [];
  const requires: Requirement[] = [];
  const rgScope = resourceGroupId(peSub, peRg);

  // 1. The endpoint: ours by name, or an existing one of the target's connections in this VNet.
  let pe = await orUndefined('reading private endpoint', () => net.privateEndpoints.get(peRg, privateEndpointName(t.targetName, t.service)));
  if (pe && !sameId(pe.subnet?.id, subnetId)) {
    throw new UsageError(
      `Private endpoint '${pe.name}' already exists but is in subnet ${pe.subnet?.id}, not ${subnetId}.`,
      'Pass that subnet with --vnet/--subnet, or delete the old endpoint first.',
    );
  }
  if (!pe) {
    for (const c of t.connections) {
      if (!c.privateEndpointId) continue;
      const other = await orUndefined(`reading private endpoint ${c.privateEndpointId}`, async () =>
        (await ctx.session.network(subscriptionOf(c.privateEndpointId!))).privateEndpoints.get(rgOf(c.privateEndpointId!), nameOf(c.privateEndpointId!)),
      );
      if (other && servesInVnet(other, t.service, vnetId)) {
        pe = other;
        break;
      }
    }
  }
  const peName = pe?.name ?? privateEndpointName(t.targetName, t.service);
  const peId = pe?.id ?? privateEndpointId(peSub, peRg, peName);
  const peNet = await ctx.session.network(subscriptionOf(peId));
  const peScope = pe ? peId : rgScope;
  let status = pe ? connectionStatus(pe, t, peId) : undefined;

  let sendEndpoint: ((accountReady: Promise<void>) => Promise<void>) | undefined;
  let manual = false;
  let approve: (() => Promise<void>) | undefined;
  if (pe && !endedFailed(pe.provisioningState)) {
    changes.push(noOp(peId, 'privateEndpoint', { target: t.targetId, groupId: t.service, subnet: pe.subnet?.id }));
    const conn = t.connections.find((c) => sameId(c.privateEndpointId, peId));
    if (conn?.id && conn.status === 'Pending') {
      if (await ctx.access.can(APPROVAL_ACTION[t.service], t.targetId)) {
        changes.push({ action: 'update', resourceId: conn.id, property: 'privateLinkServiceConnectionState.status', before: 'Pending', after: 'Approved' });
        requires.push({ action: APPROVAL_ACTION[t.service], scope: t.targetId, why: `approving ${nameOf(conn.id)} on ${t.targetName}` });
        approve = () => approveConnection(ctx, t, conn.id!);
      }
    }
  } else {
    // Not there, or its operation ended Failed: send the PUT (again).
    const body: PrivateEndpoint = pe
      ? { location: pe.location, subnet: { id: pe.subnet?.id }, privateLinkServiceConnections: strip(pe.privateLinkServiceConnections), manualPrivateLinkServiceConnections: strip(pe.manualPrivateLinkServiceConnections), tags: pe.tags }
      : { location: ctx.targets.location, subnet: { id: subnetId } };
    if (!pe) {
      manual = !(await ctx.access.can(APPROVAL_ACTION[t.service], t.targetId));
      const connection: PrivateLinkServiceConnection = { name: peName, privateLinkServiceId: t.targetId, groupIds: [t.service], ...(manual ? { requestMessage: REQUEST_MESSAGE } : {}) };
      if (manual) body.manualPrivateLinkServiceConnections = [connection];
      else body.privateLinkServiceConnections = [connection];
      changes.push({
        action: 'create',
        resourceId: peId,
        property: 'privateEndpoint',
        before: null,
        after: { target: t.targetId, groupId: t.service, subnet: subnetId, location: ctx.targets.location, ...(manual ? { connection: 'manual (Pending until the owner of the target approves)' } : {}) },
        ...(manual
          ? {
              confirm: {
                kind: 'approval' as const,
                message: `You may not approve private endpoint connections on '${t.targetName}' (${APPROVAL_ACTION[t.service]}). Request a manual connection that stays Pending until its owner approves it (the command to send them is printed)? Until then no traffic flows through it${t.service === 'account' ? ` and the account's network is not restricted` : ''}.`,
              },
            }
          : {}),
      });
    } else {
      changes.push({ action: 'update', resourceId: peId, property: 'provisioningState', before: pe.provisioningState, after: 'Succeeded' });
    }
    requires.push({ action: 'Microsoft.Network/privateEndpoints/write', scope: peScope, why: `${pe ? 'repairing' : 'creating'} private endpoint ${peName}` });
    requires.push({ action: 'Microsoft.Network/virtualNetworks/subnets/join/action', scope: body.subnet!.id!, why: `placing ${peName} in ${nameOf(body.subnet!.id!)}` });
    sendEndpoint = async (accountReady) => {
      // An account that is still applying a change refuses new endpoints (AccountProvisioningStateInvalid).
      if (t.service === 'account') await accountReady;
      const made = await arm(`${pe ? 'repairing' : 'creating'} private endpoint ${peId}`, () =>
        retryTransientOperation(() => peNet.privateEndpoints.beginCreateOrUpdateAndWait(rgOf(peId), peName, body), retryDelay(ctx)),
      );
      status = connectionStatus(made, { ...t, connections: [] }, peId);
    };
  }

  // 2. DNS: each zone the target needs, its VNet link, and the endpoint's one zone group — unless Azure Policy manages DNS.
  let dnsChain: (() => Promise<void>) | undefined;
  let zoneGroupWrite: (() => Promise<void>) | undefined;
  if (!ctx.settings.skipDns) {
    let group: PrivateDnsZoneGroup | undefined;
    if (pe) {
      await arm(`listing DNS zone groups of ${peId}`, async () => {
        for await (const g of peNet.privateDnsZoneGroups.list(peName, rgOf(peId))) group ??= g;
      });
    }
    // Each zone: the one the endpoint's zone group already uses, else ours if linked, else one of that
    // name already linked to the VNet anywhere the caller can see (a hub), else ours (made if missing).
    const zones = await Promise.all(t.zoneNames.map(async (zoneName) => ({ zoneName, ...(await chooseZone(ctx, zoneName, vnetId, group)) })));
    const zoneChains: (() => Promise<void>)[][] = [];
    const zoneScopes: string[] = [];
    for (const zone of zones) {
      const { zoneName, zoneId } = zone;
      const dns = await ctx.session.privateDns(subscriptionOf(zoneId));
      const zoneRg = rgOf(zoneId);
      const steps: (() => Promise<void>)[] = [];
      if (zone.existing && !endedFailed(zone.existing.provisioningState)) changes.push(noOp(zoneId, 'privateDnsZone', zoneName));
      else {
        changes.push({ action: zone.existing ? 'update' : 'create', resourceId: zoneId, property: 'privateDnsZone', before: zone.existing ? zone.existing.provisioningState : null, after: { name: zoneName, location: 'global' } });
        requires.push({ action: 'Microsoft.Network/privateDnsZones/write', scope: zone.existing ? zoneId : resourceGroupId(subscriptionOf(zoneId), zoneRg), why: `creating private DNS zone ${zoneName}` });
        steps.push(() => arm(`creating private DNS zone ${zoneId}`, () => dns.privateZones.beginCreateOrUpdateAndWait(zoneRg, zoneName, { location: 'global', tags: zone.existing?.tags })).then(() => undefined));
      }
      const zoneScope = zone.existing ? zoneId : resourceGroupId(subscriptionOf(zoneId), zoneRg);
      zoneScopes.push(zoneScope);
      const link = zone.links.find((l) => sameId(l.virtualNetwork?.id, vnetId));
      if (link && !endedFailed(link.provisioningState)) changes.push(noOp(link.id ?? `${zoneId}/virtualNetworkLinks`, 'virtualNetwork', vnetId));
      else {
        const linkName = link?.name ?? `${ctx.targets.vnet!.name}-link`;
        changes.push({ action: link ? 'update' : 'create', resourceId: `${zoneId}/virtualNetworkLinks/${linkName}`, property: 'virtualNetworkLink', before: link ? link.provisioningState : null, after: { virtualNetwork: vnetId, registrationEnabled: false } });
        requires.push({ action: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks/write', scope: zoneScope, why: `linking ${zoneName} to ${ctx.targets.vnet!.name}` });
        requires.push({ action: 'Microsoft.Network/virtualNetworks/join/action', scope: vnetId, why: `linking ${zoneName} to ${ctx.targets.vnet!.name}` });
        steps.push(() =>
          arm(`linking ${zoneId} to ${vnetId}`, () =>
            dns.virtualNetworkLinks.beginCreateOrUpdateAndWait(zoneRg, zoneName, linkName, { location: 'global', virtualNetwork: { id: vnetId }, registrationEnabled: link?.registrationEnabled ?? false, tags: link?.tags }),
          ).then(() => undefined),
        );
      }
      if (steps.length) zoneChains.push(steps);
    }
    if (zoneChains.length) {
      dnsChain = async () => {
        // The zones are independent of each other; within one, the link needs the zone.
        const settled = await Promise.allSettled(zoneChains.map(async (steps) => { for (const s of steps) await s(); }));
        const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      };
    }

    // A private endpoint has at most one zone group, whatever its name: use the one it has, one config per zone.
    const groupName = group?.name ?? 'default';
    const groupId = `${peId}/privateDnsZoneGroups/${groupName}`;
    const zoneIds = zones.map((z) => z.zoneId);
    const configs = (group?.privateDnsZoneConfigs ?? []).map((c) => ({ name: c.name, privateDnsZoneId: c.privateDnsZoneId }));
    const hasAll = !!group && zoneIds.every((id) => configs.some((c) => sameId(c.privateDnsZoneId, id)));
    const groupRequires = (): void => {
      requires.push({ action: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/write', scope: peScope, why: `writing the DNS zone group of ${peName}` });
      zones.forEach((z, i) => requires.push({ action: 'Microsoft.Network/privateDnsZones/join/action', scope: zoneScopes[i], why: `adding ${z.zoneName} to the DNS zone group of ${peName}` }));
    };
    const shown = zoneIds.length === 1 ? zoneIds[0] : zoneIds;
    const stale = hasAll && !endedFailed(group?.provisioningState)
      ? (await Promise.all(zones.filter((z) => z.existing).map((z) => staleRecords(ctx, pe!, group!, z.zoneId, z.zoneName, hostInZone(t.host, z.zoneName))))).flat()
      : [];
    if (hasAll && !stale.length && !endedFailed(group?.provisioningState)) changes.push(noOp(groupId, 'privateDnsZoneConfigs', shown));
    else if (hasAll) {
      // The zone group is there but its A records no longer match the endpoint (or it ended Failed, or the endpoint is re-sent): writing it again rewrites them.
      for (const r of stale) changes.push({ action: 'update', resourceId: `${r.zoneId}/A/${r.name}`, property: 'aRecords', before: r.before, after: r.after });
      if (!stale.length) changes.push({ action: 'update', resourceId: groupId, property: 'privateDnsZoneConfigs', before: group?.provisioningState ?? null, after: shown });
      groupRequires();
      zoneGroupWrite = () =>
        arm(`rewriting DNS zone group ${groupId}`, () =>
          retryTransientOperation(() => peNet.privateDnsZoneGroups.beginCreateOrUpdateAndWait(rgOf(peId), peName, groupName, { privateDnsZoneConfigs: configs }), retryDelay(ctx)),
        ).then(() => undefined);
    } else {
      // One zone per name in a group: a config of the same zone name (another zone of that name) is replaced rather than a second added.
      const wanted = zones.map((z) => configs.find((c) => sameId(c.privateDnsZoneId, z.zoneId)) ?? { name: zoneGroupConfigName(z.zoneName), privateDnsZoneId: z.zoneId });
      const kept = configs.filter((c) => !wanted.includes(c) && !t.zoneNames.includes(nameOf(c.privateDnsZoneId ?? '').toLowerCase()));
      const all = [...kept, ...wanted];
      changes.push({ action: group ? 'update' : 'create', resourceId: groupId, property: 'privateDnsZoneConfigs', before: group?.privateDnsZoneConfigs?.map((c) => c.privateDnsZoneId) ?? null, after: kept.length || zoneIds.length > 1 ? all.map((c) => c.privateDnsZoneId) : shown });
      groupRequires();
      zoneGroupWrite = () =>
        arm(`creating DNS zone group ${groupId}`, () =>
          retryTransientOperation(() => peNet.privateDnsZoneGroups.beginCreateOrUpdateAndWait(rgOf(peId), peName, groupName, { privateDnsZoneConfigs: all }), retryDelay(ctx)),
        ).then(() => undefined);
    }
  }

  const result = (): EndpointResult => {
    if (status === 'Approved') return { ready: true, notes: [] };
    const why = `the connection of ${peName} to ${t.targetName} is ${status ?? 'not made'}, not Approved`;
    return { ready: false, why, notes: [] };
  };
  if (!sendEndpoint && !dnsChain && !zoneGroupWrite && !approve) {
    const r = result();
    if (status === 'Pending') r.notes.push(await pendingNote(ctx, t, peId));
    return { changes, requires, result: r };
  }
  return {
    changes,
    requires,
    result: result(),
    apply: async (accountReady) => {
      // The endpoint and its zone/link are independent; the zone group needs both.
      const settled = await Promise.allSettled([sendEndpoint?.(accountReady), dnsChain?.(), approve?.()]);
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      if (approve) status = 'Approved';
      await zoneGroupWrite?.();
      const r = result();
      if (status === 'Pending' || manual) r.notes.push(await pendingNote(ctx, t, peId));
      return r;
    },
  };
}

/** Connection properties a PUT may send back (read-only ones removed). */
function strip(list: PrivateLinkServiceConnection[] | undefined): PrivateLinkServiceConnection[] {
  return (list ?? []).map((c) => ({ name: c.name, privateLinkServiceId: c.privateLinkServiceId, groupIds: c.groupIds, requestMessage: c.requestMessage }));
}

function retryDelay(ctx: StepContext): number {
  return Number(ctx.env.SECURE_DOCINTEL_RETRY_DELAY_MS) || 800;
}

/** A records for the endpoint's host name whose addresses differ from what its zone group says the endpoint has. */
async function staleRecords(
  ctx: StepContext, pe: PrivateEndpoint, group: PrivateDnsZoneGroup, zoneId: string, zoneName: string, host: string,
): Promise<{ zoneId: string; name: string; before: string[]; after: string[] }[]> {
  const recordName = recordNameFor(host, zoneName);
  if (!recordName) return [];
  let want = zoneGroupRecords(group).filter((r) => sameId(r.zoneId, zoneId) && r.recordName.toLowerCase() === recordName).flatMap((r) => r.ips);
  if (!want.length) want = await nicAddressesFor(ctx, pe, host);
  if (!want.length) return [];
  const dns = await ctx.session.privateDns(subscriptionOf(zoneId));
  const record = await orUndefined(`reading A record ${recordName} in ${zoneId}`, () => dns.recordSets.get(rgOf(zoneId), zoneName, 'A', recordName));
  const have = (record?.aRecords ?? []).map((a) => a.ipv4Address ?? '').sort();
  want = [...new Set(want)].sort();
  return want.join(',') === have.join(',') ? [] : [{ zoneId, name: recordName, before: have, after: want }];
}

async function nicAddressesFor(ctx: StepContext, pe: PrivateEndpoint, host: string): Promise<string[]> {
  const nics: NetworkInterface[] = [];
  for (const ref of pe.networkInterfaces ?? []) {
    if (!ref.id) continue;
    const net = await ctx.session.network(subscriptionOf(ref.id));
    const nic = await orUndefined(`reading ${ref.id}`, () => net.networkInterfaces.get(rgOf(ref.id!), nameOf(ref.id!)));
    if (nic) nics.push(nic);
  }
  return addressesFor(nicAddresses(nics), host);
}
