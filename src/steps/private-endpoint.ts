/**
 * Guide steps 4 and 5 — "Configure private endpoints for access from VNETs": the account gets a
 * custom subdomain (permanent) and "selected networks and private endpoints"; then one private
 * endpoint for the account (group `account`) and one for storage (group `blob`) in the chosen
 * subnet, each with its private DNS zone, VNet link and zone group. The two endpoints run concurrently.
 */
import type { Account, NetworkRuleSet as AccountNetworkRuleSet, PrivateEndpointConnection as CogConnection } from '@azure/arm-cognitiveservices';
import type { PrivateEndpoint, PrivateDnsZoneGroup } from '@azure/arm-network';
import type { StepContext } from './context.js';
import { arm } from './context.js';
import { waitForAccountReady } from './account-ready.js';
import type { Change, StepPlan } from '../plan/types.js';
import { noOp } from '../plan/types.js';
import { privateDnsZoneName, type PrivateLinkService } from '../core/cloud.js';
import { nameOf, rgOf, sameId, subscriptionOf } from '../core/resource-id.js';
import { STUDIO_IP } from '../core/settings.js';
import { UsageError } from '../core/errors.js';

export const PRIVATE_ENDPOINT_STEP = { id: 'private-endpoint', title: 'Configure private endpoints' } as const;

interface EndpointTarget {
  service: PrivateLinkService;
  targetId: string;
  targetName: string;
  /** connections the target reports (already read) */
  connections: { id?: string; privateEndpointId?: string; status?: string; groupIds?: string[] }[];
}

export function privateEndpointName(targetName: string, service: PrivateLinkService): string {
  return `pe-${targetName}-${service}`.slice(0, 80);
}

export function zoneGroupConfigName(zone: string): string {
  return zone.replace(/\./g, '-');
}

/** IPs the account firewall should allow besides private endpoints. */
function accountIps(ctx: StepContext): string[] {
  const ips = [...ctx.settings.allowIps];
  if (ctx.clientIp) ips.push(ctx.clientIp);
  if (ctx.settings.allowStudio) ips.push(STUDIO_IP);
  return [...new Set(ips)];
}

