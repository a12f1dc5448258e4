/**
 * The one reader of a posture, through the ARM SDK: the targets the command already read (read again
 * only when this run has written), then one read per extra resource — blob CORS, the identity's role
 * assignments and their definitions, each private endpoint with its zone groups and NICs, and each
 * private DNS zone with its VNet links and the endpoint's A record.
 */
import type { CorsRule } from '@azure/arm-storage';
import type { NetworkInterface, PrivateDnsZoneGroup } from '@azure/arm-network';
import type { RoleDefinition } from '@azure/arm-authorization';
import type { ArmSession } from '../azure/session.js';
import type { CallerAccess } from '../azure/caller-access.js';
import type { Settings } from '../core/settings.js';
import type { PrivateLinkService } from '../core/cloud.js';
import { nameOf, rgOf, subscriptionOf } from '../core/resource-id.js';
import { isAtOrAbove } from './roles.js';
import { arm, orUndefined } from './not-found.js';
import { accountHost, blobHost } from './hosts.js';
import { APPROVAL_ACTION } from './permissions.js';
import { defaultZoneId, hostInZone, recordNameFor, zoneNamesFor } from './dns.js';
import { addressesFor, nicAddresses, zoneGroupRecords, type ConnectionRef } from './endpoints.js';
import { accountConnections, endpointView, privateLinkView, roleView, storageConnections } from './build.js';
import { roleDefinition } from './read-role-definition.js';
import { systemPrincipal, type Account, type EndpointView, type Posture, type PostureTargets, type PrivateLinkView, type RoleView, type Storage, type Vnet, type VnetSubnet, type ZoneView } from './model.js';

/** What the reader needs of a command's context (a StepContext is one). */
export interface PostureSource {
  settings: Settings;
  session: ArmSession;
  access: CallerAccess;
  targets: PostureTargets;
}

/**
 * The posture of the targets. `reread`: the targets given are not ARM's current state (this run wrote
 * them, or audit found them in Resource Graph), so the account, the storage and the VNet (with its
 * subnets: the subnet is not read apart) are read again first.
 */
export async function readPosture(ctx: PostureSource, reread: boolean): Promise<Posture> {
  const { targets, session, settings } = ctx;
  let account = targets.account!;
  let storage = targets.storage!;
  let vnet = targets.vnet!;
  let subnet = targets.subnet!;
  if (reread) {
    // Nothing remembers what the steps wrote: the account and storage (with the connections made
    // since) and the VNet (with the subnet's policies) are read back.
    const [cog, st, net] = await Promise.all([session.cognitive(subscriptionOf(account.id)), session.storage(subscriptionOf(storage.id)), session.network(subscriptionOf(vnet.id))]);
    [account, storage, vnet] = await Promise.all([
      arm(`reading ${account.id}`, () => cog.accounts.get(rgOf(account.id), account.name)) as Promise<Account>,
      arm(`reading ${storage.id}`, () => st.storageAccounts.getProperties(rgOf(storage.id), storage.name)) as Promise<Storage>,
      arm(`reading ${vnet.id}`, () => net.virtualNetworks.get(rgOf(vnet.id), vnet.name)) as Promise<Vnet>,
    ]);
    subnet = (vnet.subnets?.find((s) => s.name?.toLowerCase() === subnet.name.toLowerCase()) ?? subnet) as VnetSubnet;
  }
  const cloud = settings.cloud;
  const principalId = systemPrincipal(account);

  const [corsRules, roles, accountLink, blobLink] = await Promise.all([
    readCors(ctx, storage),
    principalId ? readRoles(ctx, storage.id, principalId) : Promise.resolve(undefined),
    readPrivateLink(ctx, 'account', account.id, accountHost(cloud, account.properties?.customSubDomainName), vnet.id, accountConnections(account), targets.zoneNames?.account ?? zoneNamesFor(cloud, 'account', account.kind, undefined)),
    readPrivateLink(ctx, 'blob', storage.id, blobHost(cloud, storage), vnet.id, storageConnections(storage), targets.zoneNames?.blob ?? zoneNamesFor(cloud, 'blob', storage.kind, undefined)),
  ]);
  return { cloud, account, storage, vnet, subnet, principalId, roles, corsRules, privateLinks: { account: accountLink, blob: blobLink } };
}

async function readCors(ctx: PostureSource, storage: Storage): Promise<CorsRule[]> {
  const st = await ctx.session.storage(subscriptionOf(storage.id));
  const props = await orUndefined(`reading blob service of ${storage.id}`, () => st.blobServices.getServiceProperties(rgOf(storage.id), storage.name));
  return props?.cors?.corsRules ?? [];
}

async function readRoles(ctx: PostureSource, storageId: string, principalId: string): Promise<RoleView[]> {
  const auth = await ctx.session.authorization(subscriptionOf(storageId));
  const views: RoleView[] = [];
  const definitions = new Map<string, RoleDefinition>();
  await arm(`listing role assignments on ${storageId}`, async () => {
    for await (const a of auth.roleAssignments.listForScope(storageId, { filter: `principalId eq '${principalId}'` })) {
      if (!a.scope || !a.roleDefinitionId || !isAtOrAbove(a.scope, storageId)) continue;
      views.push(roleView({ scope: a.scope, roleDefinitionId: a.roleDefinitionId }, await roleDefinition(auth, a.roleDefinitionId, definitions)));
    }
  });
  return views;
}

