/**
 * Virtual networks and their subnets. Subnets live embedded in the virtual network's GET body
 * (as the demo scenario stores them); that body is the single source for both.
 */
import { invalidAddressPrefix, invalidRequestFormat, invalidSubnet, subnetInUse, subnetOutsideVnet, subnetsOverlap } from './errors.js';
import { keyOf, lastName, parentId, parseResourceId } from '../../arm/ids.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { parsePrefix, prefixContains, prefixesOverlap, type Ipv4Prefix } from './cidr.js';

export const VNET_TYPE = 'Microsoft.Network/virtualNetworks';
export const SUBNET_TYPE = 'Microsoft.Network/virtualNetworks/subnets';
export const PRIVATE_ENDPOINT_NETWORK_POLICIES = ['Disabled', 'Enabled', 'NetworkSecurityGroupEnabled', 'RouteTableEnabled'];

export type Subnet = Record<string, any> & { id: string; name: string };

export function newEtag(ctx: EmulatorContext): string {
  return `W/"${ctx.newGuid()}"`;
}

export function subnetsOf(vnet: Resource): Subnet[] {
  vnet.properties ??= {};
  vnet.properties.subnets ??= [];
  return vnet.properties.subnets as Subnet[];
}

/** The virtual network and subnet a subnet id names, when both exist. */
export function findSubnet(ctx: EmulatorContext, subnetId: string): { vnet: Resource; subnet: Subnet } | undefined {
  const vnet = ctx.state.get(parentId(subnetId));
  if (!vnet || String(vnet.type).toLowerCase() !== VNET_TYPE.toLowerCase()) return undefined;
  const subnet = subnetsOf(vnet).find((s) => s.name.toLowerCase() === lastName(subnetId).toLowerCase());
  return subnet ? { vnet, subnet } : undefined;
}

export function subnetPrefixes(subnet: Subnet): string[] {
  const p = subnet.properties ?? {};
  return p.addressPrefixes?.length ? p.addressPrefixes : p.addressPrefix ? [p.addressPrefix] : [];
}

export function firstSubnetPrefix(subnet: Subnet): Ipv4Prefix | undefined {
  const text = subnetPrefixes(subnet)[0];
  return text ? parsePrefix(text) : undefined;
}

/** Azure's checks on a virtual network's subnets: valid prefixes, inside the address space, no overlaps. */
export function validateSubnets(vnetName: string, addressPrefixes: string[], subnets: Subnet[]): void {
  const space = addressPrefixes.map((p) => {
    const parsed = parsePrefix(p);
    if (!parsed) throw invalidAddressPrefix(p, vnetName);
    return parsed;
  });
  const seen: { name: string; prefix: Ipv4Prefix }[] = [];
  for (const s of subnets) {
    const texts = subnetPrefixes(s);
    if (!texts.length) throw invalidSubnet(s.name, vnetName);
    for (const text of texts) {
      const prefix = parsePrefix(text);
      if (!prefix) throw invalidSubnet(s.name, vnetName);
      if (!space.some((sp) => prefixContains(sp, prefix))) {
        throw subnetOutsideVnet(s.name, vnetName);
      }
      if (seen.some((o) => o.name.toLowerCase() !== s.name.toLowerCase() && prefixesOverlap(o.prefix, prefix))) {
        throw subnetsOverlap(s.name, vnetName);
      }
      seen.push({ name: s.name, prefix });
    }
  }
}

export function validatePrivateEndpointNetworkPolicies(value: unknown): void {
  if (value === undefined || value === null) return;
  if (!PRIVATE_ENDPOINT_NETWORK_POLICIES.includes(String(value))) {
    throw invalidRequestFormat(`Value '${value}' is not valid for property 'privateEndpointNetworkPolicies'. Allowed values: ${PRIVATE_ENDPOINT_NETWORK_POLICIES.join(', ')}.`);
  }
}

/** A subnet as Azure returns it, keeping the back-references Azure maintains (endpoints, IP configurations). */
export function buildSubnet(ctx: EmulatorContext, vnetId: string, name: string, requested: Record<string, any> | undefined, existing: Subnet | undefined, provisioningState: string): Subnet {
  const props = requested ?? {};
  validatePrivateEndpointNetworkPolicies(props.privateEndpointNetworkPolicies);
  const kept = existing?.properties ?? {};
  const properties: Record<string, any> = {
    provisioningState,
    ...(props.addressPrefixes?.length ? { addressPrefixes: props.addressPrefixes } : { addressPrefix: props.addressPrefix }),
    delegations: props.delegations ?? [],
    privateEndpointNetworkPolicies: props.privateEndpointNetworkPolicies ?? 'Disabled',
    privateLinkServiceNetworkPolicies: props.privateLinkServiceNetworkPolicies ?? 'Enabled',
  };
  for (const k of ['networkSecurityGroup', 'routeTable', 'serviceEndpoints', 'natGateway', 'defaultOutboundAccess']) {
    if (props[k] !== undefined) properties[k] = props[k];
  }
  if (kept.privateEndpoints?.length) properties.privateEndpoints = kept.privateEndpoints;
  if (kept.ipConfigurations?.length) properties.ipConfigurations = kept.ipConfigurations;
  return { name: existing?.name ?? name, id: existing?.id ?? `${vnetId}/subnets/${name}`, etag: newEtag(ctx), type: SUBNET_TYPE, properties };
}

/** The first resource using the subnet, as Azure names it in InUseSubnetCannotBeDeleted. */
export function subnetUser(subnet: Subnet): string | undefined {
  const p = subnet.properties ?? {};
  return p.ipConfigurations?.[0]?.id ?? p.privateEndpoints?.[0]?.id;
}

export function inUseSubnet(subnet: Subnet) {
  return subnetInUse(subnet.name, subnetUser(subnet));
}

/** Adds or removes a private endpoint and its NIC IP configuration in the subnet's back-references. */
export function recordSubnetUse(subnet: Subnet, privateEndpointId: string, ipConfigurationIds: string[], add: boolean): void {
  const p = (subnet.properties ??= {});
  const drop = (list: { id: string }[] | undefined, ids: string[]) => (list ?? []).filter((x) => !ids.some((i) => keyOf(i) === keyOf(x.id)));
  p.privateEndpoints = drop(p.privateEndpoints, [privateEndpointId]);
  p.ipConfigurations = drop(p.ipConfigurations, ipConfigurationIds);
  if (add) {
    p.privateEndpoints.push({ id: privateEndpointId });
    p.ipConfigurations.push(...ipConfigurationIds.map((id) => ({ id })));
  }
  if (!p.privateEndpoints.length) delete p.privateEndpoints;
  if (!p.ipConfigurations.length) delete p.ipConfigurations;
}

export function resourceGroupOf(id: string): string {
  return parseResourceId(id).resourceGroup ?? '';
}
