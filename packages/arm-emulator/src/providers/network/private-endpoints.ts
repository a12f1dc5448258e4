/**
 * Microsoft.Network/privateEndpoints. Creating one takes IPs from its subnet on a new NIC, exposes the
 * target's host names in customDnsConfigs and makes a connection on the target: Approved when the
 * caller may approve connections on the target, Pending for manual requests.
 */
import type { ArmRequest, Router } from '../../arm/router.js';
import { resourceNotFound } from '../../arm/errors.js';
import { invalidGroupId, invalidReference, invalidRequestFormat, linkedAuthorizationFailed, storageAccountBusy, privateAddressNotInSubnet, subnetFull, subnetOfEndpointFixed, targetTypeNotSupported } from './errors.js';
import { page, requireBody, validateTags } from '../../arm/protocol.js';
import { keyOf, lastName, parseResourceId, resourceType } from '../../arm/ids.js';
import type { EmulatorContext } from '../../context.js';
import type { Operation, Resource } from '../../state.js';
import { privateLinkTargetFor, type PrivateLinkTarget } from '../private-link.js';
import { networkApi } from './api.js';
import { acceptedDelete, acceptedWrite } from './lro.js';
import { addressIn, nextFreeAddress } from './cidr.js';
import { assertLinkedAccess } from './linked-authorization.js';
import { resolveLocation } from './virtual-networks.js';
import { findSubnet, firstSubnetPrefix, newEtag, recordSubnetUse } from './model.js';
import { addressesInSubnet, createPrivateEndpointNic, endpointDnsConfigs, type NicAddress } from './network-interfaces.js';
import { createTargetConnection, targetConnectionOf, type ConnectionState } from './target-connections.js';
import { removeZoneGroupRecords, rewriteZoneGroupRecords } from './private-dns-zone-groups.js';

export const PE_TYPE = 'Microsoft.Network/privateEndpoints';
const WRITE = 'Microsoft.Network/privateEndpoints/write';
const SUBNET_JOIN = 'Microsoft.Network/virtualNetworks/subnets/join/action';
/** How Azure's LinkedAuthorizationFailed names the target's `…/privateEndpointConnectionsApproval/action`. */
const APPROVAL_ACTION_AS_NAMED = 'PrivateEndpointConnectionsApproval/action';
const RG = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network';
const PE = `${RG}/privateEndpoints/{privateEndpointName}`;
const api = networkApi('privateEndpoints');

/** The private endpoint as GET shows it: connection states read back from the target. */
export function privateEndpointView(ctx: EmulatorContext, pe: Resource): Resource {
  const view = structuredClone(pe);
  for (const list of ['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections']) {
    for (const c of view.properties?.[list] ?? []) {
      const conn = targetConnectionOf(ctx, String(c.properties?.privateLinkServiceId ?? ''), pe.id);
      if (conn) c.properties.privateLinkServiceConnectionState = { ...conn.properties.privateLinkServiceConnectionState };
      else if (c.properties?.privateLinkServiceConnectionState) c.properties.privateLinkServiceConnectionState.status = 'Disconnected';
    }
  }
  return view;
}

function requestedConnection(body: Record<string, any>): { manual: boolean; connection: Record<string, any> } {
  const auto: Record<string, any>[] = body.properties?.privateLinkServiceConnections ?? [];
  const manual: Record<string, any>[] = body.properties?.manualPrivateLinkServiceConnections ?? [];
  if (auto.length + manual.length !== 1) {
    throw invalidRequestFormat('A private endpoint must have exactly one private link service connection (privateLinkServiceConnections or manualPrivateLinkServiceConnections).');
  }
  return auto.length ? { manual: false, connection: auto[0] } : { manual: true, connection: manual[0] };
}