async function readEndpoint(ctx: PostureSource, ref: ConnectionRef, host: string | undefined, hosts: string[], vnetId: string): Promise<EndpointView> {
  const peId = ref.privateEndpointId!;
  const net = await ctx.session.network(subscriptionOf(peId));
  const pe = await orUndefined(`reading private endpoint ${peId}`, () => net.privateEndpoints.get(rgOf(peId), nameOf(peId)));
  const zoneIds: string[] = [];
  const groups: PrivateDnsZoneGroup[] = [];
  const nics: NetworkInterface[] = [];
  if (pe) {
    await Promise.all([
      arm(`listing DNS zone groups of ${peId}`, async () => {
        for await (const g of net.privateDnsZoneGroups.list(nameOf(peId), rgOf(peId))) {
          groups.push(g);
          for (const c of g.privateDnsZoneConfigs ?? []) if (c.privateDnsZoneId) zoneIds.push(c.privateDnsZoneId);
        }
      }),
      ...(pe.networkInterfaces ?? []).filter((n) => n.id).map(async (n) => {
        const nicNet = await ctx.session.network(subscriptionOf(n.id!));
        const nic = await orUndefined(`reading ${n.id}`, () => nicNet.networkInterfaces.get(rgOf(n.id!), nameOf(n.id!)));
        if (nic) nics.push(nic);
      }),
    ]);
  }
  // The NIC holds the endpoint's address; customDnsConfigs is not relied on (Azure leaves it empty with a zone group).
  const addressOf = (h: string): string[] => {
    const fromNic = addressesFor(nicAddresses(nics), h);
    if (fromNic.length) return fromNic;
    return groups.flatMap((g) => zoneGroupRecords(g)).filter((r) => `${r.recordName}.${nameOf(r.zoneId).replace(/^privatelink\./i, '')}`.toLowerCase() === h).flatMap((r) => r.ips);
  };
  const ips = host ? addressOf(host) : addressesFor(nicAddresses(nics), undefined);
  const hostIps = Object.fromEntries(hosts.map((h) => [h, addressOf(h)]));
  return endpointView(ref, pe, vnetId, { ips, hostIps, zoneIds });
}

async function readPrivateLink(
  ctx: PostureSource, service: PrivateLinkService, targetId: string, host: string | undefined, vnetId: string, connections: ConnectionRef[], zoneNames: string[],
): Promise<PrivateLinkView> {
  // The zone of the target's own host name first: the one its clients use, which reachability and --explain judge.
  const names = host ? [...zoneNames].sort((a, b) => Number(!!recordNameFor(host, b)) - Number(!!recordNameFor(host, a))) : zoneNames;
  const hosts = host ? names.map((z) => hostInZone(host, z)) : [];
  const refs = connections.filter((c) => c.privateEndpointId);
  const all = await Promise.all(refs.map((r) => readEndpoint(ctx, r, host, hosts, vnetId)));
  const view = privateLinkView(service, targetId, host, all);
  const chosen = view.chosen;
  if (chosen?.status === 'Pending') view.mayApprove = await ctx.access.can(APPROVAL_ACTION[service], targetId);
  if (host) {
    view.zones = await Promise.all(names.map((z, i) => readZone(ctx, z, hosts[i], vnetId, chosen)));
    view.zone = view.zones[0];
  }
  return view;
}

async function readZone(ctx: PostureSource, zoneName: string, host: string, vnetId: string, chosen: EndpointView | undefined): Promise<ZoneView> {
  const viaGroup = chosen?.zoneIds.find((z) => nameOf(z).toLowerCase() === zoneName);
  const zoneId = viaGroup ?? defaultZoneId(zoneName, vnetId, ctx.settings);
  const recordName = recordNameFor(host, zoneName) ?? host;
  const dns = await ctx.session.privateDns(subscriptionOf(zoneId));
  const zone = await orUndefined(`reading private DNS zone ${zoneId}`, () => dns.privateZones.get(rgOf(zoneId), zoneName));
  const view: ZoneView = { zoneId, zoneName, host, exists: !!zone, linkedVnetIds: [], recordName, viaZoneGroup: !!viaGroup };
  if (!zone) return view;
  const [links, record] = await Promise.all([
    arm(`listing VNet links of ${zoneId}`, async () => {
      const ids: string[] = [];
      for await (const l of dns.virtualNetworkLinks.list(rgOf(zoneId), zoneName)) if (l.virtualNetwork?.id) ids.push(l.virtualNetwork.id);
      return ids;
    }),
    orUndefined(`reading A record ${recordName} in ${zoneId}`, () => dns.recordSets.get(rgOf(zoneId), zoneName, 'A', recordName)),
  ]);
  view.linkedVnetIds = links;
  view.recordIps = record ? (record.aRecords ?? []).map((a) => a.ipv4Address!).filter(Boolean) : undefined;
  return view;
}
