/**
 * Microsoft.PolicyInsights remediations: a task for one assignment (one reference of a set) that
 * brings its non-compliant resources into line, acting as the assignment's managed identity —
 * Modify as a PATCH of the resource with the definition's operations, DeployIfNotExists as a PUT of
 * the definition's embedded deployment to `Microsoft.Resources/deployments`, both through the
 * emulator's own router, so the identity's role assignments decide what it may do.
 */
import { createHash } from 'node:crypto';
import type { ArmRequest, ArmResult, Caller } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import { assignmentNotFound, assignmentWithoutIdentity, effectNotRemediable, noSuchReference, remediationNeedsReference, remediationNotFound, requiredPropertyMissing, resourceIdsOutOfRange, resourceIdsWithReEvaluation } from './errors.js';
import { keyOf, lastName, parseResourceId } from '../../arm/ids.js';
import { page, requireBody, systemData } from '../../arm/protocol.js';
import { effectivePolicies, evaluate, inScope, is, fieldScope, type EffectivePolicy } from './model.js';
import { resourceView } from '../private-link.js';
import { applicableOperations, applyOperations } from './operations.js';
import { evaluateValue } from './expressions.js';

export const REMEDIATION_TYPE = 'Microsoft.PolicyInsights/remediations';
const DEPLOYMENTS_API = '2021-04-01';

export interface RemediationDeployment {
  remediatedResourceId: string;
  deploymentId?: string;
  status: 'Succeeded' | 'Failed';
  resourceLocation?: string;
  error?: { code: string; message: string };
  createdOn: string;
  lastUpdatedOn: string;
}

function scopeOf(req: ArmRequest): string {
  const p = req.params;
  if (p.managementGroupId) return `/providers/Microsoft.Management/managementGroups/${p.managementGroupId}`;
  return p.resourceGroupName ? `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}` : `/subscriptions/${p.subscriptionId}`;
}

const deploymentsKey = (id: string) => `policyRemediationDeployments:${keyOf(id)}`;

/** The one policy the remediation is for: the assignment's definition, or the reference named in a set. */
function policyFor(ctx: EmulatorContext, assignmentId: string, referenceId: string | undefined): EffectivePolicy {
  if (!ctx.state.get(assignmentId)) throw assignmentNotFound(assignmentId);
  const policies = effectivePolicies(ctx, undefined, assignmentId);
  const isSet = policies.some((p) => p.setDefinition);
  if (isSet && !referenceId) throw remediationNeedsReference(assignmentId);
  const policy = isSet ? policies.find((p) => p.referenceId?.toLowerCase() === referenceId!.toLowerCase()) : policies[0];
  if (!policy) throw noSuchReference(assignmentId, referenceId);
  if (!is(policy.effect, 'DeployIfNotExists') && !is(policy.effect, 'Modify')) {
    throw effectNotRemediable(lastName(policy.definition.id), policy.effect);
  }
  return policy;
}

async function remediateOne(ctx: EmulatorContext, policy: EffectivePolicy, caller: Caller, resourceId: string): Promise<RemediationDeployment> {
  const at = new Date(ctx.now()).toISOString();
  const r = ctx.state.get(resourceId)!;
  const view = resourceView(ctx, r);
  const base = { remediatedResourceId: resourceId, resourceLocation: r.location, createdOn: at, lastUpdatedOn: at };
  let result: ArmResult & { apiVersion: string };
  let deploymentId: string | undefined;
  if (is(policy.effect, 'Modify')) {
    const version = (await ctx.internalRequest('GET', resourceId, undefined, caller)).apiVersion;
    const patch: Record<string, unknown> = {};
    applyOperations(policy, applicableOperations(policy, view, version), view, patch, version);
    result = await ctx.internalRequest('PATCH', resourceId, patch, caller, version);
  } else {
    const deployment = policy.definition.properties.policyRule.then.details.deployment;
    const scope = fieldScope(policy, view);
    const parameters = Object.fromEntries(Object.entries((deployment.properties.parameters ?? {}) as Record<string, { value: unknown }>).map(([k, v]) => [k, { value: evaluateValue(v.value, scope) }]));
    const p = parseResourceId(resourceId);
    const name = `PolicyDeployment_${createHash('sha256').update(`${policy.assignment.id}|${policy.referenceId ?? ''}|${resourceId}|${at}`).digest('hex').slice(0, 20)}`;
    deploymentId = `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroup}/providers/Microsoft.Resources/deployments/${name}`;
    result = await ctx.internalRequest('PUT', deploymentId, { properties: { mode: deployment.properties.mode ?? 'Incremental', template: deployment.properties.template, parameters } }, caller, DEPLOYMENTS_API);
    if (result.status < 300) {
      const read = await ctx.internalRequest('GET', deploymentId, undefined, caller, DEPLOYMENTS_API);
      const state = (read.body as { properties?: { provisioningState?: string; error?: { code: string; message: string } } } | undefined)?.properties;
      if (state?.provisioningState === 'Failed') return { ...base, deploymentId, status: 'Failed', error: state.error ?? { code: 'DeploymentFailed', message: 'The deployment failed.' } };
    }
  }
  if (result.status >= 300) {
    const error = (result.body as { error?: { code: string; message: string } } | undefined)?.error ?? { code: 'RemediationFailed', message: `HTTP ${result.status}` };
    return { ...base, deploymentId, status: 'Failed', error: { code: error.code, message: error.message } };
  }
  return { ...base, deploymentId, status: 'Succeeded' };
}

