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
import type { Change, ConnectionWatch, Write } from '../plan/types.js';
import { noOp } from '../plan/types.js';
import type { PrivateLinkService } from '../core/cloud.js';
import { nameOf, resourceGroupId, rgOf, sameId, subscriptionOf } from '../core/resource-id.js';
import { UsageError } from '../core/errors.js';
import { orUndefined } from '../posture/not-found.js';
import { hostInZone, recordNameFor, zoneGroupConfigName } from '../posture/dns.js';
import { addressesFor, endpointPlacement, endedFailed, nicAddresses, ownConnectionStatus, privateEndpointId, privateEndpointName, servesInVnet, zoneGroupRecords, type ConnectionRef } from '../posture/endpoints.js';
import { APPROVAL_ACTION, type Requirement } from '../posture/permissions.js';
import { chooseZone } from './private-dns-zone.js';

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
export interface EndpointChain {
  changes: Change[];
  requires: Requirement[];
  /** the chain's writes, keyed `{service}:…`; the endpoint waits for `accountWrite` when the target is the account */
  writes: Write[];
  /** the endpoint's connection: its state decides the account restriction and who is told to approve */
  connection: ConnectionWatch;
}

const REQUEST_MESSAGE = 'Requested by secure-docintel: private access for Document Intelligence (approve to let traffic flow).';

function connectionStatus(pe: PrivateEndpoint | undefined, t: EndpointTarget, peId: string): string | undefined {
  return t.connections.find((c) => sameId(c.privateEndpointId, peId))?.status ?? ownConnectionStatus(pe, t.targetId);
}

/**
 * `accountWrite`: the key of the account write this run sends before the account's endpoint (its
 * subdomain), if any; without one the endpoint waits until the account accepts new endpoints.
 */
