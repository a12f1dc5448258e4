/**
 * Everything validate judges, read once through the ARM SDK: the targets the command already read
 * (read again only when this run has written), then one read per extra resource — blob CORS, the
 * identity's role assignments and their definitions, each private endpoint with its zone groups, and
 * each private DNS zone with its VNet links and the endpoint's A record.
 */
import type { CorsRule } from '@azure/arm-storage';
import type { NetworkInterface, PrivateDnsZoneGroup, PrivateEndpoint } from '@azure/arm-network';
import type { RoleDefinition } from '@azure/arm-authorization';
import type { StepContext } from '../steps/context.js';
import { arm } from '../steps/context.js';
import type { Targets } from '../steps/targets.js';
import { roleDefinition } from '../steps/grant.js';
import { DATA_ROLES, coversDataActions, isAtOrAbove } from '../posture/roles.js';
import type { Cloud, PrivateLinkService } from '../core/cloud.js';
import { nameOf, rgOf, sameId, subscriptionOf } from '../core/resource-id.js';
import { orUndefined } from '../posture/not-found.js';
import { accountHost, blobHost } from '../posture/hosts.js';
import { APPROVAL_ACTION } from '../posture/permissions.js';
import { defaultZoneId, hostInZone, recordNameFor, zoneNamesFor } from '../posture/dns.js';
import { addressesFor, groupIdsOf, isInVnet, nicAddresses, zoneGroupRecords, type ConnectionRef } from '../posture/endpoints.js';

type Account = NonNullable<Targets['account']>;
type Storage = NonNullable<Targets['storage']>;

export interface EndpointView {
  privateEndpointId: string;
  connectionId?: string;
  /** the connection state the target reports: Approved, Pending, Rejected, Disconnected */
  status?: string;
  /** undefined when the endpoint could not be read (deleted) */
  pe?: PrivateEndpoint;
  groupIds: string[];
  inChosenVnet: boolean;
  /** the endpoint's addresses for the target's host name: its NIC's, else what its zone group wrote */
  ips: string[];
  /** the same, for each host name the endpoint serves in one of the target's zones */
  hostIps: Record<string, string[]>;
  /** private DNS zones its zone groups write to */
  zoneIds: string[];
}

export interface ZoneView {
  zoneId: string;
  zoneName: string;
  /** the host name this zone answers for, e.g. docintel-demo.openai.azure.com in privatelink.openai.azure.com */
  host: string;
  exists: boolean;
  linkedVnetIds: string[];
  recordName: string;
  /** the A record's addresses; undefined when there is no record */
  recordIps?: string[];
  /** found through the endpoint's zone group (else looked up by its conventional name and place) */
  viaZoneGroup: boolean;
}

export interface PrivateLinkView {
  service: PrivateLinkService;
  targetId: string;
  /** the Azure host name clients use, e.g. docintel-demo.cognitiveservices.azure.com */
  host?: string;
  endpoints: EndpointView[];
  /** the endpoint in the chosen VNet (an Approved one first) */
  chosen?: EndpointView;
  /** whether the caller may approve connections on the target (read only when the chosen one is Pending) */
  mayApprove?: boolean;
  /** the zone of the target's own host name (the first of `zones`) */
  zone?: ZoneView;
  /** every zone the target's endpoint needs (its requiredZoneNames), the host name's own first */
  zones: ZoneView[];
}

export interface RoleView {
  scope: string;
  roleDefinitionId: string;
  roleName: string;
  coversRead: boolean;
  coversWrite: boolean;
}

export interface Posture {
  cloud: Cloud;
  account: Account;
  storage: Storage;
  vnet: NonNullable<Targets['vnet']>;
  subnet: NonNullable<Targets['subnet']>;
  /** the system-assigned identity's principal */
  principalId?: string;
  /** the principal's role assignments at the storage account or above; undefined without a principal */
  roles?: RoleView[];
  corsRules: CorsRule[];
  privateLinks: Record<PrivateLinkService, PrivateLinkView>;
}

/**
 * A posture seen from afar (audit, through Resource Graph): the storage is unknown when nothing links
 * it to the account, the VNet and subnet when the account has no private endpoint. The checks that
 * need only the account take this; validate always knows every target.
 */
export type AccountPosture = Omit<Posture, 'storage' | 'vnet' | 'subnet'> & { storage?: Storage; vnet?: Posture['vnet']; subnet?: Posture['subnet'] };

export function systemPrincipal(account: Account): string | undefined {
  return account.identity?.type?.includes('SystemAssigned') ? account.identity.principalId : undefined;
}

