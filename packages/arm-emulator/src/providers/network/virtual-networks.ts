/** Microsoft.Network/virtualNetworks: GET, list, PUT (async), PATCH tags, DELETE (async). */
import type { Router } from '../../arm/router.js';
import { DEFAULT_LOCATIONS } from '../../arm/router.js';
import { locationRequired, resourceNotFound } from '../../arm/errors.js';
import { emptyAddressSpace, invalidRequestFormat, locationNotAvailable, resourceInOtherLocation } from './errors.js';
import { page, requireBody, validateTags } from '../../arm/protocol.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { networkApi } from './api.js';
import { acceptedDelete, acceptedWrite } from './lro.js';
import { VNET_TYPE, buildSubnet, inUseSubnet, newEtag, subnetUser, subnetsOf, validateSubnets, type Subnet } from './model.js';

const RG = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network';
const VNET = `${RG}/virtualNetworks/{virtualNetworkName}`;
const api = networkApi('virtualNetworks');

export function resolveLocation(location: unknown, type: string): string {
  if (!location) throw locationRequired();
  const l = String(location).toLowerCase().replace(/\s+/g, '');
  if (!DEFAULT_LOCATIONS.includes(l)) {
    throw locationNotAvailable(location, type, DEFAULT_LOCATIONS);
  }
  return l;
}

export function getVnet(ctx: EmulatorContext, id: string, name: string, resourceGroup: string): Resource {
  const vnet = ctx.state.get(id);
  if (!vnet) throw resourceNotFound(VNET_TYPE, name, resourceGroup);
  return vnet;
}

/** When an operation on the network settles, its subnets in progress settle with it. */
export function settleVirtualNetwork(vnet: Resource): void {
  for (const s of subnetsOf(vnet)) if (s.properties?.provisioningState === 'Updating') s.properties.provisioningState = 'Succeeded';
}

export function registerVirtualNetworks(router: Router): void {
  router.add({
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/providers/Microsoft.Network/virtualNetworks',
    api,
    handler: (req, ctx) => page(req, ctx, ctx.state.ofType(VNET_TYPE, `/subscriptions/${req.params.subscriptionId}`)),
  });
  router.add({
    method: 'GET',
    template: `${RG}/virtualNetworks`,
    api,
    handler: (req, ctx) => page(req, ctx, ctx.state.ofType(VNET_TYPE, `/subscriptions/${req.params.subscriptionId}/resourceGroups/${req.params.resourceGroupName}`)),
  });
  router.add({
    method: 'GET',
    template: VNET,
    api,
    handler: (req, ctx) => ({ status: 200, body: getVnet(ctx, req.path, req.params.virtualNetworkName, req.params.resourceGroupName) }),
  });
  router.add({
    method: 'PUT',
    template: VNET,
    api,
    action: 'Microsoft.Network/virtualNetworks/write',
    handler: (req, ctx) => {
      const body = requireBody(req);
      validateTags(body.tags);
      const existing = ctx.state.get(req.path);
      const location = resolveLocation(body.location, VNET_TYPE);
      if (existing && existing.location !== location) {
        throw resourceInOtherLocation(existing.name, String(existing.location), req.params.resourceGroupName, location);
      }
      const name = existing?.name ?? req.params.virtualNetworkName;
      const id = existing?.id ?? req.path;
      const addressPrefixes: string[] = body.properties?.addressSpace?.addressPrefixes ?? [];
      if (!addressPrefixes.length) {
        throw emptyAddressSpace(name);
      }
      const before = existing ? subnetsOf(existing) : [];
      const requested: Record<string, any>[] = body.properties?.subnets ?? [];
      const subnets: Subnet[] = requested.map((s) => {
        if (!s.name) throw invalidRequestFormat('A subnet must have a name.');
        const kept = before.find((b) => b.name.toLowerCase() === String(s.name).toLowerCase());
        return buildSubnet(ctx, id, s.name, s.properties, kept, 'Updating');
      });
      for (const gone of before.filter((b) => !subnets.some((s) => s.name.toLowerCase() === b.name.toLowerCase()))) {
        if (subnetUser(gone)) throw inUseSubnet(gone);
      }
      validateSubnets(name, addressPrefixes, subnets);
      const etag = newEtag(ctx);
      const vnet = ctx.state.put({
        name,
        id,
        etag,
        type: VNET_TYPE,
        location,
        ...(body.tags ? { tags: body.tags } : {}),
        properties: {
          ...(existing?.properties ?? {}),
          ...(body.properties ?? {}),
          provisioningState: 'Updating',
          resourceGuid: existing?.properties?.resourceGuid ?? ctx.newGuid(),
          addressSpace: { addressPrefixes },
          subnets,
          virtualNetworkPeerings: existing?.properties?.virtualNetworkPeerings ?? [],
          enableDdosProtection: body.properties?.enableDdosProtection ?? false,
        },
      });
      return acceptedWrite(ctx, req, id, location, vnet, !existing);
    },
  });
  router.add({
    method: 'PATCH',
    template: VNET,
    api,
    action: 'Microsoft.Network/virtualNetworks/write',
    handler: (req, ctx) => {
      const body = requireBody(req);
      validateTags(body.tags);
      const vnet = getVnet(ctx, req.path, req.params.virtualNetworkName, req.params.resourceGroupName);
      vnet.tags = body.tags ?? {};
      vnet.etag = newEtag(ctx);
      return { status: 200, body: vnet };
    },
  });
  router.add({
    method: 'DELETE',
    template: VNET,
    api,
    action: 'Microsoft.Network/virtualNetworks/delete',
    handler: (req, ctx) => {
      const vnet = ctx.state.get(req.path);
      if (!vnet) return { status: 204 };
      const used = subnetsOf(vnet).find((s) => subnetUser(s));
      if (used) throw inUseSubnet(used);
      vnet.properties.provisioningState = 'Deleting';
      return acceptedDelete(ctx, req, vnet.id, vnet.location);
    },
  });
}
