/**
 * The one posture builder: what was read, whoever read it — the ARM reader (read.ts, the SDK's shapes)
 * or audit (Resource Graph rows, adapted to the SDK's shapes in audit/estate-posture.ts) — made into
 * the posture's views. Pure: no reads here.
 */
import type { PrivateEndpoint } from '@azure/arm-network';
import type { RoleDefinition } from '@azure/arm-authorization';
import type { PrivateLinkService } from '../core/cloud.js';
import { nameOf } from '../core/resource-id.js';
import { DATA_ROLES, coversDataActions } from './roles.js';
import { groupIdsOf, isInVnet, type ConnectionRef } from './endpoints.js';
import type { Account, EndpointView, PrivateLinkView, RoleView, Storage } from './model.js';

/** The private endpoint connections an account reports (under its properties, with the groups each serves). */
export function accountConnections(account: Account): ConnectionRef[] {
  return (account.properties?.privateEndpointConnections ?? []).map((c) => ({
    id: c.id,
    privateEndpointId: c.properties?.privateEndpoint?.id,
    status: c.properties?.privateLinkServiceConnectionState?.status,
    groupIds: c.properties?.groupIds,
  }));
}

/** The private endpoint connections a storage account reports (flattened by its SDK). */
export function storageConnections(storage: Storage): ConnectionRef[] {
  return (storage.privateEndpointConnections ?? []).map((c) => ({ id: c.id, privateEndpointId: c.privateEndpoint?.id, status: c.privateLinkServiceConnectionState?.status }));
}

/** A role assignment at `scope` of the role `definition`: what it covers of the blob data roles. */
export function roleView(assignment: { scope: string; roleDefinitionId: string }, definition: Pick<RoleDefinition, 'roleName' | 'permissions'>): RoleView {
  return {
    scope: assignment.scope,
    roleDefinitionId: assignment.roleDefinitionId,
    roleName: definition.roleName ?? nameOf(assignment.roleDefinitionId),
    coversRead: coversDataActions(definition, DATA_ROLES.reader.dataActions),
    coversWrite: coversDataActions(definition, DATA_ROLES.contributor.dataActions),
  };
}

/** What is known of an endpoint's addresses and zones beyond the endpoint itself (nothing, through Resource Graph). */
export interface EndpointAddresses {
  ips: string[];
  hostIps: Record<string, string[]>;
  zoneIds: string[];
}

const NO_ADDRESSES: EndpointAddresses = { ips: [], hostIps: {}, zoneIds: [] };

/**
 * One connection's endpoint (undefined `pe`: it could not be read), judged in `vnetId`; without a
 * VNet to judge in (audit, when the account has none), any endpoint that exists counts as in it.
 */
export function endpointView(ref: ConnectionRef, pe: PrivateEndpoint | undefined, vnetId: string | undefined, addresses: EndpointAddresses = NO_ADDRESSES): EndpointView {
  return {
    privateEndpointId: ref.privateEndpointId!,
    connectionId: ref.id,
    status: ref.status,
    pe,
    groupIds: pe ? groupIdsOf(pe) : [],
    inChosenVnet: vnetId ? isInVnet(pe?.subnet?.id, vnetId) : !!pe,
    ...addresses,
  };
}

/**
 * A target's private link: its endpoints for this service (a storage account's connections also serve
 * file, queue…; an endpoint not read, or with no group, is kept), and the one in the chosen VNet, an
 * Approved one first. Zones are added by whoever can read them.
 */
export function privateLinkView(service: PrivateLinkService, targetId: string, host: string | undefined, all: EndpointView[]): PrivateLinkView {
  const endpoints = all.filter((e) => !e.pe || !e.groupIds.length || e.groupIds.includes(service));
  const inVnet = endpoints.filter((e) => e.inChosenVnet);
  const chosen = inVnet.find((e) => e.status === 'Approved') ?? inVnet[0];
  return { service, targetId, host, endpoints, chosen, zones: [] };
}