function resolveTarget(ctx: EmulatorContext, targetId: string): { target: Resource; link: PrivateLinkTarget } {
  const target = ctx.state.get(targetId);
  if (!target) {
    const p = parseResourceId(targetId);
    throw resourceNotFound(resourceType(targetId), lastName(targetId), p.resourceGroup ?? '');
  }
  const link = privateLinkTargetFor(target);
  if (!link) throw targetTypeNotSupported(resourceType(target.id));
  return { target, link };
}

/** One address per required member of the group: static ones from the request, the rest the next free in the subnet. */
function allocateAddresses(ctx: EmulatorContext, req: ArmRequest, subnetId: string, link: PrivateLinkTarget, target: Resource, groupId: string): NicAddress[] {
  const { subnet } = findSubnet(ctx, subnetId)!;
  const prefix = firstSubnetPrefix(subnet);
  const group = link.groups(target, ctx).find((g) => g.groupId.toLowerCase() === groupId.toLowerCase())!;
  const members = group.requiredMembers.length ? group.requiredMembers : [group.groupId];
  const fqdns = link.fqdns(target, group.groupId, ctx);
  const used = addressesInSubnet(ctx, subnetId);
  const statics: Record<string, any>[] = req.body.properties?.ipConfigurations ?? [];
  return members.map((member, i) => {
    const fixed = statics.find((s) => String(s.properties?.memberName ?? '').toLowerCase() === member.toLowerCase())?.properties?.privateIPAddress;
    if (fixed && (!prefix || !addressIn(prefix, fixed) || used.has(fixed))) {
      throw privateAddressNotInSubnet(fixed, prefix ? subnet.properties.addressPrefix ?? '' : '');
    }
    const ip = fixed ?? (prefix ? nextFreeAddress(prefix, used) : undefined);
    if (!ip) throw subnetFull(subnet.name, subnet.properties?.addressPrefix);
    used.add(ip);
    return { ip, groupId: group.groupId, memberName: member, fqdns: i === 0 ? fqdns : [], allocation: fixed ? 'Static' : 'Dynamic' };
  });
}

/** The endpoint's target, whichever list its one connection is in. */
function targetIdOf(pe: Resource): string {
  const c = [...(pe.properties?.privateLinkServiceConnections ?? []), ...(pe.properties?.manualPrivateLinkServiceConnections ?? [])][0];
  return String(c?.properties?.privateLinkServiceId ?? '');
}

/**
 * A storage account takes one private endpoint operation at a time: another endpoint's operation on the
 * same account still running makes this one end Failed (Azure/bicep-registry-modules#6001).
 */
function storageBusy(ctx: EmulatorContext, target: Resource, peId: string): Operation['failWith'] {
  if (keyOf(resourceType(target.id)) !== keyOf('Microsoft.Storage/storageAccounts')) return undefined;
  const busy = [...ctx.state.operations.values()].some((op) => {
    if (op.status !== 'InProgress' || keyOf(op.resourceId) === keyOf(peId) || keyOf(resourceType(op.resourceId)) !== keyOf(PE_TYPE)) return false;
    const other = ctx.state.get(op.resourceId);
    return !!other && keyOf(targetIdOf(other)) === keyOf(target.id);
  });
  if (!busy) return undefined;
  return storageAccountBusy();
}