export async function readPosture(ctx: StepContext, reread: boolean): Promise<Posture> {
  const { targets, session, settings } = ctx;
  let account = targets.account!;
  let storage = targets.storage!;
  let vnet = targets.vnet!;
  let subnet = targets.subnet!;
  if (reread) {
    // This run wrote (setup), and nothing remembers what the steps wrote: the account and storage
    // (with the connections made since) and the VNet (with the subnet's policies) are read back.
    const [cog, st, net] = await Promise.all([session.cognitive(subscriptionOf(account.id)), session.storage(subscriptionOf(storage.id)), session.network(subscriptionOf(vnet.id))]);
    [account, storage, vnet] = await Promise.all([
      arm(`reading ${account.id}`, () => cog.accounts.get(rgOf(account.id), account.name)) as Promise<Account>,
      arm(`reading ${storage.id}`, () => st.storageAccounts.getProperties(rgOf(storage.id), storage.name)) as Promise<Storage>,
      arm(`reading ${vnet.id}`, () => net.virtualNetworks.get(rgOf(vnet.id), vnet.name)) as Promise<typeof vnet>,
    ]);
    subnet = (vnet.subnets?.find((s) => s.name?.toLowerCase() === subnet.name.toLowerCase()) ?? subnet) as typeof subnet;
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

function accountConnections(account: Account): ConnectionRef[] {
  return (account.properties?.privateEndpointConnections ?? []).map((c) => ({
    id: c.id,
    privateEndpointId: c.properties?.privateEndpoint?.id,
    status: c.properties?.privateLinkServiceConnectionState?.status,
  }));
}

function storageConnections(storage: Storage): ConnectionRef[] {
  return (storage.privateEndpointConnections ?? []).map((c) => ({ id: c.id, privateEndpointId: c.privateEndpoint?.id, status: c.privateLinkServiceConnectionState?.status }));
}

async function readCors(ctx: StepContext, storage: Storage): Promise<CorsRule[]> {
  const st = await ctx.session.storage(subscriptionOf(storage.id));
  const props = await orUndefined(`reading blob service of ${storage.id}`, () => st.blobServices.getServiceProperties(rgOf(storage.id), storage.name));
  return props?.cors?.corsRules ?? [];
}

async function readRoles(ctx: StepContext, storageId: string, principalId: string): Promise<RoleView[]> {
  const auth = await ctx.session.authorization(subscriptionOf(storageId));
  const views: RoleView[] = [];
  const definitions = new Map<string, RoleDefinition>();
  await arm(`listing role assignments on ${storageId}`, async () => {
    for await (const a of auth.roleAssignments.listForScope(storageId, { filter: `principalId eq '${principalId}'` })) {
      if (!a.scope || !a.roleDefinitionId || !isAtOrAbove(a.scope, storageId)) continue;
      const def = await roleDefinition(auth, a.roleDefinitionId, definitions);
      views.push({
        scope: a.scope,
        roleDefinitionId: a.roleDefinitionId,
        roleName: def.roleName ?? nameOf(a.roleDefinitionId),
        coversRead: coversDataActions(def, DATA_ROLES.reader.dataActions),
        coversWrite: coversDataActions(def, DATA_ROLES.contributor.dataActions),
      });
    }
  });
  return views;
}

async function readEndpoint(ctx: StepContext, ref: ConnectionRef, host: string | undefined, hosts: string[], vnetId: string): Promise<EndpointView> {
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
  return {
    privateEndpointId: peId,
    connectionId: ref.id,
    status: ref.status,
    pe,
    groupIds: pe ? groupIdsOf(pe) : [],
    inChosenVnet: isInVnet(pe?.subnet?.id, vnetId),
    ips,
    hostIps,
    zoneIds,
  };
}

async function readPrivateLink(
  ctx: StepContext, service: PrivateLinkService, targetId: string, host: string | undefined, vnetId: string, connections: ConnectionRef[], zoneNames: string[],
): Promise<PrivateLinkView> {
  // The zone of the target's own host name first: the one its clients use, which reachability and --explain judge.
  const names = host ? [...zoneNames].sort((a, b) => Number(!!recordNameFor(host, b)) - Number(!!recordNameFor(host, a))) : zoneNames;
  const hosts = host ? names.map((z) => hostInZone(host, z)) : [];
  const refs = connections.filter((c) => c.privateEndpointId);
  const all = await Promise.all(refs.map((r) => readEndpoint(ctx, r, host, hosts, vnetId)));
  // A storage account's connections also serve file, queue…; keep the blob ones.
  const endpoints = all.filter((e) => !e.pe || !e.groupIds.length || e.groupIds.includes(service));
  const inVnet = endpoints.filter((e) => e.inChosenVnet);
  const chosen = inVnet.find((e) => e.status === 'Approved') ?? inVnet[0];
  const view: PrivateLinkView = { service, targetId, host, endpoints, chosen, zones: [] };
  if (chosen?.status === 'Pending') view.mayApprove = await ctx.access.can(APPROVAL_ACTION[service], targetId);
  if (host) {
    view.zones = await Promise.all(names.map((z, i) => readZone(ctx, z, hosts[i], vnetId, chosen)));
    view.zone = view.zones[0];
  }
  return view;
}

async function readZone(ctx: StepContext, zoneName: string, host: string, vnetId: string, chosen: EndpointView | undefined): Promise<ZoneView> {
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

export function isLinked(zone: ZoneView | undefined, vnetId: string): boolean {
  return !!zone?.linkedVnetIds.some((id) => sameId(id, vnetId));
}
