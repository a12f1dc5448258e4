/**
 * The assignment's managed identity gets exactly the roles its remediating definitions name in
 * `roleDefinitionIds`, at the assignment's scope — and, for a parameter whose metadata says
 * `assignPermissions` (the private DNS zone ids), at the resource the parameter names, as the portal
 * does. The SDK and the CLI make none of these for you.
 */
import type { RoleAssignment } from '@azure/arm-authorization';
import type { Change, StepPlan } from '../plan/types.js';
import { noOp } from '../plan/types.js';
import { arm } from './context.js';
import { createNamedAssignment } from './grant.js';
import { deterministicGuid } from '../azure/deterministic-name.js';
import { AzureOperationError } from '../core/errors.js';
import { subscriptionOf } from '../core/resource-id.js';
import { isAtOrAbove } from '../posture/roles.js';
import { assignmentId, memberEffect, memberRoles, remediates, type PolicyContext } from './policy-context.js';
import { readAssignment } from './policy-initiative.js';

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

const roleAssignmentId = (grant: RoleGrant, forAssignment: string) => `${grant.scope}/providers/Microsoft.Authorization/roleAssignments/${roleAssignmentName(grant, forAssignment)}`;

function roleDefinitionFor(grant: RoleGrant): string {
  return grant.scope.toLowerCase().startsWith('/subscriptions/')
    ? `/subscriptions/${subscriptionOf(grant.scope)}/providers/Microsoft.Authorization/roleDefinitions/${grant.roleGuid}`
    : `/providers/Microsoft.Authorization/roleDefinitions/${grant.roleGuid}`;
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
  const missing: RoleGrant[] = [];
  for (const g of grants) {
    const property = `roleAssignments[${g.roleGuid}] for ${g.why.join(', ')}`;
    const existing = principalId ? await held(ctx, principalId, g) : undefined;
    if (existing) changes.push(noOp(existing.id ?? roleAssignmentId(g, forAssignment), property, `${g.roleGuid} for ${principalId} at ${existing.scope}`));
    else {
      missing.push(g);
      changes.push({ action: 'create', resourceId: roleAssignmentId(g, forAssignment), property, before: null, after: { roleDefinitionId: roleDefinitionFor(g), principalId: principalId ?? "(the assignment's identity)", principalType: 'ServicePrincipal', scope: g.scope } });
    }
  }
  if (!missing.length) return { ...ROLES_STEP, changes };
  return {
    ...ROLES_STEP,
    changes,
    requires: missing.map((g) => ({ action: 'Microsoft.Authorization/roleAssignments/write', scope: g.scope, why: `giving the policy identity role ${g.roleGuid}` })),
    apply: async () => {
      const pid = principalId ?? (await readAssignment(ctx))?.identity?.principalId;
      if (!pid) throw new AzureOperationError(`The assignment ${forAssignment} has no managed identity to give roles to.`, 'PrincipalNotFound', 'Run the same command again; it assigns the initiative with a system-assigned identity first.');
      for (const g of missing) await createRoleAssignment(ctx, g, pid, forAssignment);
    },
  };
}

function createRoleAssignment(ctx: PolicyContext, grant: RoleGrant, principalId: string, forAssignment: string): Promise<void> {
  return createNamedAssignment(ctx, grant.scope, principalId, roleDefinitionFor(grant), roleAssignmentName(grant, forAssignment), {
    subscriptionId: subscriptionFor(ctx, grant.scope),
    doing: `assigning role ${grant.roleGuid} to the policy identity ${principalId} on ${grant.scope}`,
  });
}