function createPrivateEndpoint(req: ArmRequest, ctx: EmulatorContext): { pe: Resource; failWith?: Operation['failWith'] } {
  const body = req.body as Record<string, any>;
  const location = resolveLocation(body.location, PE_TYPE);
  const subnetId = String(body.properties?.subnet?.id ?? '');
  if (!subnetId) throw invalidRequestFormat('properties.subnet.id is required.');
  assertLinkedAccess(ctx, req, WRITE, SUBNET_JOIN, subnetId);
  const found = findSubnet(ctx, subnetId);
  if (!found) throw invalidReference(subnetId, req.path, subnetId);
  if (found.vnet.location !== location) throw invalidReference(found.vnet.id, req.path, found.vnet.id);

  const { manual, connection } = requestedConnection(body);
  const targetId = String(connection.properties?.privateLinkServiceId ?? '');
  const groupIds: string[] = connection.properties?.groupIds ?? [];
  const { target, link } = resolveTarget(ctx, targetId);
  const groups = link.groups(target, ctx);
  const groupId = groupIds[0];
  if (groupIds.length !== 1 || !groups.some((g) => g.groupId.toLowerCase() === String(groupId).toLowerCase())) {
    throw invalidGroupId(link.type, groupIds, groups.map((g) => g.groupId));
  }
  link.assertCanConnect?.(target, groupId, ctx);

  // An automatic request needs the right to approve on the target; without it Azure refuses the PUT at once
  // (Azure/azure-sdk-for-go#14306: CreateOrUpdate answered 403), naming the action in this short form.
  if (!manual && !ctx.authorizer.can(req.caller!, link.approvalAction, target.id)) {
    throw linkedAuthorizationFailed(req, WRITE, APPROVAL_ACTION_AS_NAMED, target.id);
  }

  const name = req.params.privateEndpointName;
  const pe = { id: req.path, name, type: PE_TYPE, location, etag: newEtag(ctx) } as Resource;
  const approved = !manual;
  const connectionName = connection.name ?? name;
  const requestMessage = connection.properties?.requestMessage;
  const state: ConnectionState = approved
    ? { status: 'Approved', description: 'Auto-Approved', actionsRequired: 'None' }
    : { status: 'Pending', description: requestMessage ?? 'Awaiting approval', actionsRequired: 'None' };
  const peConnection = {
    name: connectionName,
    id: `${req.path}/privateLinkServiceConnections/${connectionName}`,
    etag: pe.etag,
    type: 'Microsoft.Network/privateEndpoints/privateLinkServiceConnections',
    properties: {
      provisioningState: 'Succeeded',
      privateLinkServiceId: target.id,
      groupIds,
      ...(requestMessage !== undefined ? { requestMessage } : {}),
      privateLinkServiceConnectionState: state,
    },
  };
  pe.properties = {
    provisioningState: 'Updating',
    privateLinkServiceConnections: manual ? [] : [peConnection],
    manualPrivateLinkServiceConnections: manual ? [peConnection] : [],
    subnet: { id: found.subnet.id },
    ipVersionType: 'IPv4',
    networkInterfaces: [],
    customDnsConfigs: [],
    applicationSecurityGroups: body.properties?.applicationSecurityGroups ?? [],
    ipConfigurations: body.properties?.ipConfigurations ?? [],
    customNetworkInterfaceName: body.properties?.customNetworkInterfaceName ?? '',
  };
  if (body.tags) pe.tags = body.tags;

  // The target could not take the connection: the endpoint is kept, Failed, without NIC or connection.
  const failWith = storageBusy(ctx, target, pe.id);
  if (failWith) return { pe: ctx.state.put(pe), failWith };

  const addresses = allocateAddresses(ctx, req, subnetId, link, target, groupId);
  const nic = createPrivateEndpointNic(ctx, pe, found.subnet.id, addresses);
  pe.properties.networkInterfaces = [{ id: nic.id }];
  // customDnsConfigs stay [] in the PUT answer and are filled when the operation ends (settlePrivateEndpoint).
  recordSubnetUse(found.subnet, pe.id, nic.properties.ipConfigurations.map((c: { id: string }) => c.id), true);
  createTargetConnection(ctx, target, pe, groupIds, state);
  return { pe: ctx.state.put(pe) };
}

/**
 * A finished endpoint reports its host names and addresses in customDnsConfigs; the PUT answer shows `[]`
 * (Azure CLI recording test_network_private_endpoint_private_dns_zone_group.yaml, 2021, api-version 2020-11-01).
 */
export function settlePrivateEndpoint(pe: Resource, ctx: EmulatorContext): void {
  pe.properties.customDnsConfigs = endpointDnsConfigs(ctx, pe);
}

