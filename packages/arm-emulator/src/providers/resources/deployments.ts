/** Microsoft.Resources/deployments at resource-group scope: create (long-running), get, list, validate, operations. */
import type { ApiVersionPolicy, Router } from '../../arm/router.js';
import { deploymentActive, deploymentNotFound, deploymentOperationNotFound, deploymentPropertyMissing, invalidDeploymentName, modeNotSupported, parametersLinkNotSupported, templateLinkNotSupported, templateMissing } from './errors.js';
import { page, requireBody } from '../../arm/protocol.js';
import { parseJsonc } from './deployments-jsonc.js';
import { advanceDeployment, deploymentId, deploymentOperations, deploymentStatusOperationId, DEPLOYMENT_TYPE, prepare, startDeployment } from './deployments-engine.js';

const DEPLOY = '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}/providers/Microsoft.Resources/deployments/{deploymentName}';

function idOf(params: Record<string, string>): string {
  return deploymentId(params.subscriptionId, params.resourceGroupName, params.deploymentName);
}

/** The deployment body checks ARM makes before it looks at the template. */
function checkBody(body: Record<string, any>, name: string): void {
  if (!/^[-\w._()]{1,64}$/.test(name)) throw invalidDeploymentName(name);
  const p = body.properties;
  if (!p || typeof p !== 'object') throw deploymentPropertyMissing('properties');
  if (p.templateLink !== undefined) throw templateLinkNotSupported();
  if (p.template === undefined) throw templateMissing();
  if (p.parametersLink !== undefined) throw parametersLinkNotSupported();
  if (String(p.mode ?? '') === '') throw deploymentPropertyMissing('mode');
  if (String(p.mode).toLowerCase() !== 'incremental') throw modeNotSupported(p.mode);
}

export function registerDeployments(router: Router, api: ApiVersionPolicy): void {
  router.add({
    method: 'PUT',
    template: DEPLOY,
    api,
    action: 'Microsoft.Resources/deployments/write',
    parseBody: parseJsonc,
    handler: (req, ctx) => {
      const body = requireBody(req);
      checkBody(body, req.params.deploymentName);
      const id = idOf(req.params);
      const existing = ctx.state.get(id);
      const state = String((existing?.properties as Record<string, unknown> | undefined)?.provisioningState ?? '');
      if (existing && !['Succeeded', 'Failed', 'Canceled'].includes(state)) {
        throw deploymentActive(req.params.deploymentName);
      }
      const deployment = startDeployment(ctx, id, body, req.caller!);
      const op = deploymentStatusOperationId(ctx, id)!;
      return {
        status: existing ? 200 : 201,
        body: deployment,
        headers: { 'azure-asyncoperation': `${ctx.baseUrl}${id}/operationStatuses/${op}?api-version=${req.apiVersion}`, 'retry-after': '0' },
      };
    },
  });
  router.add({
    method: 'GET',
    template: DEPLOY,
    api,
    handler: async (req, ctx) => {
      const id = idOf(req.params);
      await advanceDeployment(ctx, id);
      const dep = ctx.state.get(id);
      if (!dep) throw deploymentNotFound(req.params.deploymentName);
      return { status: 200, body: dep };
    },
  });
  router.add({
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}/providers/Microsoft.Resources/deployments',
    api,
    handler: (req, ctx) => page(req, ctx, ctx.state.ofType(DEPLOYMENT_TYPE, `/subscriptions/${req.params.subscriptionId}/resourceGroups/${req.params.resourceGroupName}`)),
  });
  router.add({
    method: 'GET',
    template: `${DEPLOY}/operationStatuses/{operationId}`,
    api,
    poll: true,
    handler: async (req, ctx) => {
      const id = idOf(req.params);
      if (deploymentStatusOperationId(ctx, id) !== req.params.operationId) throw deploymentNotFound(req.params.deploymentName);
      await advanceDeployment(ctx, id);
      const state = String((ctx.state.get(id)?.properties as Record<string, unknown>)?.provisioningState);
      const done = state === 'Succeeded' || state === 'Failed';
      const error = (ctx.state.get(id)?.properties as Record<string, unknown>)?.error;
      return { status: 200, body: { status: done ? state : 'Running', ...(error ? { error } : {}) }, headers: (done ? {} : { 'retry-after': '0' }) as Record<string, string>, kind: 'poll' };
    },
  });
  router.add({
    method: 'GET',
    template: `${DEPLOY}/operations`,
    api,
    handler: async (req, ctx) => {
      const id = idOf(req.params);
      await advanceDeployment(ctx, id);
      if (!ctx.state.get(id)) throw deploymentNotFound(req.params.deploymentName);
      return page(req, ctx, deploymentOperations(ctx, id));
    },
  });
  router.add({
    method: 'GET',
    template: `${DEPLOY}/operations/{operationId}`,
    api,
    handler: async (req, ctx) => {
      const id = idOf(req.params);
      await advanceDeployment(ctx, id);
      const op = deploymentOperations(ctx, id).find((o) => String(o.operationId).toLowerCase() === req.params.operationId.toLowerCase());
      if (!op) throw deploymentOperationNotFound(req.params.operationId);
      return { status: 200, body: op };
    },
  });
  router.add({
    method: 'POST',
    template: `${DEPLOY}/validate`,
    api,
    action: 'Microsoft.Resources/deployments/validate/action',
    parseBody: parseJsonc,
    handler: (req, ctx) => {
      const body = requireBody(req);
      checkBody(body, req.params.deploymentName);
      const id = idOf(req.params);
      const prepared = prepare(ctx, id, body.properties.template, body.properties.parameters);
      return {
        status: 200,
        body: {
          id,
          name: req.params.deploymentName,
          type: DEPLOYMENT_TYPE,
          properties: {
            templateHash: '0',
            parameters: prepared.boundParameters,
            mode: body.properties.mode,
            provisioningState: 'Succeeded',
            timestamp: new Date(ctx.now()).toISOString(),
            duration: 'PT0S',
            correlationId: req.requestId,
            validatedResources: prepared.order.map((r) => ({ id: r.id })),
          },
        },
      };
    },
  });
}