export async function planPrivateEndpoints(ctx: StepContext): Promise<StepPlan> {
  const account = ctx.targets.account!;
  const storage = ctx.targets.storage!;
  const changes: Change[] = [];
  const accountPatch: Partial<Account['properties']> & Record<string, unknown> = {};

  // Custom subdomain: needed for private endpoints and Entra auth; it can never change afterwards.
  const current = account.properties?.customSubDomainName;
  const wanted = ctx.settings.customSubdomain ?? current ?? account.name.toLowerCase();
  if (current && ctx.settings.customSubdomain && current !== ctx.settings.customSubdomain) {
    throw new UsageError(
      `Account '${account.name}' already has the custom subdomain '${current}'; Azure never lets it change (UpdatingCustomDomainNotAllowed).`,
      `Run again without --custom-subdomain (or with --custom-subdomain ${current}).`,
    );
  }
  if (current) changes.push(noOp(account.id, 'properties.customSubDomainName', current));
  else {
    accountPatch.customSubDomainName = wanted;
    changes.push({
      action: 'update',
      resourceId: account.id,
      property: 'properties.customSubDomainName',
      before: null,
      after: wanted,
      confirm: {
        kind: 'permanent',
        message: `Give '${account.name}' the custom subdomain '${wanted}' (endpoint https://${wanted}.${ctx.settings.cloud.cognitiveServicesSuffix}/)? This is permanent: Azure never lets a subdomain change or be removed.`,
      },
    });
  }

  // Network: "selected networks and private endpoints" (or public access disabled). Never widen.
  const props = account.properties ?? {};
  const acls: AccountNetworkRuleSet = props.networkAcls ?? {};
  const disabled = props.publicNetworkAccess === 'Disabled';
  if (ctx.settings.disablePublicAccess && !disabled) {
    accountPatch.publicNetworkAccess = 'Disabled';
    changes.push({
      action: 'update',
      resourceId: account.id,
      property: 'properties.publicNetworkAccess',
      before: props.publicNetworkAccess ?? 'Enabled',
      after: 'Disabled',
      confirm: {
        kind: 'lockout',
        message: `Disable all public access to '${account.name}'? Only clients inside the VNet (through the private endpoint) will reach it; Document Intelligence Studio and this machine will get AccessDenied. ARM management is unaffected.`,
      },
    });
  } else {
    changes.push(noOp(account.id, 'properties.publicNetworkAccess', props.publicNetworkAccess ?? 'Enabled'));
  }
  const ipRules = [...(acls.ipRules ?? [])];
  const newIps = accountIps(ctx).filter((ip) => !ipRules.some((r) => r.value === ip));
  const denyNeeded = acls.defaultAction !== 'Deny';
  if (denyNeeded || newIps.length) {
    for (const ip of newIps) ipRules.push({ value: ip });
    accountPatch.networkAcls = { defaultAction: 'Deny', ipRules, virtualNetworkRules: acls.virtualNetworkRules ?? [] };
  }
  if (denyNeeded) {
    changes.push({
      action: 'update',
      resourceId: account.id,
      property: 'properties.networkAcls.defaultAction',
      before: acls.defaultAction ?? 'Allow',
      after: 'Deny',
      confirm: disabled || ctx.settings.disablePublicAccess
        ? undefined
        : {
            kind: 'lockout',
            message: `Restrict '${account.name}' to selected networks and private endpoints? Clients outside ${ctx.targets.vnet!.name}${ipRules.length ? ` and the allowed IPs (${ipRules.map((r) => r.value).join(', ')})` : ''} — including this machine, which is not in the VNet — will get AccessDenied from the Document Intelligence endpoint. ARM management is unaffected.`,
          },
    });
  } else changes.push(noOp(account.id, 'properties.networkAcls.defaultAction', 'Deny'));
  for (const ip of newIps) changes.push({ action: 'create', resourceId: account.id, property: 'properties.networkAcls.ipRules', before: null, after: ip });
  // A write that ended Failed leaves the account refusing new endpoints until a write succeeds:
  // re-apply its network settings as they are (nothing widens) so it returns to Succeeded.
  if (String(props.provisioningState ?? '').toLowerCase() === 'failed' && !Object.keys(accountPatch).length) {
    accountPatch.networkAcls = { defaultAction: 'Deny', ipRules, virtualNetworkRules: acls.virtualNetworkRules ?? [] };
    changes.push({ action: 'update', resourceId: account.id, property: 'properties.provisioningState', before: 'Failed', after: 'Succeeded' });
  }

  const endpoints: EndpointTarget[] = [
    {
      service: 'account',
      targetId: account.id,
      targetName: account.name,
      connections: (props.privateEndpointConnections ?? []).map((c: CogConnection) => ({
        id: c.id,
        privateEndpointId: c.properties?.privateEndpoint?.id,
        status: c.properties?.privateLinkServiceConnectionState?.status,
        groupIds: c.properties?.groupIds,
      })),
    },
    {
      service: 'blob',
      targetId: storage.id,
      targetName: storage.name,
      connections: (storage.privateEndpointConnections ?? []).map((c) => ({
        id: c.id,
        privateEndpointId: c.privateEndpoint?.id,
        status: c.privateLinkServiceConnectionState?.status,
      })),
    },
  ];
  const endpointPlans = await Promise.all(endpoints.map((t) => planEndpoint(ctx, t)));
  for (const p of endpointPlans) changes.push(...p.changes);

  const accountWrites = Object.keys(accountPatch).length > 0;
  const endpointWrites = endpointPlans.filter((p) => p.apply);
  if (!accountWrites && !endpointWrites.length) return { ...PRIVATE_ENDPOINT_STEP, changes };
  return {
    ...PRIVATE_ENDPOINT_STEP,
    changes,
    apply: async () => {
      // Only the account's own endpoint needs the account change (subdomain) done; the storage
      // endpoint and both DNS chains start at once beside it.
      const accountReady = (async () => {
        if (!accountWrites) {
          await waitForAccountReady(ctx, ctx.targets.account);
          return;
        }
        const cog = await ctx.session.cognitive(ctx.targets.subscriptionId);
        const updated = await arm(`updating ${account.id}`, () =>
          cog.accounts.beginUpdateAndWait(ctx.targets.resourceGroup, account.name, { properties: accountPatch as Account['properties'] }),
        );
        ctx.targets.account = { ...account, ...updated } as typeof account;
        const ready = await waitForAccountReady(ctx, updated);
        ctx.targets.account = { ...account, ...ready } as typeof account;
      })();
      await Promise.all([accountReady, ...endpointWrites.map((p) => p.apply!(accountReady))]);
    },
  };
}

