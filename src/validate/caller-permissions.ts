/**
 * What the signed-in identity may do in ARM, for explaining AuthorizationFailed and
 * LinkedAuthorizationFailed: its object id from its token, its role assignments in the subscription
 * (one list), their definitions, and whether they grant an action at a scope.
 */
import type { RoleDefinition } from '@azure/arm-authorization';
import type { StepContext } from '../steps/context.js';
import { arm } from '../steps/context.js';
import { coversDataActions, isAtOrAbove } from '../posture/roles.js';

export interface CallerPermissions {
  objectId?: string;
  /** whether the caller holds `action` at `scope` (or above) */
  can(action: string, scope: string): boolean;
}

function objectIdOf(token: string): string | undefined {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).oid;
  } catch {
    return undefined;
  }
}

/** A role's control-plane actions seen as data actions, so one wildcard matcher (grant.ts) judges both. */
function asDataActions(def: RoleDefinition): RoleDefinition {
  return { ...def, permissions: (def.permissions ?? []).map((p) => ({ dataActions: p.actions ?? [], notDataActions: p.notActions ?? [] })) };
}

export async function callerPermissions(ctx: StepContext): Promise<CallerPermissions> {
  const scope = ctx.session.options.armEndpoint ? 'https://management.azure.com/.default' : ctx.settings.cloud.armScope;
  const token = await ctx.session.credential.getToken(scope);
  const objectId = token ? objectIdOf(token.token) : undefined;
  if (!objectId) return { can: () => false };
  const sub = ctx.targets.subscriptionId;
  const auth = await ctx.session.authorization(sub);
  const grants: { scope: string; def: RoleDefinition }[] = [];
  const definitions = new Map<string, RoleDefinition>();
  await arm(`listing role assignments of ${objectId}`, async () => {
    for await (const a of auth.roleAssignments.listForScope(`/subscriptions/${sub}`, { filter: `principalId eq '${objectId}'` })) {
      if (!a.scope || !a.roleDefinitionId) continue;
      const key = a.roleDefinitionId.toLowerCase();
      if (!definitions.has(key)) definitions.set(key, asDataActions(await auth.roleDefinitions.getById(a.roleDefinitionId)));
      grants.push({ scope: a.scope, def: definitions.get(key)! });
    }
  });
  return { objectId, can: (action, at) => grants.some((g) => isAtOrAbove(g.scope, at) && coversDataActions(g.def, [action])) };
}
