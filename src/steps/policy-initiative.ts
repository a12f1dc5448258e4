/**
 * The initiative (a custom policy set of the built-ins) and its assignment: read, compare with what
 * this run's choices make, write only what differs. The assignment carries a system-assigned identity
 * when a member remediates (Modify, DeployIfNotExists).
 */
import type { PolicyAssignment, PolicySetDefinition } from '@azure/arm-policy';
import type { Change, StepPlan } from '../plan/types.js';
import { noOp } from '../plan/types.js';
import { orUndefined } from '../posture/not-found.js';
import { assignmentParameters, builtInDefinitionId, initiativeParameters, ASSIGNMENT_NAME, INITIATIVE_NAME } from '../posture/policy-initiative.js';
import { assignmentId, initiativeId, memberEffect, remediates, type PolicyContext } from './policy-context.js';

export const INITIATIVE_STEP = { id: 'policy-initiative', title: 'Define the initiative of built-in policies' } as const;
export const ASSIGNMENT_STEP = { id: 'policy-assignment', title: 'Assign the initiative' } as const;

const DISPLAY_NAME = 'secure-docintel: Document Intelligence with managed identity and private endpoints';

function wantedInitiative(ctx: PolicyContext): PolicySetDefinition {
  return {
    displayName: DISPLAY_NAME,
    description: "The posture of Microsoft's guide 'Configure secure access with managed identities and private endpoints' for Azure AI Document Intelligence, as built-in policies.",
    metadata: { category: 'Cognitive Services', createdBy: 'secure-docintel' },
    parameters: initiativeParameters(ctx.members),
    policyDefinitions: ctx.members.map((m) => ({
      policyDefinitionId: builtInDefinitionId(m.guid),
      policyDefinitionReferenceId: m.referenceId,
      parameters: Object.fromEntries(Object.entries(m.parameters).map(([own, from]) => [own, { value: `[parameters('${from}')]` }])),
    })),
  };
}

/** What a set definition is, for comparison: its references and parameter names, ids in lowercase. */
function shapeOfInitiative(d: PolicySetDefinition | undefined): unknown {
  if (!d) return null;
  return {
    policyDefinitions: (d.policyDefinitions ?? []).map((r) => ({ id: r.policyDefinitionId.toLowerCase(), ref: r.policyDefinitionReferenceId, parameters: r.parameters ?? {} })),
    parameters: Object.keys(d.parameters ?? {}).sort(),
  };
}

export async function readInitiative(ctx: PolicyContext): Promise<PolicySetDefinition | undefined> {
  const client = await ctx.session.policy(ctx.scope.subscriptionId);
  const id = initiativeId(ctx.scope);
  return orUndefined(`reading ${id}`, () =>
    ctx.scope.kind === 'managementGroup' ? client.policySetDefinitions.getAtManagementGroup(ctx.scope.managementGroup!, INITIATIVE_NAME) : client.policySetDefinitions.get(INITIATIVE_NAME),
  );
}

export function planInitiative(ctx: PolicyContext, current: PolicySetDefinition | undefined): StepPlan {
  const id = initiativeId(ctx.scope);
  const wanted = wantedInitiative(ctx);
  const before = current ? (current.policyDefinitions ?? []).map((r) => r.policyDefinitionReferenceId) : null;
  const after = (wanted.policyDefinitions ?? []).map((r) => r.policyDefinitionReferenceId);
  if (JSON.stringify(shapeOfInitiative(current)) === JSON.stringify(shapeOfInitiative(wanted))) return { ...INITIATIVE_STEP, changes: [noOp(id, 'policyDefinitions', after)] };
  const change: Change = { action: current ? 'update' : 'create', resourceId: id, property: 'policyDefinitions', before, after };
  return {
    ...INITIATIVE_STEP,
    changes: [change],
    requires: [{ action: 'Microsoft.Authorization/policySetDefinitions/write', scope: ctx.scope.id, why: `defining the initiative ${INITIATIVE_NAME}` }],
    writes: [{ operation: 'put-policy-set-definition', resourceId: id, body: wanted as Record<string, unknown>, changes: [change] }],
  };
}

export async function readAssignment(ctx: PolicyContext): Promise<PolicyAssignment | undefined> {
  const client = await ctx.session.policy(ctx.scope.subscriptionId);
  return orUndefined(`reading ${assignmentId(ctx.scope)}`, () => client.policyAssignments.get(ctx.scope.id, ASSIGNMENT_NAME));
}

export function needsIdentity(ctx: PolicyContext): boolean {
  return ctx.members.some((m) => remediates(memberEffect(ctx, m)));
}

function wantedAssignment(ctx: PolicyContext): PolicyAssignment {
  const identity = needsIdentity(ctx);
  return {
    displayName: DISPLAY_NAME,
    description: 'Assigned by secure-docintel policy.',
    policyDefinitionId: initiativeId(ctx.scope),
    parameters: assignmentParameters(ctx.choices, ctx.members),
    enforcementMode: 'Default',
    metadata: { assignedBy: 'secure-docintel' },
    ...(identity ? { identity: { type: 'SystemAssigned' }, location: ctx.location } : {}),
  };
}

/** What an assignment is, for comparison. */
function shapeOfAssignment(a: PolicyAssignment | undefined): unknown {
  if (!a) return null;
  return {
    definition: a.policyDefinitionId?.toLowerCase(),
    parameters: Object.fromEntries(Object.entries(a.parameters ?? {}).map(([k, v]) => [k, v.value]).sort()),
    identity: a.identity?.type ?? 'None',
    enforcementMode: a.enforcementMode ?? 'Default',
  };
}

export function planAssignment(ctx: PolicyContext, current: PolicyAssignment | undefined): StepPlan {
  const id = assignmentId(ctx.scope);
  const wanted = wantedAssignment(ctx);
  const after = shapeOfAssignment(wanted);
  if (JSON.stringify(shapeOfAssignment(current)) === JSON.stringify(after)) return { ...ASSIGNMENT_STEP, changes: [noOp(id, 'properties', after)] };
  const change: Change = { action: current ? 'update' : 'create', resourceId: id, property: 'properties', before: shapeOfAssignment(current), after };
  // A changed identity keeps its principal; Azure keeps the location of an existing assignment.
  const body = current?.location ? { ...wanted, location: current.location } : wanted;
  return {
    ...ASSIGNMENT_STEP,
    changes: [change],
    requires: [{ action: 'Microsoft.Authorization/policyAssignments/write', scope: ctx.scope.id, why: `assigning the initiative as ${ASSIGNMENT_NAME}` }],
    writes: [{ operation: 'put-policy-assignment', resourceId: id, body: body as Record<string, unknown>, changes: [change] }],
  };
}
