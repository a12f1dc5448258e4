/**
 * Resources for `control('PUT', 'state')` that put a client of a virtual network on a private endpoint the way
 * Azure does it: the endpoint's NIC holding an address in the subnet, and a private DNS zone linked to the
 * virtual network whose A record gives that address (the emulator's data planes resolve names through it).
 */
export interface PrivateEndpointDns {
  /** resource group id where the NIC and the zone live */
  rgId: string;
  peId: string;
  subnetId: string;
  ip: string;
  /** e.g. privatelink.cognitiveservices.azure.com */
  zoneName: string;
  /** A record name in the zone (the account's subdomain or storage account name) */
  record: string;
  /** the address the A record holds (default: `ip`) */
  recordIp?: string;
  /** false: the zone exists but is not linked to the subnet's virtual network */
  linked?: boolean;
}

export function zoneId(rgId: string, zoneName: string): string {
  return `${rgId}/providers/Microsoft.Network/privateDnsZones/${zoneName}`;
}

export function privateEndpointNic(rgId: string, peId: string, subnetId: string, ip: string) {
  const name = `${peId.split('/').pop()}.nic.1`;
  const id = `${rgId}/providers/Microsoft.Network/networkInterfaces/${name}`;
  return {
    id,
    name,
    type: 'Microsoft.Network/networkInterfaces',
    location: 'eastus',
    properties: {
      provisioningState: 'Succeeded',
      ipConfigurations: [{ name: 'ipconfig', id: `${id}/ipConfigurations/ipconfig`, properties: { privateIPAddress: ip, subnet: { id: subnetId } } }],
      privateEndpoint: { id: peId },
    },
  };
}

/** The NIC, the zone, its link to the subnet's virtual network (unless `linked: false`) and the A record. */
export function privateEndpointDns(o: PrivateEndpointDns): Record<string, unknown>[] {
  const zone = zoneId(o.rgId, o.zoneName);
  const vnetId = o.subnetId.replace(/\/subnets\/[^/]+$/i, '');
  return [
    privateEndpointNic(o.rgId, o.peId, o.subnetId, o.ip),
    { id: zone, name: o.zoneName, type: 'Microsoft.Network/privateDnsZones', location: 'global', properties: { provisioningState: 'Succeeded' } },
    ...(o.linked === false
      ? []
      : [{ id: `${zone}/virtualNetworkLinks/link-vnet`, name: 'link-vnet', type: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks', location: 'global', properties: { virtualNetwork: { id: vnetId }, registrationEnabled: false, virtualNetworkLinkState: 'Completed', provisioningState: 'Succeeded' } }]),
    { id: `${zone}/A/${o.record}`, name: o.record, type: 'Microsoft.Network/privateDnsZones/A', properties: { ttl: 10, aRecords: [{ ipv4Address: o.recordIp ?? o.ip }] } },
  ];
}
