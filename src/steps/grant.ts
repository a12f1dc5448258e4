/**
 * Guide step 3 — "Enable access to storage from Document Intelligence": the account's managed
 * identity gets Storage Blob Data Reader (or Contributor) on the storage account, unless it already
 * holds a role whose data actions cover what that role grants, at the account, its group or subscription.
 */
import type { RoleAssignment, RoleDefinition } from '@azure/arm-authorization';
import type { StepContext } from './context.js';
import { arm } from './context.js';
import type { Change, StepPlan } from '../plan/types.js';
import { noOp } from '../plan/types.js';
import { roleDefinition } from '../posture/read-role-definition.js';
import { deterministicGuid } from '../azure/deterministic-name.js';
import { explainAzureError } from '../azure/remedies.js';
import { DATA_ROLES, coversDataActions, isAtOrAbove } from '../posture/roles.js';
import { nameOf, rgOf, roleDefinitionId as roleDefinitionIdOf, subscriptionOf } from '../core/resource-id.js';

export { DATA_ROLES, coversDataActions, isAtOrAbove };

export const GRANT_STEP = { id: 'grant', title: 'Grant the identity access to storage' } as const;

export { roleDefinition };

export interface GrantTiming {
  /** how long to keep retrying PrincipalNotFound while the identity replicates */
  replicationWaitMs: number;
  firstDelayMs: number;
}

export function grantTiming(env: NodeJS.ProcessEnv): GrantTiming {
  const s = Number(env.SECURE_DOCINTEL_REPLICATION_WAIT_SECONDS);
  return { replicationWaitMs: Number.isFinite(s) && s >= 0 ? s * 1000 : 180_000, firstDelayMs: Number(env.SECURE_DOCINTEL_RETRY_DELAY_MS) || 2000 };
}

export async function planGrant(ctx: StepContext, principalId: string | undefined): Promise<StepPlan> {
  const storageId = ctx.targets.storage!.id;
  // The assignment's scope is the storage account, so it goes through that account's subscription.
  const sub = subscriptionOf(storageId);
  const role = DATA_ROLES[ctx.settings.role];
  const roleDefinitionId = roleDefinitionIdOf(sub, role.guid);
  const property = `roleAssignments[${role.roleName}]`;

  if (principalId) {
    const auth = await ctx.session.authorization(sub);
    const assignments: RoleAssignment[] = [];
    await arm(`listing role assignments on ${storageId}`, async () => {
      for await (const a of auth.roleAssignments.listForScope(storageId, { filter: `principalId eq '${principalId}'` })) assignments.push(a);
    });
    const definitions = new Map<string, RoleDefinition>();
    for (const a of assignments.filter((x) => isAtOrAbove(x.scope ?? '', storageId))) {
      const def = await roleDefinition(auth, a.roleDefinitionId!, definitions);
      if (coversDataActions(def, role.dataActions)) {
        return { ...GRANT_STEP, changes: [noOp(storageId, property, `${def.roleName} for ${principalId} at ${a.scope}`)] };
      }
    }
  }

  const after = { role: role.roleName, principalId: principalId ?? '(the identity created in step 1)', principalType: 'ServicePrincipal', scope: storageId };
  const change: Change = { action: 'create', resourceId: storageId, property, before: null, after };
  return {
    ...GRANT_STEP,
    changes: [change],
    requires: [{ action: 'Microsoft.Authorization/roleAssignments/write', scope: storageId, why: `assigning ${role.roleName} on ${ctx.targets.storage!.name}` }],
    writes: [{
      operation: 'put-role-assignment',
      resourceId: storageId,
      body: { roleDefinitionId, principalId, principalType: 'ServicePrincipal' },
      account: ctx.targets.account!.id,
      ...(principalId ? {} : { principalOf: ctx.targets.account?.id }),
      changes: [change],
    }],
  };
}

/** The identity made earlier in this run (setup): read the account back rather than trust memory. */
export async function currentPrincipal(ctx: StepContext, accountId: string): Promise<string | undefined> {
  const cog = await ctx.session.cognitive(subscriptionOf(accountId));
  const read = await arm(`reading ${accountId}`, () => cog.accounts.get(rgOf(accountId), nameOf(accountId)));
  return read.identity?.principalId;
}

/**
 * Creates the assignment, waiting while a new identity replicates (PrincipalNotFound). Its name is what
 * an exported template's guid() gives (scope, account, role): a name the
 * template can compute before the identity exists. An assignment of that name left from an earlier
 * identity of the account (turned off and on again) cannot be updated: then the principal joins the name.
 */
export async function createAssignment(ctx: StepContext, scope: string, principalId: string, roleDefinitionId: string, accountId: string): Promise<void> {
  try {
    await createNamedAssignment(ctx, scope, principalId, roleDefinitionId, deterministicGuid(scope, accountId, roleDefinitionId));
  } catch (e) {
    if ((e as { code?: string }).code !== 'RoleAssignmentUpdateNotPermitted') throw e;
    await createNamedAssignment(ctx, scope, principalId, roleDefinitionId, deterministicGuid(scope, accountId, roleDefinitionId, principalId));
  }
}

/**
 * PUTs a role assignment of that name for a service principal, waiting while a new identity replicates
 * (PrincipalNotFound) and taking an existing one as done; `policy` gives its assignment's identity its roles through it too.
 */
export async function createNamedAssignment(
  ctx: Pick<StepContext, 'session' | 'env' | 'host'>,
  scope: string,
  principalId: string,
  roleDefinitionId: string,
  name: string,
  opts: { subscriptionId?: string; doing?: string } = {},
): Promise<void> {
  const auth = await ctx.session.authorization(opts.subscriptionId ?? subscriptionOf(scope));
  const timing = grantTiming(ctx.env);
  const deadline = Date.now() + timing.replicationWaitMs;
  let delay = timing.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await auth.roleAssignments.create(scope, name, { roleDefinitionId, principalId, principalType: 'ServicePrincipal' });
      return;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'RoleAssignmentExists') return;
      if (code === 'PrincipalNotFound' && Date.now() + delay <= deadline) {
        ctx.host.debug(`identity ${principalId} not replicated yet (attempt ${attempt}); retrying in ${Math.round(delay / 1000)} s`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 30_000);
        continue;
      }
      throw explainAzureError(e, opts.doing ?? `assigning ${roleDefinitionId.split('/').pop()} to ${principalId} on ${scope}`);
    }
  }
}
