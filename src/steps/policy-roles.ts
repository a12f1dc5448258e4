/**
 * The assignment's managed identity gets exactly the roles its remediating definitions name in
 * `roleDefinitionIds`, at the assignment's scope — and, for a parameter whose metadata says
 * `assignPermissions` (the private DNS zone ids), at the resource the parameter names, as the portal
 * does. The SDK and the CLI make none of these for you.
 */
import type { RoleAssignment } from '@azure/arm-authorization';
import type { Change, StepPlan, Write } from '../plan/types.js';
import { noOp } from '../plan/types.js';
import { arm } from './context.js';
import { deterministicGuid } from '../azure/deterministic-name.js';
import { roleDefinitionId, scopedResourceId, subscriptionOf } from '../core/resource-id.js';
import type { Requirement } from '../posture/permissions.js';
import { isAtOrAbove } from '../posture/roles.js';
import { assignmentId, memberEffect, memberRoles, remediates, type PolicyContext } from './policy-context.js';

export const ROLES_STEP = { id: 'policy-roles', title: "Give the assignment's identity the roles its policies name" } as const;

export interface RoleGrant {
  scope: string;
  roleGuid: string;
  /** the member(s) that need it */
  why: string[];
}

/** Every (scope, role) the remediating members need, once each. */
export function roleGrants(ctx: PolicyContext): RoleGrant[] {
  const grants = new Map<string, RoleGrant>();
  const add = (scope: string, roleId: string, why: string) => {
    const roleGuid = roleId.split('/').pop()!.toLowerCase();
    const key = `${scope.toLowerCase()}|${roleGuid}`;
    const g = grants.get(key) ?? { scope, roleGuid, why: [] };
    if (!g.why.includes(why)) g.why.push(why);
    grants.set(key, g);
  };
  for (const m of ctx.members.filter((x) => remediates(memberEffect(ctx, x)))) {
    const roles = memberRoles(ctx, m);
    for (const r of roles) add(ctx.scope.id, r, m.referenceId);
    const declared = (ctx.definitions.get(m.guid)?.parameters ?? {}) as Record<string, { metadata?: { assignPermissions?: boolean } }>;
    for (const [own, from] of Object.entries(m.parameters)) {
      if (!declared[own]?.metadata?.assignPermissions) continue;
      const value = { accountPrivateDnsZoneId: ctx.choices.accountZoneId, blobPrivateDnsZoneId: ctx.choices.blobZoneId, privateEndpointSubnetId: ctx.choices.privateEndpointSubnetId }[from];
      if (value && !isAtOrAbove(ctx.scope.id, value)) for (const r of roles) add(value, r, m.referenceId);
    }
  }
  return [...grants.values()];
}

export function roleAssignmentName(grant: RoleGrant, forAssignment: string): string {
  return deterministicGuid(grant.scope, forAssignment, grant.roleGuid);
}

const roleAssignmentId = (grant: RoleGrant, forAssignment: string) => scopedResourceId(grant.scope, 'Microsoft.Authorization/roleAssignments', roleAssignmentName(grant, forAssignment));

function roleDefinitionFor(grant: RoleGrant): string {
  return grant.scope.toLowerCase().startsWith('/subscriptions/')
    ? roleDefinitionId(subscriptionOf(grant.scope), grant.roleGuid)
    : scopedResourceId('', 'Microsoft.Authorization/roleDefinitions', grant.roleGuid);
}

/** A client whose subscription can reach the scope (any, for a management group). */
function subscriptionFor(ctx: PolicyContext, scope: string): string {
  return scope.toLowerCase().startsWith('/subscriptions/') ? subscriptionOf(scope) : ctx.scope.subscriptionId ?? '00000000-0000-0000-0000-000000000000';
}

async function held(ctx: PolicyContext, principalId: string, grant: RoleGrant): Promise<RoleAssignment | undefined> {
  const auth = await ctx.session.authorization(subscriptionFor(ctx, grant.scope));
  const found: RoleAssignment[] = [];
  await arm(`listing role assignments on ${grant.scope}`, async () => {
    for await (const a of auth.roleAssignments.listForScope(grant.scope, { filter: `principalId eq '${principalId}'` })) found.push(a);
  });
  return found.find((a) => String(a.roleDefinitionId).split('/').pop()!.toLowerCase() === grant.roleGuid && isAtOrAbove(a.scope ?? '', grant.scope));
}

export async function planPolicyRoles(ctx: PolicyContext, principalId: string | undefined): Promise<StepPlan> {
  const forAssignment = assignmentId(ctx.scope);
  const grants = roleGrants(ctx);
  const changes: Change[] = [];
  const writes: Write[] = [];
  const requires: Requirement[] = [];
  for (const g of grants) {
    const property = `roleAssignments[${g.roleGuid}] for ${g.why.join(', ')}`;
    const existing = principalId ? await held(ctx, principalId, g) : undefined;
    if (existing) changes.push(noOp(existing.id ?? roleAssignmentId(g, forAssignment), property, `${g.roleGuid} for ${principalId} at ${existing.scope}`));
    else {
      const change: Change = { action: 'create', resourceId: roleAssignmentId(g, forAssignment), property, before: null, after: { roleDefinitionId: roleDefinitionFor(g), principalId: principalId ?? "(the assignment's identity)", principalType: 'ServicePrincipal', scope: g.scope } };
      changes.push(change);
      // a principal not known yet is the identity the assignment step gives the assignment
      writes.push({
        operation: 'put-policy-role-assignment', resourceId: change.resourceId, body: { roleDefinitionId: roleDefinitionFor(g), ...(principalId ? { principalId } : {}), principalType: 'ServicePrincipal' },
        principalOf: forAssignment, subscriptionId: subscriptionFor(ctx, g.scope), changes: [change],
      });
      requires.push({ action: 'Microsoft.Authorization/roleAssignments/write', scope: g.scope, why: `giving the policy identity role ${g.roleGuid}` });
    }
  }
  if (!writes.length) return { ...ROLES_STEP, changes };
  return {
    ...ROLES_STEP,
    changes,
    requires,
    writes,
  };
}
