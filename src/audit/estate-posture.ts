/**
 * The posture of every account from Resource Graph rows: one adapter per row type turns a row into the
 * SDK's shape (storage's `networkAcls` is its `networkRuleSet`, a private endpoint's connections are
 * flattened), then posture/build.ts — the builder the ARM reader uses — makes the views, so audit
 * judges with validate's own check functions what validate would see.
 *
 * Linked storage, where it can be found, in this order:
 *  1. a storage account whose firewall names the account in a resource-instance rule (guide step 2's
 *     alternative to the trusted-services exception);
 *  2. a storage account at whose scope the account's identity holds a role assignment (guide step 3):
 *     a blob data role is what ties the two in the guide, and it is the only link Azure records in the
 *     trusted-services case. Read through `authorizationresources`, so it costs pages, not requests per
 *     account.
 * Nothing else links them in Azure: an account without identity and without a rule has `storage: null`.
 */
import type { Cloud } from '../core/cloud.js';
import { nameOf } from '../core/resource-id.js';
import { accountHost, blobHost } from '../posture/hosts.js';
import { BUILT_IN_BLOB_ROLES, isAtOrAbove } from '../posture/roles.js';
import { groupIdsOf, type ConnectionRef } from '../posture/endpoints.js';
import type { AccountPosture, EndpointView, PrivateLinkView, RoleView } from '../posture/model.js';
import { systemPrincipal } from '../posture/model.js';
import { accountConnections, endpointView, privateLinkView, roleView, storageConnections } from '../posture/build.js';
import type { GraphRow } from './graph.js';
import type { PrivateLinkService } from '../core/cloud.js';

type Posture = AccountPosture;

export interface EstateRows {
  accounts: GraphRow[];
  storage: GraphRow[];
  privateEndpoints: GraphRow[];
  roleAssignments: GraphRow[];
  /** role definitions by lower-case GUID, for roles that are not the fixed built-in blob roles */
  roleDefinitions: Map<string, GraphRow>;
}

/** A storage account row as the storage SDK presents one. */
function storageFromRow(row: GraphRow): NonNullable<Posture['storage']> {
  const p = row.properties ?? {};
  const acls = p.networkAcls;
  return {
    id: row.id,
    name: row.name,
    location: row.location,
    publicNetworkAccess: p.publicNetworkAccess,
    primaryEndpoints: p.primaryEndpoints,
    networkRuleSet: acls && {
      bypass: acls.bypass,
      defaultAction: acls.defaultAction,
      ipRules: (acls.ipRules ?? []).map((r: { value: string; action?: string }) => ({ iPAddressOrRange: r.value, action: r.action })),
      virtualNetworkRules: (acls.virtualNetworkRules ?? []).map((r: { id: string; action?: string; state?: string }) => ({ virtualNetworkResourceId: r.id, action: r.action, state: r.state })),
      resourceAccessRules: acls.resourceAccessRules ?? [],
    },
    privateEndpointConnections: (p.privateEndpointConnections ?? []).map((c: GraphRow) => ({
      id: c.id,
      name: c.name,
      privateEndpoint: c.properties?.privateEndpoint,
      privateLinkServiceConnectionState: c.properties?.privateLinkServiceConnectionState,
    })),
  } as NonNullable<Posture['storage']>;
}

/** An account row as the Cognitive Services SDK presents one (the same fields). */
function accountFromRow(row: GraphRow): Posture['account'] {
  return { id: row.id, name: row.name, kind: row.kind, location: row.location, identity: row.identity ?? undefined, properties: row.properties ?? {} } as Posture['account'];
}

/** A private endpoint row as the network SDK presents one (properties flattened). */
function endpointFromRow(row: GraphRow): NonNullable<EndpointView['pe']> {
  const p = row.properties ?? {};
  const links = (list: GraphRow[] | undefined) => (list ?? []).map((l) => ({ id: l.id, name: l.name, ...(l.properties ?? {}) }));
  return {
    id: row.id,
    name: row.name,
    subnet: p.subnet,
    privateLinkServiceConnections: links(p.privateLinkServiceConnections),
    manualPrivateLinkServiceConnections: links(p.manualPrivateLinkServiceConnections),
    networkInterfaces: p.networkInterfaces ?? [],
    customDnsConfigs: p.customDnsConfigs ?? [],
    provisioningState: p.provisioningState,
  } as NonNullable<EndpointView['pe']>;
}

export class EstateIndex {
  readonly storageById = new Map<string, NonNullable<Posture['storage']>>();
  private readonly storageByRule = new Map<string, string>();
  private readonly endpoints = new Map<string, NonNullable<EndpointView['pe']>>();
  private readonly assignmentsByPrincipal = new Map<string, { scope: string; roleDefinitionId: string }[]>();

  constructor(readonly rows: EstateRows) {
    for (const r of rows.storage) {
      const s = storageFromRow(r);
      this.storageById.set(r.id.toLowerCase(), s);
      for (const rule of s.networkRuleSet?.resourceAccessRules ?? []) if (rule.resourceId) this.storageByRule.set(rule.resourceId.toLowerCase(), r.id.toLowerCase());
    }
    for (const r of rows.privateEndpoints) this.endpoints.set(r.id.toLowerCase(), endpointFromRow(r));
    for (const r of rows.roleAssignments) {
      const p = r.properties ?? {};
      if (!p.principalId || !p.scope || !p.roleDefinitionId) continue;
      const key = String(p.principalId).toLowerCase();
      this.assignmentsByPrincipal.set(key, [...(this.assignmentsByPrincipal.get(key) ?? []), { scope: p.scope, roleDefinitionId: p.roleDefinitionId }]);
    }
  }

