/**
 * Azure RBAC for the emulator's writes: a caller may perform an action at a scope when one of
 * its role assignments at that scope or above grants a role whose actions match and notActions do not.
 */
import type { Authorizer, EmulatorContext } from '../../context.js';
import { isAtOrAbove, lastName } from '../../arm/ids.js';
import { actionMatches, builtInRoleById, type RolePermission } from './builtin-roles.js';

export function roleAssignmentsOf(ctx: EmulatorContext, principalId: string) {
  return ctx.state
    .ofType('Microsoft.Authorization/roleAssignments')
    .filter((a) => String(a.properties?.principalId).toLowerCase() === principalId.toLowerCase());
}

/** Permissions of a role definition id (built-in or custom in the state). */
export function rolePermissions(ctx: EmulatorContext, roleDefinitionId: string): RolePermission[] {
  const guid = lastName(roleDefinitionId);
  const builtIn = builtInRoleById(guid);
  if (builtIn) return builtIn.permissions;
  const custom = ctx.state
    .ofType('Microsoft.Authorization/roleDefinitions')
    .find((d) => String(d.name).toLowerCase() === guid.toLowerCase());
  return (custom?.properties?.permissions as RolePermission[] | undefined) ?? [];
}

export function grants(perms: RolePermission[], action: string, data = false): boolean {
  return perms.some((p) => {
    const allow = data ? p.dataActions ?? [] : p.actions ?? [];
    const deny = data ? p.notDataActions ?? [] : p.notActions ?? [];
    return allow.some((a) => actionMatches(a, action)) && !deny.some((a) => actionMatches(a, action));
  });
}

/** Whether the principal holds, at `scope` or above, a role granting `action` (a data action when `data`). */
export function principalCan(ctx: EmulatorContext, principalId: string, action: string, scope: string, data = false): boolean {
  return roleAssignmentsOf(ctx, principalId).some(
    (a) => isAtOrAbove(String(a.properties?.scope ?? ''), scope) && grants(rolePermissions(ctx, String(a.properties?.roleDefinitionId)), action, data),
  );
}

export function createAuthorizer(ctx: EmulatorContext): Authorizer {
  return { can: (caller, action, scope) => principalCan(ctx, caller.objectId, action, scope) };
}
