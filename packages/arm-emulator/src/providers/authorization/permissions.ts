/**
 * `Microsoft.Authorization/permissions`: what the caller may do at a scope, one entry per role
 * assignment of the caller at that scope or above, each the role definition's permission blocks
 * as they are (patterns, not expanded). Clients evaluate them: an action is allowed when some
 * entry's actions match it and that entry's notActions do not.
 */
import type { ArmRequest, ArmResult } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import { isAtOrAbove } from '../../arm/ids.js';
import { page } from '../../arm/protocol.js';
import { roleAssignmentsOf, rolePermissions } from './authorizer.js';
import { requireScopeResource, scopeOf } from './scopes.js';

export function listPermissions(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const scope = scopeOf(req);
  requireScopeResource(ctx, scope);
  const caller = req.caller?.objectId;
  const entries = caller
    ? roleAssignmentsOf(ctx, caller)
        .filter((a) => isAtOrAbove(String(a.properties?.scope ?? ''), scope))
        .flatMap((a) => rolePermissions(ctx, String(a.properties?.roleDefinitionId)))
        .map((p) => ({
          actions: [...(p.actions ?? [])],
          notActions: [...(p.notActions ?? [])],
          dataActions: [...(p.dataActions ?? [])],
          notDataActions: [...(p.notDataActions ?? [])],
        }))
    : [];
  return page(req, ctx, entries);
}