  /** Role definition GUIDs the principals' assignments name that are not the built-in blob roles. */
  static unknownRoles(roleAssignments: GraphRow[], principals: Set<string>): string[] {
    const guids = new Set<string>();
    for (const r of roleAssignments) {
      const p = r.properties ?? {};
      if (!principals.has(String(p.principalId ?? '').toLowerCase())) continue;
      const guid = nameOf(String(p.roleDefinitionId ?? '')).toLowerCase();
      if (guid && !BUILT_IN_BLOB_ROLES[guid]) guids.add(guid);
    }
    return [...guids].sort();
  }

  private storageOf(accountId: string, principalId: string | undefined): NonNullable<Posture['storage']> | undefined {
    const byRule = this.storageByRule.get(accountId.toLowerCase());
    if (byRule) return this.storageById.get(byRule);
    for (const a of principalId ? this.assignmentsByPrincipal.get(principalId.toLowerCase()) ?? [] : []) {
      if (/\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+$/i.test(a.scope)) {
        const s = this.storageById.get(a.scope.toLowerCase());
        if (s) return s;
      }
    }
    return undefined;
  }

  /** The role definition an assignment names: the built-in table's, else its Resource Graph row. */
  private definitionOf(roleDefinitionId: string): { roleName?: string; permissions?: any[] } {
    const guid = nameOf(roleDefinitionId).toLowerCase();
    const row = this.rows.roleDefinitions.get(guid);
    return BUILT_IN_BLOB_ROLES[guid] ?? { roleName: row?.properties?.roleName ?? guid, permissions: row?.properties?.permissions ?? [] };
  }

  /**
   * The identity's assignments at the storage account or above (as validate reads them); with no linked
   * storage, those at any scope that can hold a storage account (a storage account, a group, a subscription).
   */
  private roles(principalId: string, storageId: string | undefined): RoleView[] {
    const all = this.assignmentsByPrincipal.get(principalId.toLowerCase()) ?? [];
    const relevant = storageId
      ? all.filter((a) => isAtOrAbove(a.scope, storageId))
      : all.filter((a) => /^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+(\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+)?)?$/i.test(a.scope.replace(/\/$/, '')));
    return relevant.map((a) => roleView(a, this.definitionOf(a.roleDefinitionId)));
  }

  /** Private DNS is not in Resource Graph's tables, nor NICs' addresses: zones and addresses stay unknown until --deep reads them. */
  private link(service: PrivateLinkService, targetId: string, host: string | undefined, connections: ConnectionRef[], vnetId: string | undefined): PrivateLinkView {
    const endpoints: EndpointView[] = connections.filter((c) => c.privateEndpointId).map((c) => endpointView(c, this.endpoints.get(c.privateEndpointId!.toLowerCase()), vnetId));
    return privateLinkView(service, targetId, host, endpoints);
  }

  /**
   * The VNet audit judges in: the one of the account's private endpoint (an Approved one first), else
   * that of the storage's blob endpoint; none when neither has one.
   */
  private vnetOf(connections: ConnectionRef[][]): { vnetId: string; subnetId: string } | undefined {
    for (const list of connections) {
      const withPe = list.map((c) => ({ c, pe: c.privateEndpointId ? this.endpoints.get(c.privateEndpointId.toLowerCase()) : undefined })).filter((x) => x.pe?.subnet?.id);
      const pick = withPe.find((x) => x.c.status === 'Approved') ?? withPe[0];
      if (pick) {
        const subnetId: string = pick.pe!.subnet!.id!;
        return { vnetId: subnetId.replace(/\/subnets\/[^/]+$/i, ''), subnetId };
      }
    }
    return undefined;
  }

  posture(row: GraphRow, cloud: Cloud): Posture {
    const account = accountFromRow(row);
    const principalId = systemPrincipal(account);
    const storage = this.storageOf(account.id, principalId);
    const accountRefs = accountConnections(account);
    const storageRefs = storage ? storageConnections(storage) : [];
    const blobRefs = storageRefs.filter((r) => {
      const pe = r.privateEndpointId ? this.endpoints.get(r.privateEndpointId.toLowerCase()) : undefined;
      return !pe || groupIdsOf(pe).includes('blob');
    });
    const net = this.vnetOf([accountRefs, blobRefs]);
    const vnet = net && ({ id: net.vnetId, name: nameOf(net.vnetId) } as Posture['vnet']);
    const subnet = net && ({ id: net.subnetId, name: nameOf(net.subnetId) } as Posture['subnet']);
    const host = accountHost(cloud, account.properties?.customSubDomainName);
    const accountLink = this.link('account', account.id, host, accountRefs, net?.vnetId);
    const blobLink = storage
      ? this.link('blob', storage.id, blobHost(cloud, storage), storageRefs, net?.vnetId)
      : { service: 'blob' as const, targetId: '', endpoints: [], host: undefined, zones: [] };
    return {
      cloud,
      account,
      storage,
      vnet,
      subnet,
      principalId,
      roles: principalId ? this.roles(principalId, storage?.id) : undefined,
      corsRules: [],
      privateLinks: { account: accountLink, blob: blobLink },
    };
  }
}

/** The subnet of the account's private endpoint (the contract's `subnet`), if it has one. */
export function endpointSubnet(p: Posture): string | null {
  const chosen = p.privateLinks.account.chosen;
  return chosen?.pe?.subnet?.id ?? null;
}
