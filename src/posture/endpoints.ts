/**
 * Private endpoints as read: which target and group they serve, whether they are in a VNet, their
 * state, and their addresses — from the network interface (`ipConfigurations[].privateIPAddress`),
 * never from `customDnsConfigs`, which Azure leaves empty for endpoints with a zone group.
 */
import type { NetworkInterface, PrivateEndpoint, PrivateDnsZoneGroup } from '@azure/arm-network';
import type { PrivateLinkService } from '../core/cloud.js';
import { resourceId, rgOf, sameId, subscriptionOf } from '../core/resource-id.js';

/** A connection as the target (account or storage) reports it. */
export interface ConnectionRef {
  id?: string;
  privateEndpointId?: string;
  status?: string;
  groupIds?: string[];
}

export function privateEndpointName(targetName: string, service: PrivateLinkService): string {
  return `pe-${targetName}-${service}`.slice(0, 80);
}

export function privateEndpointId(subscriptionId: string, resourceGroup: string, name: string): string {
  return resourceId(subscriptionId, resourceGroup, 'Microsoft.Network/privateEndpoints', name);
}

/**
 * Where our private endpoints are made: in the VNet's subscription (an endpoint must be), in the
 * account's resource group when that is the same subscription, else in the VNet's resource group.
 */
export function endpointPlacement(accountId: string, vnetId: string): { subscriptionId: string; resourceGroup: string } {
  const subscriptionId = subscriptionOf(vnetId);
  return { subscriptionId, resourceGroup: sameId(subscriptionId, subscriptionOf(accountId)) ? rgOf(accountId) : rgOf(vnetId) };
}

export function groupIdsOf(pe: PrivateEndpoint): string[] {
  return [...(pe.privateLinkServiceConnections ?? []), ...(pe.manualPrivateLinkServiceConnections ?? [])].flatMap((c) => c.groupIds ?? []).map((g) => g.toLowerCase());
}

/** The target resources an endpoint's connections point at. */
export function targetsOf(pe: PrivateEndpoint): string[] {
  return [...(pe.privateLinkServiceConnections ?? []), ...(pe.manualPrivateLinkServiceConnections ?? [])].map((c) => c.privateLinkServiceId ?? '').filter(Boolean);
}

export function isInVnet(subnetId: string | undefined, vnetId: string): boolean {
  return !!subnetId && subnetId.toLowerCase().startsWith(vnetId.toLowerCase() + '/');
}

/** Whether an endpoint of this VNet serves this service (an existing one is reused rather than made twice). */
export function servesInVnet(pe: PrivateEndpoint, service: PrivateLinkService, vnetId: string): boolean {
  return isInVnet(pe.subnet?.id, vnetId) && groupIdsOf(pe).includes(service);
}

/** A write whose operation ended Failed (or Canceled) is repaired by sending it again. */
export function endedFailed(provisioningState: string | undefined): boolean {
  return ['failed', 'canceled'].includes(String(provisioningState ?? '').toLowerCase());
}

/** An address of an endpoint's network interface, with the host names it serves. */
export interface EndpointAddress {
  ip: string;
  fqdns: string[];
}

/** Addresses from the endpoint's NICs (`ipConfigurations[].privateIPAddress` and the host names of the private link connection). */
export function nicAddresses(nics: NetworkInterface[]): EndpointAddress[] {
  return nics.flatMap((n) =>
    (n.ipConfigurations ?? [])
      .filter((c) => c.privateIPAddress)
      .map((c) => ({ ip: c.privateIPAddress!, fqdns: (c.privateLinkConnectionProperties?.fqdns ?? []).map((f) => f.toLowerCase()) })),
  );
}

/** The endpoint's addresses for one host name; when no configuration names a host, all of them. */
export function addressesFor(addresses: EndpointAddress[], host: string | undefined): string[] {
  const named = host ? addresses.filter((a) => a.fqdns.includes(host.toLowerCase())) : [];
  return [...new Set((named.length ? named : addresses).map((a) => a.ip))];
}

/** Addresses a zone group wrote, by record name (`recordSets` of each zone config). */
export function zoneGroupRecords(group: PrivateDnsZoneGroup | undefined): { zoneId: string; recordName: string; ips: string[] }[] {
  return (group?.privateDnsZoneConfigs ?? []).flatMap((c) =>
    (c.recordSets ?? []).map((r) => ({ zoneId: c.privateDnsZoneId ?? '', recordName: r.recordSetName ?? '', ips: r.ipAddresses ?? [] })),
  );
}

/** The state of an endpoint's own connection to a target, as the endpoint reports it. */
export function ownConnectionStatus(pe: PrivateEndpoint | undefined, targetId: string): string | undefined {
  const own = [...(pe?.privateLinkServiceConnections ?? []), ...(pe?.manualPrivateLinkServiceConnections ?? [])].find((c) => sameId(c.privateLinkServiceId, targetId));
  return own?.privateLinkServiceConnectionState?.status;
}
