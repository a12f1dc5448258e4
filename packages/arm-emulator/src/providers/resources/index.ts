/** Microsoft.Resources: subscriptions, their locations, and resource groups. */
import type { Provider } from '../provider.js';
import { RESOURCES_API, SUBSCRIPTIONS_API } from './api.js';
import type { ArmRequest } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import { locationRequired, resourceGroupNotFound } from '../../arm/errors.js';
import { invalidResourceGroupName, resourceGroupInOtherLocation } from './errors.js';
import { page, requireBody, validateTags } from '../../arm/protocol.js';
import { resourceGroupScope, isAtOrAbove } from '../../arm/ids.js';
import { DEFAULT_LOCATIONS } from '../../arm/router.js';
import { beginOperation, locationUrl, retryAfterSeconds } from '../../arm/lro.js';
import { registerDeployments } from './deployments.js';


const RG = '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}';

function subscriptionBody(ctx: EmulatorContext, id: string) {
  const s = ctx.state.subscriptions.get(id.toLowerCase())!;
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: s.state,
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  };
}

/** Subscriptions the caller can see: those where it holds any role assignment. */
function visibleSubscriptions(ctx: EmulatorContext, req: ArmRequest) {
  const oid = req.caller!.objectId.toLowerCase();
  const assignments = ctx.state
    .ofType('Microsoft.Authorization/roleAssignments')
    .filter((a) => String(a.properties?.principalId).toLowerCase() === oid);
  return [...ctx.state.subscriptions.values()].filter((s) =>
    assignments.some((a) => isAtOrAbove(`/subscriptions/${s.subscriptionId}`, String(a.properties?.scope)) || isAtOrAbove(String(a.properties?.scope), `/subscriptions/${s.subscriptionId}`)),
  );
}

function locationBody(sub: string, name: string) {
  const displayName = name.replace(/(\d+)$/, ' $1').replace(/^(east|west|north|south|central|france|sweden|japan|australia|canada|usgov|china|uk)/, (m) => m[0].toUpperCase() + m.slice(1) + ' ');
  return {
    id: `/subscriptions/${sub}/locations/${name}`,
    name,
    type: 'Region',
    displayName: displayName.replace(/\s+/g, ' ').trim(),
    regionalDisplayName: displayName.replace(/\s+/g, ' ').trim(),
    metadata: { regionType: 'Physical', regionCategory: 'Recommended' },
  };
}

export const resourcesProvider: Provider = {
  name: 'Microsoft.Resources',
  register(router) {
    registerDeployments(router, RESOURCES_API);
    router.add({
      method: 'GET',
      template: '/subscriptions',
      api: SUBSCRIPTIONS_API,
      handler: (req, ctx) => page(req, ctx, visibleSubscriptions(ctx, req).map((s) => subscriptionBody(ctx, s.subscriptionId))),
    });
    router.add({
      method: 'GET',
      template: '/subscriptions/{subscriptionId}',
      api: SUBSCRIPTIONS_API,
      handler: (req, ctx) => ({ status: 200, body: subscriptionBody(ctx, req.params.subscriptionId) }),
    });
    router.add({
      method: 'GET',
      template: '/subscriptions/{subscriptionId}/locations',
      api: SUBSCRIPTIONS_API,
      handler: (req) => ({ status: 200, body: { value: DEFAULT_LOCATIONS.map((l) => locationBody(req.params.subscriptionId, l)) } }),
    });
    router.add({
      method: 'GET',
      template: '/subscriptions/{subscriptionId}/resourcegroups',
      api: RESOURCES_API,
      handler: (req, ctx) => page(req, ctx, ctx.state.ofType('Microsoft.Resources/resourceGroups', `/subscriptions/${req.params.subscriptionId}`)),
    });
    router.add({
      method: 'GET',
      template: RG,
      api: RESOURCES_API,
      handler: (req, ctx) => {
        const rg = ctx.state.get(resourceGroupScope(req.params.subscriptionId, req.params.resourceGroupName));
        if (!rg) throw resourceGroupNotFound(req.params.resourceGroupName);
        return { status: 200, body: rg };
      },
    });
    router.add({
      method: 'HEAD',
      template: RG,
      api: RESOURCES_API,
      handler: (req, ctx) => ({ status: ctx.state.get(resourceGroupScope(req.params.subscriptionId, req.params.resourceGroupName)) ? 204 : 404 }),
    });
    router.add({
      method: 'PUT',
      template: RG,
      api: RESOURCES_API,
      action: 'Microsoft.Resources/subscriptions/resourceGroups/write',
      handler: (req, ctx) => {
        const body = requireBody(req);
        const name = req.params.resourceGroupName;
        if (!/^[-\w._()]{1,90}$/.test(name) || name.endsWith('.')) {
          throw invalidResourceGroupName(name);
        }
        if (!body.location) throw locationRequired();
        validateTags(body.tags);
        const id = resourceGroupScope(req.params.subscriptionId, name);
        const existing = ctx.state.get(id);
        if (existing && String(existing.location).toLowerCase() !== String(body.location).toLowerCase()) {
          throw resourceGroupInOtherLocation(body.location, existing.location);
        }
        const rg = ctx.state.put({
          id: existing?.id ?? id,
          name: existing?.name ?? name,
          type: 'Microsoft.Resources/resourceGroups',
          location: String(body.location).toLowerCase().replace(/\s+/g, ''),
          ...(body.tags ? { tags: body.tags } : existing?.tags ? { tags: existing.tags } : {}),
          ...(body.managedBy ? { managedBy: body.managedBy } : {}),
          properties: { provisioningState: 'Succeeded' },
        });
        return { status: existing ? 200 : 201, body: rg };
      },
    });
    router.add({
      method: 'PATCH',
      template: RG,
      api: RESOURCES_API,
      action: 'Microsoft.Resources/subscriptions/resourceGroups/write',
      handler: (req, ctx) => {
        const body = requireBody(req);
        const rg = ctx.state.get(resourceGroupScope(req.params.subscriptionId, req.params.resourceGroupName));
        if (!rg) throw resourceGroupNotFound(req.params.resourceGroupName);
        if (body.location && String(body.location).toLowerCase() !== String(rg.location).toLowerCase()) {
          throw resourceGroupInOtherLocation(body.location, rg.location);
        }
        validateTags(body.tags);
        if (body.tags !== undefined) rg.tags = body.tags ?? {};
        if (body.managedBy !== undefined) rg.managedBy = body.managedBy;
        return { status: 200, body: rg };
      },
    });
    router.add({
      method: 'DELETE',
      template: RG,
      api: RESOURCES_API,
      action: 'Microsoft.Resources/subscriptions/resourceGroups/delete',
      handler: (req, ctx) => {
        const id = resourceGroupScope(req.params.subscriptionId, req.params.resourceGroupName);
        const rg = ctx.state.get(id);
        if (!rg) return { status: 404, body: resourceGroupNotFound(req.params.resourceGroupName).toBody() };
        // Everything in the group goes with it; the group is gone when the operation completes.
        rg.properties = { ...(rg.properties ?? {}), provisioningState: 'Deleting' };
        const op = beginOperation(ctx, id, 'delete');
        return {
          status: 202,
          headers: {
            location: locationUrl(ctx, op, 'Microsoft.Resources', 'global', req.apiVersion, 'operationresults'),
            'retry-after': retryAfterSeconds(ctx, op),
          },
        };
      },
    });
  },
};