interface EndpointPlan {
  changes: Change[];
  /** `accountReady` settles when the account accepts new endpoints */
  apply?: (accountReady: Promise<void>) => Promise<void>;
}

async function planEndpoint(ctx: StepContext, t: EndpointTarget): Promise<EndpointPlan> {
  const subnetId = ctx.targets.subnet!.id;
  const vnetId = ctx.targets.vnet!.id;
  // A private endpoint lives in its VNet's subscription: in the account's group when that is the same
  // subscription, else in the VNet's group. Zones default to the same subscription.
  const sub = subscriptionOf(vnetId);
  const peRg = sameId(sub, ctx.targets.subscriptionId) ? ctx.targets.resourceGroup : rgOf(vnetId);
  const net = await ctx.session.network(sub);
  const changes: Change[] = [];
  const tasks: (() => Promise<void>)[] = [];

  // 1. The endpoint: ours by name, or an existing one of the target's connections in this VNet.
  let pe = await getOrUndefined(() => net.privateEndpoints.get(peRg, privateEndpointName(t.targetName, t.service)));
  if (pe && !sameId(pe.subnet?.id, subnetId)) {
    throw new UsageError(
      `Private endpoint '${pe.name}' already exists but is in subnet ${pe.subnet?.id}, not ${subnetId}.`,
      'Pass that subnet with --vnet/--subnet, or delete the old endpoint first.',
    );
  }
  if (!pe) {
    for (const c of t.connections) {
      if (!c.privateEndpointId) continue;
      const other = await getOrUndefined(() => net.privateEndpoints.get(rgOf(c.privateEndpointId!), nameOf(c.privateEndpointId!)));
      const groups = [...(other?.privateLinkServiceConnections ?? []), ...(other?.manualPrivateLinkServiceConnections ?? [])].flatMap((x) => x.groupIds ?? []);
      if (other && other.subnet?.id?.toLowerCase().startsWith(vnetId.toLowerCase() + '/') && groups.map((g) => g.toLowerCase()).includes(t.service)) {
        pe = other;
        break;
      }
    }
  }
  const peName = pe?.name ?? privateEndpointName(t.targetName, t.service);
  const peId = pe?.id ?? `/subscriptions/${sub}/resourceGroups/${peRg}/providers/Microsoft.Network/privateEndpoints/${peName}`;
  if (pe) {
    changes.push(noOp(peId, 'privateEndpoint', { target: t.targetId, groupId: t.service, subnet: pe.subnet?.id }));
    const conn = t.connections.find((c) => sameId(c.privateEndpointId, peId));
    if (conn && conn.status === 'Pending') {
      changes.push({ action: 'update', resourceId: conn.id!, property: 'privateLinkServiceConnectionState.status', before: 'Pending', after: 'Approved' });
      tasks.push(() => approveConnection(ctx, t, conn.id!));
    }
  } else {
    changes.push({ action: 'create', resourceId: peId, property: 'privateEndpoint', before: null, after: { target: t.targetId, groupId: t.service, subnet: subnetId, location: ctx.targets.location } });
  }
  const createEndpoint = pe
    ? undefined
    : async (accountReady: Promise<void>) => {
        const body: PrivateEndpoint = {
          location: ctx.targets.location,
          subnet: { id: subnetId },
          privateLinkServiceConnections: [{ name: peName, privateLinkServiceId: t.targetId, groupIds: [t.service] }],
        };
        // An account that is still applying a change refuses new endpoints (AccountProvisioningStateInvalid).
        if (t.service === 'account') await accountReady;
        await arm(`creating private endpoint ${peId}`, () => net.privateEndpoints.beginCreateOrUpdateAndWait(peRg, peName, body));
      };

  // 2. DNS: zone, VNet link, zone group — unless Azure Policy manages DNS.
  let dnsTasks: (() => Promise<void>)[] = [];
  let zoneGroupTask: (() => Promise<void>) | undefined;
  if (!ctx.settings.skipDns) {
    const zone = privateDnsZoneName(ctx.settings.cloud, t.service);
    const zoneSub = ctx.settings.dnsZoneSubscription ?? sub;
    const zoneRg = ctx.settings.dnsZoneResourceGroup ?? rgOf(vnetId);
    const zoneId = `/subscriptions/${zoneSub}/resourceGroups/${zoneRg}/providers/Microsoft.Network/privateDnsZones/${zone}`;
    const dns = await ctx.session.privateDns(zoneSub);
    const existingZone = await getOrUndefined(() => dns.privateZones.get(zoneRg, zone));
    const zoneSteps: (() => Promise<void>)[] = [];
    if (existingZone) changes.push(noOp(zoneId, 'privateDnsZone', zone));
    else {
      changes.push({ action: 'create', resourceId: zoneId, property: 'privateDnsZone', before: null, after: { name: zone, location: 'global' } });
      zoneSteps.push(() => arm(`creating private DNS zone ${zoneId}`, () => dns.privateZones.beginCreateOrUpdateAndWait(zoneRg, zone, { location: 'global' })).then(() => undefined));
    }
    let linked = false;
    if (existingZone) {
      await arm(`listing VNet links of ${zoneId}`, async () => {
        for await (const l of dns.virtualNetworkLinks.list(zoneRg, zone)) if (sameId(l.virtualNetwork?.id, vnetId)) linked = true;
      });
    }
    const linkName = `${ctx.targets.vnet!.name}-link`;
    if (linked) changes.push(noOp(`${zoneId}/virtualNetworkLinks`, 'virtualNetwork', vnetId));
    else {
      changes.push({ action: 'create', resourceId: `${zoneId}/virtualNetworkLinks/${linkName}`, property: 'virtualNetworkLink', before: null, after: { virtualNetwork: vnetId, registrationEnabled: false } });
      zoneSteps.push(() =>
        arm(`linking ${zoneId} to ${vnetId}`, () =>
          dns.virtualNetworkLinks.beginCreateOrUpdateAndWait(zoneRg, zone, linkName, { location: 'global', virtualNetwork: { id: vnetId }, registrationEnabled: false }),
        ).then(() => undefined),
      );
    }
    if (zoneSteps.length) dnsTasks = [async () => { for (const s of zoneSteps) await s(); }];

    // A private endpoint has at most one zone group, whatever its name: use the one it has.
    let group: PrivateDnsZoneGroup | undefined;
    if (pe) {
      await arm(`listing DNS zone groups of ${peId}`, async () => {
        for await (const g of net.privateDnsZoneGroups.list(peName, peRg)) group ??= g;
      });
    }
    const groupName = group?.name ?? 'default';
    const hasZone = !!group?.privateDnsZoneConfigs?.some((c) => sameId(c.privateDnsZoneId, zoneId));
    const groupId = `${peId}/privateDnsZoneGroups/${groupName}`;
    const stale = hasZone && existingZone && pe ? await staleRecords(ctx, pe, zoneSub, zoneRg, zone) : [];
    if (hasZone && !stale.length) changes.push(noOp(groupId, 'privateDnsZoneConfigs', zoneId));
    else if (hasZone) {
      // The zone group is there but its A records no longer match the endpoint: writing the group again rewrites them.
      for (const r of stale) changes.push({ action: 'update', resourceId: `${zoneId}/A/${r.name}`, property: 'aRecords', before: r.before, after: r.after });
      const configs = (group!.privateDnsZoneConfigs ?? []).map((c) => ({ name: c.name, privateDnsZoneId: c.privateDnsZoneId }));
      zoneGroupTask = () =>
        arm(`rewriting DNS zone group ${groupId}`, () => net.privateDnsZoneGroups.beginCreateOrUpdateAndWait(peRg, peName, groupName, { privateDnsZoneConfigs: configs })).then(() => undefined);
    } else {
      changes.push({ action: group ? 'update' : 'create', resourceId: groupId, property: 'privateDnsZoneConfigs', before: group?.privateDnsZoneConfigs?.map((c) => c.privateDnsZoneId) ?? null, after: [zoneId] });
      const configs = [...(group?.privateDnsZoneConfigs ?? []).map((c) => ({ name: c.name, privateDnsZoneId: c.privateDnsZoneId })), { name: zoneGroupConfigName(zone), privateDnsZoneId: zoneId }];
      zoneGroupTask = () =>
        arm(`creating DNS zone group ${groupId}`, () => net.privateDnsZoneGroups.beginCreateOrUpdateAndWait(peRg, peName, groupName, { privateDnsZoneConfigs: configs })).then(() => undefined);
    }
  }

  if (!createEndpoint && !dnsTasks.length && !zoneGroupTask && !tasks.length) return { changes };
  return {
    changes,
    apply: async (accountReady) => {
      // The endpoint and its zone/link are independent; the zone group needs both.
      await Promise.all([createEndpoint?.(accountReady), ...dnsTasks.map((d) => d()), ...tasks.map((x) => x())]);
      await zoneGroupTask?.();
    },
  };
}

