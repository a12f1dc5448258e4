/**
 * A missing prerequisite, offered instead of refused: no virtual network in the region (or no
 * subnet in the chosen one) → the VNet and subnet to create, named and addressed by the user when
 * interactive, by --create-vnet/--vnet-address-prefix/--subnet-address-prefix in scripts, with
 * defaults that overlap nothing that exists.
 */
import type { VirtualNetwork } from '@azure/arm-network';
import type { Settings } from '../core/settings.js';
import { NAME_RULES, resourceId } from '../core/resource-id.js';
import { UsageError } from '../core/errors.js';
import type { IoHost } from '../io/host.js';
import { explain } from '../io/choose.js';
import type { NetworkToCreate } from '../steps/virtual-network.js';
import { contains, freeSubnetPrefix, freeVnetPrefix, isNetworkCidr, overlaps } from './address-space.js';

export interface NetworkOffer {
  settings: Settings;
  host: IoHost;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  /** the VNet that lacks a subnet; undefined when the VNet is missing too */
  existing?: VirtualNetwork & { id: string; name: string };
  /** address spaces of every VNet the caller can read */
  taken: string[];
  /** names of the VNets in the resource group */
  vnetNames: string[];
}

export const DEFAULT_VNET = 'vnet-docintel';
export const DEFAULT_SUBNET = 'snet-pe';

export async function offerNetwork(o: NetworkOffer): Promise<NetworkToCreate> {
  const { settings, host } = o;
  const ask = settings.interactive;
  const where = `resource group ${o.resourceGroup}, ${o.location}`;
  let vnetName = o.existing?.name ?? settings.createVnet ?? DEFAULT_VNET;
  let addressPrefixes = o.existing?.addressSpace?.addressPrefixes ?? [];
  if (!o.existing) {
    if (ask) {
      explain(host, [`There is no virtual network in ${o.location} for the private endpoints (the guide's prerequisite).`, 'One can be created now, with a subnet for the endpoints; the defaults overlap no address space you can see.']);
      if (!(await host.confirm({ id: 'createVnet', message: `Create a virtual network in ${where}?`, default: true }))) {
        throw new UsageError(`No virtual network in ${o.location}.`, 'Create one (or run again and accept the offer), or pass --create-vnet <name> to have it created.');
      }
      vnetName = await host.input({
        id: 'vnetName',
        message: 'Name of the new virtual network',
        default: settings.createVnet ?? (o.vnetNames.includes(DEFAULT_VNET) ? `${DEFAULT_VNET}-${o.location}` : DEFAULT_VNET),
        validate: (v) => (!NAME_RULES.vnet.re.test(v) ? `Not a valid name: ${NAME_RULES.vnet.rule}.` : o.vnetNames.some((n) => n.toLowerCase() === v.toLowerCase()) ? `'${v}' exists already in ${o.resourceGroup}.` : true),
      });
    }
    const suggested = settings.vnetAddressPrefix ?? freeVnetPrefix(o.taken);
    const check = (v: string): true | string =>
      !isNetworkCidr(v) ? `'${v}' is not a network address prefix (e.g. 10.20.0.0/16).` : o.taken.some((t) => overlaps(v, t)) ? `${v} overlaps an existing address space (${o.taken.filter((t) => overlaps(v, t)).join(', ')}).` : true;
    const prefix = ask ? await host.input({ id: 'vnetAddressPrefix', message: 'Address space of the new virtual network', default: suggested, validate: check }) : suggested;
    if (!prefix) throw new UsageError('No free 10.N.0.0/16 address space is left.', 'Pass --vnet-address-prefix <cidr>.');
    const ok = check(prefix);
    if (ok !== true) throw new UsageError(`--vnet-address-prefix: ${ok}`, 'Pass a prefix that overlaps no virtual network you have, or leave the flag out for a free one.');
    addressPrefixes = [prefix];
  } else if (ask) {
    explain(host, [`Virtual network '${o.existing.name}' has no subnet for the private endpoints. One can be added now.`]);
    if (!(await host.confirm({ id: 'createSubnet', message: `Add a subnet to '${o.existing.name}'?`, default: true }))) {
      throw new UsageError(`VNet '${o.existing.name}' has no subnet.`, 'Add a subnet for private endpoints first, or run again and accept the offer.');
    }
  }

  const usedSubnets = (o.existing?.subnets ?? []).flatMap((s) => s.addressPrefixes ?? (s.addressPrefix ? [s.addressPrefix] : []));
  const subnetNames = (o.existing?.subnets ?? []).map((s) => s.name!.toLowerCase());
  let subnetName = settings.subnet ?? DEFAULT_SUBNET;
  if (ask) {
    subnetName = await host.input({
      id: 'subnetName',
      message: 'Name of the subnet for the private endpoints',
      default: subnetName,
      validate: (v) => (!NAME_RULES.subnet.re.test(v) ? `Not a valid name: ${NAME_RULES.subnet.rule}.` : subnetNames.includes(v.toLowerCase()) ? `'${v}' exists already.` : true),
    });
  }
  const check = (v: string): true | string =>
    !isNetworkCidr(v)
      ? `'${v}' is not a network address prefix (e.g. 10.20.1.0/24).`
      : !addressPrefixes.some((s) => contains(s, v))
        ? `${v} is outside the virtual network's address space (${addressPrefixes.join(', ')}).`
        : usedSubnets.some((t) => overlaps(v, t))
          ? `${v} overlaps an existing subnet (${usedSubnets.filter((t) => overlaps(v, t)).join(', ')}).`
          : true;
  const suggested = settings.subnetAddressPrefix ?? freeSubnetPrefix(addressPrefixes, usedSubnets);
  const subnetPrefix = ask ? await host.input({ id: 'subnetAddressPrefix', message: 'Address prefix of the subnet', default: suggested, validate: check }) : suggested;
  if (!subnetPrefix) throw new UsageError(`No free /24 is left in ${addressPrefixes.join(', ')}.`, 'Pass --subnet-address-prefix <cidr>.');
  const ok = check(subnetPrefix);
  if (ok !== true) throw new UsageError(`--subnet-address-prefix: ${ok}`, 'Pass a prefix inside the VNet that overlaps none of its subnets, or leave the flag out for a free one.');

  const vnetId = o.existing?.id ?? resourceId(o.subscriptionId, o.resourceGroup, 'Microsoft.Network/virtualNetworks', vnetName);
  host.info(`${o.existing ? 'Subnet to add' : 'Virtual network to create'}: ${o.existing ? '' : `${vnetName} (${addressPrefixes.join(', ')}) in ${where}, `}subnet ${subnetName} (${subnetPrefix}).`);
  return {
    subscriptionId: o.subscriptionId,
    resourceGroup: o.resourceGroup,
    location: o.location,
    vnet: { id: vnetId, name: vnetName, addressPrefixes, exists: !!o.existing },
    subnet: { id: `${vnetId}/subnets/${subnetName}`, name: subnetName, addressPrefix: subnetPrefix },
  };
}