export async function putRemediation(req: ArmRequest, ctx: EmulatorContext): Promise<ArmResult> {
  const existing = ctx.state.get(req.path);
  // The emulator treats a PUT of an existing remediation as a read of it (unverified); the product never sends one.
  if (existing) return { status: 200, body: existing };
  const props = requireBody(req).properties;
  if (!props || typeof props.policyAssignmentId !== 'string') throw requiredPropertyMissing('policyAssignmentId');
  const policy = policyFor(ctx, props.policyAssignmentId, props.policyDefinitionReferenceId);
  const principalId = policy.assignment.identity?.principalId;
  if (!principalId) throw assignmentWithoutIdentity(policy.assignment.id);
  const scope = scopeOf(req);
  const caller: Caller = { objectId: principalId, tenantId: ctx.state.tenantId };
  const wanted = ((props.filters?.locations ?? []) as string[]).map((l) => l.toLowerCase());
  const ids = props.filters?.resourceIds as string[] | undefined;
  if (ids && (!ids.length || ids.length > 100)) throw resourceIdsOutOfRange();
  if (ids && String(props.resourceDiscoveryMode ?? '').toLowerCase() === 'reevaluatecompliance') throw resourceIdsWithReEvaluation();
  const named = ids && new Set(ids.map((i) => keyOf(i)));
  const targets = [...ctx.state.resources.values()].filter((r) => {
    const a = policy.assignment.properties;
    if (!inScope(ctx, scope, r.id) || !inScope(ctx, a.scope, r.id) || ((a.notScopes ?? []) as string[]).some((n) => inScope(ctx, n, r.id))) return false;
    if (wanted.length && !wanted.includes(String(r.location ?? '').toLowerCase())) return false;
    if (named && !named.has(keyOf(r.id))) return false;
    return evaluate(ctx, policy, resourceView(ctx, r)) === false;
  }).slice(0, Number(props.resourceCount) || 500);
  const deployments: RemediationDeployment[] = [];
  for (const r of targets) deployments.push(await remediateOne(ctx, policy, caller, r.id));
  ctx.state.extras[deploymentsKey(req.path)] = deployments;
  const at = new Date(ctx.now()).toISOString();
  const failed = deployments.filter((d) => d.status === 'Failed').length;
  const remediation = ctx.state.put({
    id: req.path,
    type: REMEDIATION_TYPE,
    name: req.params.remediationName,
    properties: {
      policyAssignmentId: props.policyAssignmentId,
      ...(props.policyDefinitionReferenceId ? { policyDefinitionReferenceId: props.policyDefinitionReferenceId } : {}),
      resourceDiscoveryMode: props.resourceDiscoveryMode ?? 'ExistingNonCompliant',
      provisioningState: failed ? 'Failed' : 'Succeeded',
      createdOn: at,
      lastUpdatedOn: at,
      ...(props.filters ? { filters: props.filters } : {}),
      deploymentStatus: { totalDeployments: deployments.length, successfulDeployments: deployments.length - failed, failedDeployments: failed },
      statusMessage: failed ? `${failed} of ${deployments.length} remediation deployment(s) failed.` : `${deployments.length} resource(s) remediated.`,
      correlationId: ctx.newGuid(),
    },
    systemData: systemData(ctx, req),
  });
  // The task runs in the background on Azure; its first answer says Accepted (Remediations_CreateSubscriptionScope).
  return { status: 201, body: { ...remediation, properties: { ...remediation.properties, provisioningState: 'Accepted' } } };
}

export function getRemediation(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const r = ctx.state.get(req.path);
  if (!r) throw remediationNotFound(req.params.remediationName);
  return { status: 200, body: r };
}

export function listRemediations(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const prefix = keyOf(`${scopeOf(req)}/providers/${REMEDIATION_TYPE}/`);
  return page(req, ctx, ctx.state.ofType(REMEDIATION_TYPE).filter((r) => keyOf(r.id).startsWith(prefix)));
}

export function listDeployments(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const id = req.path.replace(/\/listDeployments$/i, '');
  if (!ctx.state.get(id)) throw remediationNotFound(req.params.remediationName);
  return page(req, ctx, (ctx.state.extras[deploymentsKey(id)] ?? []) as unknown[]);
}

export function deleteRemediation(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const r = ctx.state.get(req.path);
  if (!r) return { status: 204 };
  ctx.state.delete(req.path);
  delete ctx.state.extras[deploymentsKey(req.path)];
  return { status: 200, body: r };
}
