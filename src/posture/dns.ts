/** Which private DNS zones a target's endpoint needs, where secure-docintel puts them by default, and the record a host name gets in each. */
import { privateDnsZoneName, type Cloud, type PrivateLinkService } from '../core/cloud.js';
import { resourceId, rgOf, subscriptionOf } from '../core/resource-id.js';

export { privateDnsZoneName };

export interface ZonePlace {
  /** --dns-zone-subscription */
  dnsZoneSubscription?: string;
  /** --dns-zone-resource-group */
  dnsZoneResourceGroup?: string;
}

/**
 * The zones the docs' table names for an endpoint of this service when the target advertises none
 * (learn.microsoft.com/azure/private-link/private-endpoint-dns): an Azure AI services (Foundry) account,
 * kind AIServices, needs the openai and services.ai zones beside the cognitiveservices one (public cloud).
 */
export function fallbackZoneNames(cloud: Cloud, service: PrivateLinkService, kind?: string): string[] {
  const own = privateDnsZoneName(cloud, service);
  if (service === 'account' && kind?.toLowerCase() === 'aiservices' && cloud.name === 'AzureCloud') {
    return [own, 'privatelink.openai.azure.com', 'privatelink.services.ai.azure.com'];
  }
  return [own];
}

/** Account kinds whose `account` endpoint needs the cognitiveservices zone alone in the public cloud. */
const ONE_ZONE_KINDS = ['formrecognizer', 'cognitiveservices'];

/**
 * The zones an endpoint needs when documented evidence already fixes them, so that the target's private
 * link resource need not be read; undefined where only its `requiredZoneNames` can tell. In the public
 * cloud, a Document Intelligence (FormRecognizer) or multi-service (CognitiveServices) account's `account`
 * endpoint needs privatelink.cognitiveservices.azure.com alone (the private-endpoint-dns table's Cognitive
 * Services row; the REST spec's ListPrivateLinkResources example; the built-in policy "Configure Cognitive
 * Services accounts to use private DNS zones" takes that one zone), and a storage account's `blob` endpoint
 * privatelink.blob.core.windows.net while its blob host is under blob.core.windows.net (an account with
 * Azure DNS zone endpoints has another host). An AIServices account (three zones today, and the list has
 * grown before), any other kind, and the sovereign clouds are read.
 */
export function documentedZoneNames(cloud: Cloud, service: PrivateLinkService, kind: string | undefined, host: string | undefined): string[] | undefined {
  if (cloud.name !== 'AzureCloud') return undefined;
  const zone = privateDnsZoneName(cloud, service);
  if (service === 'account') return ONE_ZONE_KINDS.includes(kind?.toLowerCase() ?? '') ? [zone] : undefined;
  return host && recordNameFor(host, zone) ? [zone] : undefined;
}

/** The zones an endpoint needs: the `requiredZoneNames` the target's private link resource advertises, else the table's. */
export function zoneNamesFor(cloud: Cloud, service: PrivateLinkService, kind: string | undefined, advertised: string[] | undefined): string[] {
  const names = [...new Set((advertised ?? []).map((z) => z.toLowerCase()).filter(Boolean))];
  return names.length ? names : fallbackZoneNames(cloud, service, kind);
}

/**
 * The host name an endpoint serves under a zone (what its customDnsConfigs list): the target's first label
 * under the zone's public suffix — `acct.cognitiveservices.azure.com` → `acct.openai.azure.com` in
 * `privatelink.openai.azure.com`.
 */
export function hostInZone(host: string, zoneName: string): string {
  const label = host.toLowerCase().split('.')[0];
  return `${label}.${zoneName.toLowerCase().replace(/^privatelink\./, '')}`;
}

/** The zone's id where private-endpoint creates it: the flags' place, else the VNet's resource group. */
export function defaultZoneId(zoneName: string, vnetId: string, place: ZonePlace): string {
  const sub = place.dnsZoneSubscription ?? subscriptionOf(vnetId);
  const rg = place.dnsZoneResourceGroup ?? rgOf(vnetId);
  return resourceId(sub, rg, 'Microsoft.Network/privateDnsZones', zoneName);
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
