/** Microsoft.Network/networkInterfaces: the NICs Azure creates for private endpoints (read-only here). */
import type { Router } from '../../arm/router.js';
import { resourceNotFound } from '../../arm/errors.js';
import { page } from '../../arm/protocol.js';
import { keyOf, lastName, parseResourceId } from '../../arm/ids.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { networkApi } from './api.js';
import { newEtag } from './model.js';

export const NIC_TYPE = 'Microsoft.Network/networkInterfaces';
const RG = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network';
const api = networkApi('networkInterfaces');

export interface NicAddress {
  ip: string;
  groupId: string;
  memberName: string;
  fqdns: string[];
  allocation: 'Dynamic' | 'Static';
}

/** IPs held by NICs in the subnet. */
export function addressesInSubnet(ctx: EmulatorContext, subnetId: string): Set<string> {
  const used = new Set<string>();
  for (const nic of ctx.state.ofType(NIC_TYPE)) {
    for (const c of nic.properties?.ipConfigurations ?? []) {
      if (keyOf(String(c.properties?.subnet?.id ?? '')) === keyOf(subnetId) && c.properties?.privateIPAddress) used.add(c.properties.privateIPAddress);
    }
  }
  return used;
}

/** The NIC `{pe}.nic.{guid}` in the private endpoint's resource group. */
export function createPrivateEndpointNic(ctx: EmulatorContext, privateEndpoint: Resource, subnetId: string, addresses: NicAddress[]): Resource {
  const p = parseResourceId(privateEndpoint.id);
  const name = `${privateEndpoint.name}.nic.${ctx.newGuid()}`;
  const id = `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroup}/providers/Microsoft.Network/networkInterfaces/${name}`;
  const etag = newEtag(ctx);
  return ctx.state.put({
    name,
    id,
    etag,
    type: NIC_TYPE,
    location: privateEndpoint.location,
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: ctx.newGuid(),
      ipConfigurations: addresses.map((a) => {
        const configName = `privateEndpointIpConfig.${ctx.newGuid()}`;
        return {
          name: configName,
          id: `${id}/ipConfigurations/${configName}`,
          etag,
          type: 'Microsoft.Network/networkInterfaces/ipConfigurations',
          properties: {
            provisioningState: 'Succeeded',
            privateIPAddress: a.ip,
            privateIPAllocationMethod: a.allocation,
            subnet: { id: subnetId },
            primary: a === addresses[0],
            privateIPAddressVersion: 'IPv4',
            privateLinkConnectionProperties: { groupId: a.groupId, requiredMemberName: a.memberName, fqdns: a.fqdns },
          },
        };
      }),
      dnsSettings: { dnsServers: [], appliedDnsServers: [] },
      macAddress: '',
      enableAcceleratedNetworking: false,
      vnetEncryptionSupported: false,
      enableIPForwarding: false,
      disableTcpStateTracking: false,
      hostedWorkloads: [],
      tapConfigurations: [],
      privateEndpoint: { id: privateEndpoint.id },
      nicType: 'Standard',
      auxiliaryMode: 'None',
      auxiliarySku: 'None',
    },
  });
}

export function registerNetworkInterfaces(router: Router): void {
  router.add({
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/providers/Microsoft.Network/networkInterfaces',
    api,
    handler: (req, ctx) => page(req, ctx, ctx.state.ofType(NIC_TYPE, `/subscriptions/${req.params.subscriptionId}`)),
  });
  router.add({
    method: 'GET',
    template: `${RG}/networkInterfaces`,
    api,
    handler: (req, ctx) => page(req, ctx, ctx.state.ofType(NIC_TYPE, `/subscriptions/${req.params.subscriptionId}/resourceGroups/${req.params.resourceGroupName}`)),
  });
  router.add({
    method: 'GET',
    template: `${RG}/networkInterfaces/{networkInterfaceName}`,
    api,
    handler: (req, ctx) => {
      const nic = ctx.state.get(req.path);
      if (!nic) throw resourceNotFound(NIC_TYPE, lastName(req.path), req.params.resourceGroupName);
      return { status: 200, body: nic };
    },
  });
}

/**
 * The host names and addresses a private endpoint's NICs hold (`ipConfigurations[].privateLinkConnectionProperties.fqdns`
 * and `privateIPAddress`): what the finished endpoint reports as `customDnsConfigs` and what zone groups write as A records.
 */
export function endpointDnsConfigs(ctx: EmulatorContext, privateEndpoint: Resource): { fqdn: string; ipAddresses: string[] }[] {
  return (privateEndpoint.properties?.networkInterfaces ?? []).flatMap((ref: { id: string }) =>
    (ctx.state.get(ref.id)?.properties?.ipConfigurations ?? []).flatMap((c: Record<string, any>) =>
      (c.properties?.privateLinkConnectionProperties?.fqdns ?? []).map((fqdn: string) => ({ fqdn, ipAddresses: [String(c.properties.privateIPAddress)] })),
    ),
  );
}