async function approveConnection(ctx: StepContext, t: EndpointTarget, connectionId: string): Promise<void> {
  const sub = subscriptionOf(t.targetId);
  const name = nameOf(connectionId);
  if (t.service === 'account') {
    const cog = await ctx.session.cognitive(sub);
    await arm(`approving ${connectionId}`, () =>
      cog.privateEndpointConnections.beginCreateOrUpdateAndWait(rgOf(t.targetId), t.targetName, name, {
        properties: { privateLinkServiceConnectionState: { status: 'Approved', description: 'Approved by secure-docintel' } },
      }),
    );
  } else {
    const st = await ctx.session.storage(sub);
    await arm(`approving ${connectionId}`, () =>
      st.privateEndpointConnections.put(rgOf(t.targetId), t.targetName, name, {
        privateLinkServiceConnectionState: { status: 'Approved', description: 'Approved by secure-docintel' },
      }),
    );
  }
}

/** A records in the zone for the endpoint's host names whose addresses differ from the endpoint's. */
async function staleRecords(ctx: StepContext, pe: PrivateEndpoint, zoneSub: string, zoneRg: string, zone: string): Promise<{ name: string; before: string[]; after: string[] }[]> {
  const suffix = zone.replace(/^privatelink\./, '');
  const dns = await ctx.session.privateDns(zoneSub);
  const out: { name: string; before: string[]; after: string[] }[] = [];
  for (const c of pe.customDnsConfigs ?? []) {
    if (!c.fqdn?.toLowerCase().endsWith(`.${suffix}`)) continue;
    const name = c.fqdn.slice(0, -(suffix.length + 1));
    const want = [...(c.ipAddresses ?? [])].sort();
    const record = await getOrUndefined(() => dns.recordSets.get(zoneRg, zone, 'A', name));
    const have = (record?.aRecords ?? []).map((a) => a.ipv4Address ?? '').sort();
    if (want.join(',') !== have.join(',')) out.push({ name, before: have, after: want });
  }
  return out;
}

async function getOrUndefined<T>(get: () => Promise<T>): Promise<T | undefined> {
  try {
    return await get();
  } catch (e) {
    const r = e as { statusCode?: number };
    if (r.statusCode === 404) return undefined;
    const { explainAzureError } = await import('../azure/remedies.js');
    throw explainAzureError(e, 'reading');
  }
}
