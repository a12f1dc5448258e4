/** Private DNS record sets, stored as children `{zoneId}/{type}/{name}` of their zone. */
import { keyOf } from '../../arm/ids.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';

export const ZONE_TYPE = 'Microsoft.Network/privateDnsZones';
export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'PTR', 'SOA', 'SRV', 'TXT'];

export function recordSetsOf(ctx: EmulatorContext, zoneId: string, type?: string): Resource[] {
  return (type ? [type] : RECORD_TYPES).flatMap((t) => ctx.state.children(zoneId, t));
}

export function recordSetId(zoneId: string, type: string, name: string): string {
  return `${zoneId}/${type}/${name.toLowerCase()}`;
}

export function recordSetBody(ctx: EmulatorContext, zone: Resource, type: string, name: string, properties: Record<string, any>): Resource {
  const relative = name.toLowerCase();
  return {
    id: recordSetId(zone.id, type, relative),
    name: relative,
    type: `${ZONE_TYPE}/${type}`,
    etag: ctx.newGuid(),
    properties: {
      ...properties,
      fqdn: relative === '@' ? `${zone.name}.` : `${relative}.${zone.name}.`,
      isAutoRegistered: false,
    },
  };
}

/** The SOA record set Azure creates with every private zone. */
export function soaRecordSet(ctx: EmulatorContext, zone: Resource): Resource {
  return recordSetBody(ctx, zone, 'SOA', '@', {
    ttl: 3600,
    soaRecord: {
      email: 'azureprivatedns-host.microsoft.com',
      expireTime: 2419200,
      host: 'azureprivatedns.net',
      minimumTtl: 10,
      refreshTime: 3600,
      retryTime: 300,
      serialNumber: 1,
    },
  });
}

/** Writes (or rewrites) the A record set `name` in the zone with these addresses. */
export function upsertARecord(ctx: EmulatorContext, zoneId: string, name: string, ipAddresses: string[], ttl: number): Resource | undefined {
  const zone = ctx.state.get(zoneId);
  if (!zone) return undefined;
  return ctx.state.put(recordSetBody(ctx, zone, 'A', name, { ttl, aRecords: ipAddresses.map((ipv4Address) => ({ ipv4Address })) }));
}

export function removeRecordSet(ctx: EmulatorContext, zoneId: string, type: string, name: string): void {
  ctx.state.delete(recordSetId(zoneId, type, name));
}

export function isZone(resource: Resource | undefined): boolean {
  return !!resource && keyOf(String(resource.type)) === keyOf(ZONE_TYPE);
}