export async function planEndpoint(ctx: StepContext, t: EndpointTarget, accountWrite?: string): Promise<EndpointChain> {
  const subnetId = ctx.targets.subnet!.id;
  const vnetId = ctx.targets.vnet!.id;
  const { subscriptionId: peSub, resourceGroup: peRg } = endpointPlacement(ctx.targets.account!.id, vnetId);
  const net = await ctx.session.network(peSub);
  const changes: Change[] = [];
  const requires: Requirement[] = [];
  const writes: Write[] = [];
  const key = (what: string) => `${t.service}:${what}`;
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
  const status = pe ? connectionStatus(pe, t, peId) : undefined;
  if (pe && !endedFailed(pe.provisioningState)) {
    changes.push(noOp(peId, 'privateEndpoint', { target: t.targetId, groupId: t.service, subnet: pe.subnet?.id }));
    const conn = t.connections.find((c) => sameId(c.privateEndpointId, peId));
    if (conn?.id && conn.status === 'Pending') {
      if (await ctx.access.can(APPROVAL_ACTION[t.service], t.targetId)) {
        const change: Change = { action: 'update', resourceId: conn.id, property: 'privateLinkServiceConnectionState.status', before: 'Pending', after: 'Approved' };
        changes.push(change);
        requires.push({ action: APPROVAL_ACTION[t.service], scope: t.targetId, why: `approving ${nameOf(conn.id)} on ${t.targetName}` });
        writes.push({
          key: key('approve'), after: [], operation: 'approve-connection', resourceId: conn.id, service: t.service, privateEndpointId: peId,
          body: { privateLinkServiceConnectionState: { status: 'Approved', description: 'Approved by secure-docintel' } },
          changes: [change],
        });
      }
    }
  } else {
    // Not there, or its operation ended Failed: send the PUT (again).
    const body: PrivateEndpoint = pe
      ? { location: pe.location, subnet: { id: pe.subnet?.id }, privateLinkServiceConnections: strip(pe.privateLinkServiceConnections), manualPrivateLinkServiceConnections: strip(pe.manualPrivateLinkServiceConnections), tags: pe.tags }
      : { location: ctx.targets.location, subnet: { id: subnetId } };
    let change: Change;
    if (!pe) {
      const manual = !(await ctx.access.can(APPROVAL_ACTION[t.service], t.targetId));
      const connection: PrivateLinkServiceConnection = { name: peName, privateLinkServiceId: t.targetId, groupIds: [t.service], ...(manual ? { requestMessage: REQUEST_MESSAGE } : {}) };
      if (manual) body.manualPrivateLinkServiceConnections = [connection];
      else body.privateLinkServiceConnections = [connection];
      change = {
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
      };
    } else {
      change = { action: 'update', resourceId: peId, property: 'provisioningState', before: pe.provisioningState, after: 'Succeeded' };
    }
    changes.push(change);
    requires.push({ action: 'Microsoft.Network/privateEndpoints/write', scope: peScope, why: `${pe ? 'repairing' : 'creating'} private endpoint ${peName}` });
    requires.push({ action: 'Microsoft.Network/virtualNetworks/subnets/join/action', scope: body.subnet!.id!, why: `placing ${peName} in ${nameOf(body.subnet!.id!)}` });
    // Only the account's own endpoint waits for the account (its subdomain); the storage endpoint and the DNS start at once.
    const forAccount = t.service === 'account';
    writes.push({
      key: key('endpoint'),
      after: forAccount && accountWrite ? [accountWrite] : [],
      ...(forAccount && !accountWrite ? { waitForAccount: t.targetId } : {}),
      operation: 'put-private-endpoint', resourceId: peId, body: body as Record<string, unknown>, targetId: t.targetId, changes: [change],
    });
  }

  // 2. DNS: each zone the target needs, its VNet link, and the endpoint's one zone group — unless Azure Policy manages DNS.
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
    const zoneScopes: string[] = [];
    for (const zone of zones) {
      const { zoneName, zoneId } = zone;
      const zoneRg = rgOf(zoneId);
      let zoneKey: string | undefined;
      if (zone.existing && !endedFailed(zone.existing.provisioningState)) changes.push(noOp(zoneId, 'privateDnsZone', zoneName));
      else {
        const change: Change = { action: zone.existing ? 'update' : 'create', resourceId: zoneId, property: 'privateDnsZone', before: zone.existing ? zone.existing.provisioningState : null, after: { name: zoneName, location: 'global' } };
        changes.push(change);
        requires.push({ action: 'Microsoft.Network/privateDnsZones/write', scope: zone.existing ? zoneId : resourceGroupId(subscriptionOf(zoneId), zoneRg), why: `creating private DNS zone ${zoneName}` });
        zoneKey = key(`zone:${zoneName}`);
        writes.push({ key: zoneKey, after: [], operation: 'put-dns-zone', resourceId: zoneId, body: { location: 'global', ...(zone.existing?.tags ? { tags: zone.existing.tags } : {}) }, changes: [change] });
      }
      const zoneScope = zone.existing ? zoneId : resourceGroupId(subscriptionOf(zoneId), zoneRg);
      zoneScopes.push(zoneScope);
      const link = zone.links.find((l) => sameId(l.virtualNetwork?.id, vnetId));
      if (link && !endedFailed(link.provisioningState)) changes.push(noOp(link.id ?? `${zoneId}/virtualNetworkLinks`, 'virtualNetwork', vnetId));
      else {
        const linkName = link?.name ?? `${ctx.targets.vnet!.name}-link`;
        const change: Change = { action: link ? 'update' : 'create', resourceId: `${zoneId}/virtualNetworkLinks/${linkName}`, property: 'virtualNetworkLink', before: link ? link.provisioningState : null, after: { virtualNetwork: vnetId, registrationEnabled: false } };
        changes.push(change);
        requires.push({ action: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks/write', scope: zoneScope, why: `linking ${zoneName} to ${ctx.targets.vnet!.name}` });
        requires.push({ action: 'Microsoft.Network/virtualNetworks/join/action', scope: vnetId, why: `linking ${zoneName} to ${ctx.targets.vnet!.name}` });
        // The link needs its zone; the zones are independent of each other.
        writes.push({
          key: key(`link:${zoneName}`), after: zoneKey ? [zoneKey] : [], operation: 'put-dns-link', resourceId: `${zoneId}/virtualNetworkLinks/${linkName}`,
          body: { location: 'global', virtualNetwork: { id: vnetId }, registrationEnabled: link?.registrationEnabled ?? false, ...(link?.tags ? { tags: link.tags } : {}) },
          changes: [change],
        });
      }
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
    // The zone group needs the endpoint, every zone and link, and the approval: it waits for all the chain's writes.
    const groupWrite = (body: { privateDnsZoneConfigs: { name?: string; privateDnsZoneId?: string }[] }, groupChanges: Change[]): Write => ({
      key: key('zone-group'), after: writes.map((w) => w.key!), operation: 'put-zone-group', resourceId: groupId, body, changes: groupChanges,
    });
    const shown = zoneIds.length === 1 ? zoneIds[0] : zoneIds;
    const stale = hasAll && !endedFailed(group?.provisioningState)
      ? (await Promise.all(zones.filter((z) => z.existing).map((z) => staleRecords(ctx, pe!, group!, z.zoneId, z.zoneName, hostInZone(t.host, z.zoneName))))).flat()
      : [];
    if (hasAll && !stale.length && !endedFailed(group?.provisioningState)) changes.push(noOp(groupId, 'privateDnsZoneConfigs', shown));
    else if (hasAll) {
      // The zone group is there but its A records no longer match the endpoint (or it ended Failed, or the endpoint is re-sent): writing it again rewrites them.
      const groupChanges: Change[] = stale.map((r) => ({ action: 'update', resourceId: `${r.zoneId}/A/${r.name}`, property: 'aRecords', before: r.before, after: r.after }));
      if (!stale.length) groupChanges.push({ action: 'update', resourceId: groupId, property: 'privateDnsZoneConfigs', before: group?.provisioningState ?? null, after: shown });
      changes.push(...groupChanges);
      groupRequires();
      writes.push(groupWrite({ privateDnsZoneConfigs: configs }, groupChanges));
    } else {
      // One zone per name in a group: a config of the same zone name (another zone of that name) is replaced rather than a second added.
      const wanted = zones.map((z) => configs.find((c) => sameId(c.privateDnsZoneId, z.zoneId)) ?? { name: zoneGroupConfigName(z.zoneName), privateDnsZoneId: z.zoneId });
      const kept = configs.filter((c) => !wanted.includes(c) && !t.zoneNames.includes(nameOf(c.privateDnsZoneId ?? '').toLowerCase()));
      const all = [...kept, ...wanted];
      const change: Change = { action: group ? 'update' : 'create', resourceId: groupId, property: 'privateDnsZoneConfigs', before: group?.privateDnsZoneConfigs?.map((c) => c.privateDnsZoneId) ?? null, after: kept.length || zoneIds.length > 1 ? all.map((c) => c.privateDnsZoneId) : shown };
      changes.push(change);
      groupRequires();
      writes.push(groupWrite({ privateDnsZoneConfigs: all }, [change]));
    }
  }

  return {
    changes,
    requires,
    writes,
    connection: { privateEndpointId: peId, service: t.service, targetId: t.targetId, targetName: t.targetName, status, connections: t.connections },
  };
}

/** Connection properties a PUT may send back (read-only ones removed). */
function strip(list: PrivateLinkServiceConnection[] | undefined): PrivateLinkServiceConnection[] {
  return (list ?? []).map((c) => ({ name: c.name, privateLinkServiceId: c.privateLinkServiceId, groupIds: c.groupIds, requestMessage: c.requestMessage }));
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
