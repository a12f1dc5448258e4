/** Which private DNS zone a service uses, where secure-docintel puts it by default, and the record a host name gets in it. */
import { privateDnsZoneName, type Cloud, type PrivateLinkService } from '../core/cloud.js';
import { resourceId, rgOf, subscriptionOf } from '../core/resource-id.js';

export { privateDnsZoneName };

export interface ZonePlace {
  /** --dns-zone-subscription */
  dnsZoneSubscription?: string;
  /** --dns-zone-resource-group */
  dnsZoneResourceGroup?: string;
}

/** The zone's id where private-endpoint creates it: the flags' place, else the VNet's resource group. */
export function defaultZoneId(cloud: Cloud, service: PrivateLinkService, vnetId: string, place: ZonePlace): string {
  const sub = place.dnsZoneSubscription ?? subscriptionOf(vnetId);
  const rg = place.dnsZoneResourceGroup ?? rgOf(vnetId);
  return resourceId(sub, rg, 'Microsoft.Network/privateDnsZones', privateDnsZoneName(cloud, service));
}

/** The A record name a host gets in a `privatelink.` zone: `acct.cognitiveservices.azure.com` → `acct`; undefined when not under the zone. */
export function recordNameFor(host: string, zoneName: string): string | undefined {
  const suffix = zoneName.toLowerCase().replace(/^privatelink\./, '');
  const h = host.toLowerCase();
  if (!h.endsWith(`.${suffix}`)) return undefined;
  return h.slice(0, -(suffix.length + 1));
}

export function zoneGroupConfigName(zone: string): string {
  return zone.replace(/\./g, '-');
}
