/** Role definitions as ARM returns them: built-in roles (fixed GUIDs) and custom roles from the state. */
import type { ArmRequest, ArmResult } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { invalidFilter, roleDefinitionDoesNotExist } from './errors.js';
import { isAtOrAbove } from '../../arm/ids.js';
import { page } from '../../arm/protocol.js';
import { BUILT_IN_ROLES, builtInRoleById, type BuiltInRole } from './builtin-roles.js';
import { quoted, scopeOf, subscriptionOf } from './scopes.js';

export const ROLE_DEFINITION_TYPE = 'Microsoft.Authorization/roleDefinitions';

// Azure reports the dates the built-in roles were created and last changed; one fixed pair stands in for them.
const BUILT_IN_CREATED_ON = '2015-02-02T21:55:09.8806423Z';
const BUILT_IN_UPDATED_ON = '2024-01-10T16:25:07.1234567Z';

/** Built-in role ids are reported under the scope's subscription (or the root when there is none). */
export function roleDefinitionIdAt(scope: string, guid: string): string {
  const sub = subscriptionOf(scope);
  return `${sub ? `/subscriptions/${sub}` : ''}/providers/${ROLE_DEFINITION_TYPE}/${guid}`;
}

function builtInBody(role: BuiltInRole, scope: string): Record<string, unknown> {
  return {
    properties: {
      roleName: role.roleName,
      type: 'BuiltInRole',
      description: role.description,
      assignableScopes: ['/'],
      permissions: role.permissions,
      createdOn: BUILT_IN_CREATED_ON,
      updatedOn: BUILT_IN_UPDATED_ON,
      createdBy: null,
      updatedBy: null,
    },
    id: roleDefinitionIdAt(scope, role.name),
    type: ROLE_DEFINITION_TYPE,
    name: role.name,
  };
}

/** A custom role is available at a scope when one of its assignable scopes is at, above or below it. */
function customRolesAt(ctx: EmulatorContext, scope: string): Resource[] {
  return ctx.state.ofType(ROLE_DEFINITION_TYPE).filter((d) => {
    const scopes = (d.properties?.assignableScopes as string[] | undefined) ?? [];
    return scopes.some((s) => isAtOrAbove(s, scope) || isAtOrAbove(scope, s));
  });
}

/** Whether a custom role may be assigned at `scope`: one of its assignable scopes is at or above it. */
export function customRoleAssignableAt(role: Resource, scope: string): boolean {
  return ((role.properties?.assignableScopes as string[] | undefined) ?? []).some((s) => isAtOrAbove(s, scope));
}

export function findCustomRole(ctx: EmulatorContext, guid: string): Resource | undefined {
  return ctx.state.ofType(ROLE_DEFINITION_TYPE).find((d) => String(d.name).toLowerCase() === guid.toLowerCase());
}

export function getRoleDefinition(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const scope = scopeOf(req);
  const guid = req.params.roleDefinitionId;
  const builtIn = builtInRoleById(guid);
  if (builtIn) return { status: 200, body: builtInBody(builtIn, scope) };
  const custom = findCustomRole(ctx, guid);
  if (custom && customRolesAt(ctx, scope).includes(custom)) return { status: 200, body: custom };
  throw roleDefinitionDoesNotExist(404, guid);
}

/** `$filter`: `roleName eq '…'`, `type eq 'BuiltInRole'|'CustomRole'`, optionally joined with `and`. */
export function listRoleDefinitions(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const scope = scopeOf(req);
  let items: Record<string, any>[] = [...BUILT_IN_ROLES.map((r) => builtInBody(r, scope)), ...customRolesAt(ctx, scope)];
  const filter = req.query.get('$filter')?.trim();
  if (filter) {
    for (const clause of filter.split(/\s+and\s+/i)) {
      const roleName = quoted(clause, /^roleName\s+eq\s+'(.*)'$/i);
      const type = quoted(clause, /^type\s+eq\s+'(.*)'$/i);
      if (roleName !== undefined) items = items.filter((d) => String(d.properties.roleName).toLowerCase() === roleName.toLowerCase());
      else if (type !== undefined) items = items.filter((d) => String(d.properties.type).toLowerCase() === type.toLowerCase());
      else throw invalidFilter(filter);
    }
  }
  return page(req, ctx, items);
}
