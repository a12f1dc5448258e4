/** Microsoft.Network/privateDnsZones/virtualNetworkLinks: one link per virtual network and zone. */
import type { Router } from '../../arm/router.js';
import { invalidResolutionPolicy, linkNotFound, linkWithoutNetwork, linkedNetworkMissing, networkLinkedAlready, overlappingNamespaces } from './errors.js';
import { mergePatch, page, requireBody, validateTags } from '../../arm/protocol.js';
import { keyOf } from '../../arm/ids.js';
import type { Operation, Resource } from '../../state.js';
import type { EmulatorContext } from '../../context.js';
import { assertLinkedAccess } from '../network/linked-authorization.js';
import { privateDnsApi } from './api.js';
import { acceptedPrivateDns } from './lro.js';
import { checkPreconditions } from './preconditions.js';
import { ZONE, getZone, requireGlobal } from './zones.js';
import { ZONE_TYPE } from './model.js';

export const LINK_TYPE = 'Microsoft.Network/privateDnsZones/virtualNetworkLinks';
const LINK = `${ZONE}/virtualNetworkLinks/{virtualNetworkLinkName}`;
const WRITE = 'Microsoft.Network/privateDnsZones/virtualNetworkLinks/write';
const VNET_JOIN = 'Microsoft.Network/virtualNetworks/join/action';
const RESOLUTION_POLICIES = ['Default', 'NxDomainRedirect'];
const api = privateDnsApi('privateDnsZones/virtualNetworkLinks');

/** A link is `Completed` once its operation settles. */
export function settleLink(link: Resource): void {
  link.properties.virtualNetworkLinkState = 'Completed';
}

/**
 * Azure accepts the link, then its operation fails when the network is already linked to another zone of the
 * same name (the hub-and-spoke case): ARO-RP#796 shows "terminal provisioning state 'Failed'" with this BadRequest.
 */
function overlappingZone(ctx: EmulatorContext, zone: Resource, vnetId: string): Operation['failWith'] {
  const other = ctx.state
    .ofType(ZONE_TYPE)
    .filter((z) => keyOf(z.id) !== keyOf(zone.id) && String(z.name).toLowerCase() === String(zone.name).toLowerCase())
    .find((z) =>
      ctx.state.children(z.id, 'virtualNetworkLinks').some((l) => keyOf(String(l.properties?.virtualNetwork?.id)) === keyOf(vnetId) && l.properties?.provisioningState !== 'Failed'),
    );
  if (!other) return undefined;
  return overlappingNamespaces(zone.name, other.name);
}

export function registerVirtualNetworkLinks(router: Router): void {
  router.add({
    method: 'GET',
    template: `${ZONE}/virtualNetworkLinks`,
    api,
    handler: (req, ctx) => page(req, ctx, ctx.state.children(getZone(ctx, req.params).id, 'virtualNetworkLinks')),
  });
  router.add({
    method: 'GET',
    template: LINK,
    api,
    handler: (req, ctx) => {
      getZone(ctx, req.params);
      const link = ctx.state.get(req.path);
      if (!link) throw linkNotFound(req.params.virtualNetworkLinkName);
      return { status: 200, body: link };
    },
  });
  router.add({
    method: 'PUT',
    template: LINK,
    api,
    action: WRITE,
    handler: (req, ctx) => {
      const body = requireBody(req);
      validateTags(body.tags);
      const zone = getZone(ctx, req.params);
      const existing = ctx.state.get(req.path);
      checkPreconditions(req, existing, `Virtual network link ${req.params.virtualNetworkLinkName}`);
      requireGlobal(body.location, LINK_TYPE);
      const vnetId = String(body.properties?.virtualNetwork?.id ?? '');
      if (!vnetId) throw linkWithoutNetwork();
      assertLinkedAccess(ctx, req, WRITE, VNET_JOIN, vnetId);
      const vnet = ctx.state.get(vnetId);
      if (!vnet || keyOf(String(vnet.type)) !== keyOf('Microsoft.Network/virtualNetworks')) {
        throw linkedNetworkMissing(vnetId);
      }
      const other = ctx.state.children(zone.id, 'virtualNetworkLinks').find((l) => keyOf(l.id) !== keyOf(req.path) && keyOf(String(l.properties?.virtualNetwork?.id)) === keyOf(vnetId));
      if (other) throw networkLinkedAlready(zone.name, vnet.id);
      const resolutionPolicy = body.properties?.resolutionPolicy;
      if (resolutionPolicy !== undefined && !RESOLUTION_POLICIES.includes(resolutionPolicy)) {
        throw invalidResolutionPolicy(resolutionPolicy, RESOLUTION_POLICIES);
      }
      const link = ctx.state.put({
        id: existing?.id ?? req.path,
        name: existing?.name ?? req.params.virtualNetworkLinkName,
        type: LINK_TYPE,
        etag: ctx.newGuid(),
        location: 'global',
        ...(body.tags ? { tags: body.tags } : {}),
        properties: {
          virtualNetwork: { id: vnet.id },
          registrationEnabled: body.properties?.registrationEnabled === true,
          ...(resolutionPolicy !== undefined ? { resolutionPolicy } : {}),
          virtualNetworkLinkState: 'InProgress',
          provisioningState: existing ? 'Updating' : 'Creating',
        },
      });
      return acceptedPrivateDns(ctx, req, link.id, 'put', overlappingZone(ctx, zone, vnet.id));
    },
  });
  router.add({
    method: 'PATCH',
    template: LINK,
    api,
    action: WRITE,
    handler: (req, ctx) => {
      const body = requireBody(req);
      validateTags(body.tags);
      getZone(ctx, req.params);
      const link = ctx.state.get(req.path);
      if (!link) throw linkNotFound(req.params.virtualNetworkLinkName);
      checkPreconditions(req, link, `Virtual network link ${link.name}`);
      if (body.tags !== undefined) link.tags = body.tags;
      if (body.properties?.registrationEnabled !== undefined) link.properties.registrationEnabled = body.properties.registrationEnabled === true;
      if (body.properties?.resolutionPolicy !== undefined) link.properties = mergePatch(link.properties, { resolutionPolicy: body.properties.resolutionPolicy });
      link.etag = ctx.newGuid();
      link.properties.provisioningState = 'Updating';
      return acceptedPrivateDns(ctx, req, link.id, 'patch');
    },
  });
  router.add({
    method: 'DELETE',
    template: LINK,
    api,
    action: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks/delete',
    handler: (req, ctx) => {
      getZone(ctx, req.params);
      const link = ctx.state.get(req.path);
      if (!link) return { status: 204 };
      checkPreconditions(req, link, `Virtual network link ${link.name}`);
      link.properties.provisioningState = 'Deleting';
      return acceptedPrivateDns(ctx, req, link.id, 'delete');
    },
  });
}
