/**
 * Microsoft.Network/privateEndpoints/privateDnsZoneGroups: each config names a private DNS zone; the
 * group writes an A record there for every host name of the endpoint's NICs that falls under the zone.
 */
import type { Router } from '../../arm/router.js';
import { invalidReference, notFound, parentNotFound, secondZoneGroup } from './errors.js';
import { page, requireBody } from '../../arm/protocol.js';
import { parentId } from '../../arm/ids.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { isZone, removeRecordSet, upsertARecord } from '../privatedns/model.js';
import { networkApi } from './api.js';
import { acceptedDelete, acceptedWrite } from './lro.js';
import { assertLinkedAccess } from './linked-authorization.js';
import { newEtag } from './model.js';
import { endpointDnsConfigs } from './network-interfaces.js';

const WRITE = 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/write';
const ZONE_JOIN = 'Microsoft.Network/privateDnsZones/join/action';
const PE = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}';
const GROUP = `${PE}/privateDnsZoneGroups/{privateDnsZoneGroupName}`;
const RECORD_TTL = 10;
const api = networkApi('privateEndpoints/privateDnsZoneGroups');

/** The record name for `fqdn` in the zone, e.g. `acct` for `acct.blob.core.windows.net` in `privatelink.blob.core.windows.net`. */
export function recordNameInZone(fqdn: string, zoneName: string): string | undefined {
  const host = fqdn.toLowerCase().replace(/\.$/, '');
  const zone = zoneName.toLowerCase();
  for (const suffix of [zone, zone.replace(/^privatelink\./, '')]) {
    if (host.endsWith('.' + suffix)) return host.slice(0, -suffix.length - 1);
  }
  return undefined;
}

function privateEndpointOf(ctx: EmulatorContext, groupPath: string, name: string): Resource {
  const pe = ctx.state.get(parentId(groupPath));
  if (!pe) throw parentNotFound(name);
  return pe;
}

export function removeZoneGroupRecords(ctx: EmulatorContext, group: Resource): void {
  for (const config of group.properties?.privateDnsZoneConfigs ?? []) {
    for (const rs of config.properties?.recordSets ?? []) removeRecordSet(ctx, config.properties.privateDnsZoneId, 'A', rs.recordSetName);
  }
}

/** Writes an A record in each zone for every host name of the endpoint's NICs under it; returns the configs with their recordSets. */
function writeZoneRecords(ctx: EmulatorContext, pe: Resource, configs: Record<string, any>[]): Record<string, any>[] {
  const dnsConfigs = endpointDnsConfigs(ctx, pe);
  return configs.map((c) => {
    const zone = ctx.state.get(String(c.properties.privateDnsZoneId))!;
    const name = c.name ?? zone.name;
    const recordSets = dnsConfigs.flatMap((d) => {
      const recordSetName = recordNameInZone(d.fqdn, zone.name);
      if (recordSetName === undefined) return [];
      upsertARecord(ctx, zone.id, recordSetName, d.ipAddresses, RECORD_TTL);
      return [{ recordType: 'A', recordSetName, fqdn: `${recordSetName}.${zone.name}`, ttl: RECORD_TTL, ipAddresses: d.ipAddresses, provisioningState: 'Succeeded' }];
    });
    return { name, properties: { privateDnsZoneId: zone.id, recordSets } };
  });
}

/** After an endpoint is made again (a repaired Failed endpoint), its zone groups write its new addresses. */
export function rewriteZoneGroupRecords(ctx: EmulatorContext, pe: Resource): void {
  for (const group of ctx.state.children(pe.id, 'privateDnsZoneGroups')) {
    const configs = (group.properties?.privateDnsZoneConfigs ?? []).filter((c: Record<string, any>) => ctx.state.get(String(c.properties?.privateDnsZoneId)));
    group.properties.privateDnsZoneConfigs = writeZoneRecords(ctx, pe, configs);
  }
}

export function registerPrivateDnsZoneGroups(router: Router): void {
  router.add({
    method: 'GET',
    template: `${PE}/privateDnsZoneGroups`,
    api,
    handler: (req, ctx) => {
      const pe = privateEndpointOf(ctx, req.path + '/x', req.params.privateEndpointName);
      return page(req, ctx, ctx.state.children(pe.id, 'privateDnsZoneGroups'));
    },
  });
  router.add({
    method: 'GET',
    template: GROUP,
    api,
    handler: (req, ctx) => {
      privateEndpointOf(ctx, req.path, req.params.privateEndpointName);
      const group = ctx.state.get(req.path);
      if (!group) throw notFound(req.path);
      return { status: 200, body: group };
    },
  });
  router.add({
    method: 'PUT',
    template: GROUP,
    api,
    action: WRITE,
    handler: (req, ctx) => {
      const body = requireBody(req);
      const pe = privateEndpointOf(ctx, req.path, req.params.privateEndpointName);
      const configs: Record<string, any>[] = body.properties?.privateDnsZoneConfigs ?? [];
      for (const c of configs) assertLinkedAccess(ctx, req, WRITE, ZONE_JOIN, String(c.properties?.privateDnsZoneId ?? ''));
      for (const c of configs) {
        const zoneId = String(c.properties?.privateDnsZoneId ?? '');
        if (!isZone(ctx.state.get(zoneId))) {
          throw invalidReference(zoneId, req.path, zoneId);
        }
      }
      const existing = ctx.state.get(req.path);
      // One zone group per private endpoint (docs: private-endpoint-dns "Private DNS zone group").
      if (!existing && ctx.state.children(pe.id, 'privateDnsZoneGroups').length) {
        throw secondZoneGroup(pe.name);
      }
      if (existing) removeZoneGroupRecords(ctx, existing);
      const id = existing?.id ?? req.path;
      const privateDnsZoneConfigs = writeZoneRecords(ctx, pe, configs);
      const group = ctx.state.put({
        name: existing?.name ?? req.params.privateDnsZoneGroupName,
        id,
        etag: newEtag(ctx),
        properties: { provisioningState: 'Updating', privateDnsZoneConfigs },
      });
      return acceptedWrite(ctx, req, id, pe.location, group, !existing);
    },
  });
  router.add({
    method: 'DELETE',
    template: GROUP,
    api,
    action: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/delete',
    handler: (req, ctx) => {
      const pe = privateEndpointOf(ctx, req.path, req.params.privateEndpointName);
      const group = ctx.state.get(req.path);
      if (!group) return { status: 204 };
      removeZoneGroupRecords(ctx, group);
      group.properties.provisioningState = 'Deleting';
      return acceptedDelete(ctx, req, group.id, pe.location);
    },
  });
}