/** Removes what a private endpoint created: its NIC, subnet references, target connection and DNS records. */
function releasePrivateEndpoint(ctx: EmulatorContext, pe: Resource): void {
  for (const group of ctx.state.children(pe.id, 'privateDnsZoneGroups')) removeZoneGroupRecords(ctx, group);
  for (const ref of pe.properties?.networkInterfaces ?? []) {
    const nic = ctx.state.get(ref.id);
    const found = findSubnet(ctx, String(pe.properties?.subnet?.id ?? ''));
    if (found) recordSubnetUse(found.subnet, pe.id, (nic?.properties?.ipConfigurations ?? []).map((c: { id: string }) => c.id), false);
    ctx.state.delete(ref.id);
  }
  for (const list of ['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections']) {
    for (const c of pe.properties?.[list] ?? []) {
      const conn = targetConnectionOf(ctx, String(c.properties?.privateLinkServiceId ?? ''), pe.id);
      if (conn) ctx.state.delete(conn.id);
    }
  }
}

export function registerPrivateEndpoints(router: Router): void {
  router.add({
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/providers/Microsoft.Network/privateEndpoints',
    api,
    handler: (req, ctx) => page(req, ctx, ctx.state.ofType(PE_TYPE, `/subscriptions/${req.params.subscriptionId}`).map((pe) => privateEndpointView(ctx, pe))),
  });
  router.add({
    method: 'GET',
    template: `${RG}/privateEndpoints`,
    api,
    handler: (req, ctx) =>
      page(req, ctx, ctx.state.ofType(PE_TYPE, `/subscriptions/${req.params.subscriptionId}/resourceGroups/${req.params.resourceGroupName}`).map((pe) => privateEndpointView(ctx, pe))),
  });
  router.add({
    method: 'GET',
    template: PE,
    api,
    handler: (req, ctx) => {
      const pe = ctx.state.get(req.path);
      if (!pe) throw resourceNotFound(PE_TYPE, req.params.privateEndpointName, req.params.resourceGroupName);
      return { status: 200, body: privateEndpointView(ctx, pe) };
    },
  });
  router.add({
    method: 'PUT',
    template: PE,
    api,
    action: WRITE,
    handler: (req, ctx) => {
      const body = requireBody(req);
      validateTags(body.tags);
      const existing = ctx.state.get(req.path);
      if (existing) {
        const subnetId = String(body.properties?.subnet?.id ?? existing.properties.subnet.id);
        if (keyOf(subnetId) !== keyOf(existing.properties.subnet.id)) {
          throw subnetOfEndpointFixed(existing.id);
        }
      }
      if (existing?.properties?.provisioningState === 'Failed') {
        // Re-sending the PUT repairs a Failed endpoint: what it holds is released and made again.
        releasePrivateEndpoint(ctx, existing);
        const { pe, failWith } = createPrivateEndpoint(req, ctx);
        rewriteZoneGroupRecords(ctx, pe);
        return acceptedWrite(ctx, req, pe.id, pe.location, privateEndpointView(ctx, pe), false, failWith);
      }
      if (existing) {
        if (body.tags !== undefined) existing.tags = body.tags;
        existing.etag = newEtag(ctx);
        existing.properties.provisioningState = 'Updating';
        return acceptedWrite(ctx, req, existing.id, existing.location, privateEndpointView(ctx, existing), false);
      }
      const { pe, failWith } = createPrivateEndpoint(req, ctx);
      return acceptedWrite(ctx, req, pe.id, pe.location, privateEndpointView(ctx, pe), true, failWith);
    },
  });
  router.add({
    method: 'DELETE',
    template: PE,
    api,
    action: 'Microsoft.Network/privateEndpoints/delete',
    handler: (req, ctx) => {
      const pe = ctx.state.get(req.path);
      if (!pe) return { status: 204 };
      releasePrivateEndpoint(ctx, pe);
      pe.properties.provisioningState = 'Deleting';
      return acceptedDelete(ctx, req, pe.id, pe.location);
    },
  });
}
