/** Microsoft.Network/privateDnsZones: location `global`, an SOA record set from birth, 202 long-running writes. */
import type { Router } from '../../arm/router.js';
import { resourceNotFound } from '../../arm/errors.js';
import { locationNotGlobal, zoneHasLinks } from './errors.js';
import { page, requireBody, validateTags } from '../../arm/protocol.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { privateDnsApi } from './api.js';
import { acceptedPrivateDns } from './lro.js';
import { checkPreconditions } from './preconditions.js';
import { ZONE_TYPE, recordSetsOf, soaRecordSet } from './model.js';

const RG = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network';
export const ZONE = `${RG}/privateDnsZones/{privateZoneName}`;
const api = privateDnsApi('privateDnsZones');

export function requireGlobal(location: unknown, type: string): void {
  if (String(location ?? '').toLowerCase() !== 'global') {
    throw locationNotGlobal(location, type);
  }
}

export function getZone(ctx: EmulatorContext, params: Record<string, string>): Resource {
  const zone = ctx.state.get(`/subscriptions/${params.subscriptionId}/resourceGroups/${params.resourceGroupName}/providers/Microsoft.Network/privateDnsZones/${params.privateZoneName}`);
  if (!zone) throw resourceNotFound(ZONE_TYPE, params.privateZoneName, params.resourceGroupName);
  return zone;
}

/** The zone as GET shows it, with its counters read from its children. */
export function zoneView(ctx: EmulatorContext, zone: Resource): Resource {
  const links = ctx.state.children(zone.id, 'virtualNetworkLinks');
  return {
    ...zone,
    properties: {
      ...zone.properties,
      maxNumberOfRecordSets: 25000,
      numberOfRecordSets: recordSetsOf(ctx, zone.id).length,
      maxNumberOfVirtualNetworkLinks: 1000,
      numberOfVirtualNetworkLinks: links.length,
      maxNumberOfVirtualNetworkLinksWithRegistration: 100,
      numberOfVirtualNetworkLinksWithRegistration: links.filter((l) => l.properties?.registrationEnabled).length,
    },
  };
}

export function registerZones(router: Router): void {
  router.add({
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/providers/Microsoft.Network/privateDnsZones',
    api,
    handler: (req, ctx) => page(req, ctx, ctx.state.ofType(ZONE_TYPE, `/subscriptions/${req.params.subscriptionId}`).map((z) => zoneView(ctx, z))),
  });
  router.add({
    method: 'GET',
    template: `${RG}/privateDnsZones`,
    api,
    handler: (req, ctx) =>
      page(req, ctx, ctx.state.ofType(ZONE_TYPE, `/subscriptions/${req.params.subscriptionId}/resourceGroups/${req.params.resourceGroupName}`).map((z) => zoneView(ctx, z))),
  });
  router.add({
    method: 'GET',
    template: ZONE,
    api,
    handler: (req, ctx) => ({ status: 200, body: zoneView(ctx, getZone(ctx, req.params)) }),
  });
  router.add({
    method: 'PUT',
    template: ZONE,
    api,
    action: 'Microsoft.Network/privateDnsZones/write',
    handler: (req, ctx) => {
      const body = requireBody(req);
      validateTags(body.tags);
      const existing = ctx.state.get(req.path);
      checkPreconditions(req, existing, `Zone ${req.params.privateZoneName}`);
      requireGlobal(body.location, ZONE_TYPE);
      const zone = ctx.state.put({
        id: existing?.id ?? req.path,
        name: existing?.name ?? req.params.privateZoneName.toLowerCase(),
        type: ZONE_TYPE,
        etag: ctx.newGuid(),
        location: 'global',
        ...(body.tags ? { tags: body.tags } : {}),
        properties: { ...(existing?.properties ?? {}), provisioningState: existing ? 'Updating' : 'Creating', internalId: existing?.properties?.internalId ?? ctx.newGuid() },
      });
      if (!existing) ctx.state.put(soaRecordSet(ctx, zone));
      return acceptedPrivateDns(ctx, req, zone.id, 'put');
    },
  });
  router.add({
    method: 'PATCH',
    template: ZONE,
    api,
    action: 'Microsoft.Network/privateDnsZones/write',
    handler: (req, ctx) => {
      const body = requireBody(req);
      validateTags(body.tags);
      const zone = getZone(ctx, req.params);
      checkPreconditions(req, zone, `Zone ${zone.name}`);
      if (body.tags !== undefined) zone.tags = body.tags;
      zone.etag = ctx.newGuid();
      zone.properties.provisioningState = 'Updating';
      return acceptedPrivateDns(ctx, req, zone.id, 'patch');
    },
  });
  router.add({
    method: 'DELETE',
    template: ZONE,
    api,
    action: 'Microsoft.Network/privateDnsZones/delete',
    handler: (req, ctx) => {
      const zone = ctx.state.get(req.path);
      if (!zone) return { status: 204 };
      checkPreconditions(req, zone, `Zone ${zone.name}`);
      if (ctx.state.children(zone.id, 'virtualNetworkLinks').length) {
        throw zoneHasLinks();
      }
      zone.properties.provisioningState = 'Deleting';
      return acceptedPrivateDns(ctx, req, zone.id, 'delete');
    },
  });
}
