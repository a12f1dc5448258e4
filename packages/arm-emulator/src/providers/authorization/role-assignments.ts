/**
 * Role assignments: create with Azure's checks (GUID name, existing role, known principal,
 * replication window, duplicates), read, delete and list with Azure's `$filter` forms.
 */
import type { ArmRequest, ArmResult } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { assignmentExists, assignmentIdNotGuid, assignmentNotFound, assignmentPropertyMissing, assignmentUpdateNotPermitted, invalidFilter, principalNotFound, principalTypeInvalid, propertiesMissing, roleDefinitionDoesNotExist, unmatchedPrincipalType } from './errors.js';
import { isAtOrAbove, keyOf, lastName } from '../../arm/ids.js';
import { page, requireBody } from '../../arm/protocol.js';
import { builtInRoleById } from './builtin-roles.js';
import { customRoleAssignableAt, findCustomRole, roleDefinitionIdAt } from './role-definitions.js';
import { GUID, quoted, requireScopeResource, scopeOf } from './scopes.js';

export const ROLE_ASSIGNMENT_TYPE = 'Microsoft.Authorization/roleAssignments';
const PRINCIPAL_TYPES = ['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device'];

function assignmentId(scope: string, name: string): string {
  return `${scope === '/' ? '' : scope}/providers/${ROLE_ASSIGNMENT_TYPE}/${name}`;
}

/** The role definition id in Azure's canonical form, or RoleDefinitionDoesNotExist. */
function resolveRoleDefinition(ctx: EmulatorContext, roleDefinitionId: string, scope: string): string {
  const guid = lastName(roleDefinitionId);
  if (builtInRoleById(guid)) return roleDefinitionIdAt(scope, guid.toLowerCase());
  const custom = findCustomRole(ctx, guid);
  if (custom && customRoleAssignableAt(custom, scope)) return custom.id;
  throw roleDefinitionDoesNotExist(400, roleDefinitionId);
}

/** The principal type to record: the caller's, checked against the directory when it can see the principal. */
function resolvePrincipalType(ctx: EmulatorContext, principalId: string, given: string | undefined): string {
  if (given !== undefined && !PRINCIPAL_TYPES.some((t) => t.toLowerCase() === String(given).toLowerCase())) {
    throw principalTypeInvalid(given);
  }
  const visible = ctx.state.visiblePrincipal(principalId, ctx.now());
  if (!given) {
    if (!visible) throw principalNotFound(principalId, ctx.state.tenantId);
    return visible.type;
  }
  const type = PRINCIPAL_TYPES.find((t) => t.toLowerCase() === given.toLowerCase())!;
  // With a principalType Azure skips the directory lookup (replication delay); it still rejects a known principal of another type.
  if (visible && visible.type.toLowerCase() !== type.toLowerCase()) {
    throw unmatchedPrincipalType(principalId, visible.type, type);
  }
  return type;
}

function sameAssignment(a: Resource, scope: string, roleDefinitionId: string, principalId: string): boolean {
  return (
    keyOf(String(a.properties?.scope)) === keyOf(scope) &&
    lastName(String(a.properties?.roleDefinitionId)).toLowerCase() === lastName(roleDefinitionId).toLowerCase() &&
    String(a.properties?.principalId).toLowerCase() === principalId.toLowerCase()
  );
}

export function createRoleAssignment(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const scope = scopeOf(req);
  const name = req.params.roleAssignmentName;
  if (!GUID.test(name)) {
    throw assignmentIdNotGuid(name);
  }
  requireScopeResource(ctx, scope);
  const props = requireBody(req).properties;
  if (!props || typeof props !== 'object') {
    throw propertiesMissing();
  }
  for (const field of ['roleDefinitionId', 'principalId']) {
    if (typeof props[field] !== 'string' || !props[field]) {
      throw assignmentPropertyMissing(field);
    }
  }
  const principalId = String(props.principalId);
  const roleDefinitionId = resolveRoleDefinition(ctx, String(props.roleDefinitionId), scope);
  const id = assignmentId(scope, name);
  const existing = ctx.state.get(id);
  if (existing) {
    if (!sameAssignment(existing, scope, roleDefinitionId, principalId)) {
      throw assignmentUpdateNotPermitted();
    }
    // Only the description and condition of an assignment can change.
    existing.properties.description = props.description ?? existing.properties.description ?? null;
    existing.properties.condition = props.condition ?? existing.properties.condition ?? null;
    existing.properties.conditionVersion = props.conditionVersion ?? existing.properties.conditionVersion ?? null;
    existing.properties.updatedOn = new Date(ctx.now()).toISOString();
    existing.properties.updatedBy = req.caller?.objectId ?? null;
    return { status: 200, body: existing };
  }
  if (!GUID.test(principalId)) throw principalNotFound(principalId, ctx.state.tenantId);
  const principalType = resolvePrincipalType(ctx, principalId, props.principalType);
  if (ctx.state.ofType(ROLE_ASSIGNMENT_TYPE).some((a) => sameAssignment(a, scope, roleDefinitionId, principalId))) {
    throw assignmentExists();
  }
  const now = new Date(ctx.now()).toISOString();
  const assignment = ctx.state.put({
    properties: {
      roleDefinitionId,
      principalId,
      principalType,
      scope,
      condition: props.condition ?? null,
      conditionVersion: props.condition ? props.conditionVersion ?? '2.0' : null,
      createdOn: now,
      updatedOn: now,
      createdBy: req.caller?.objectId ?? null,
      updatedBy: req.caller?.objectId ?? null,
      delegatedManagedIdentityResourceId: props.delegatedManagedIdentityResourceId ?? null,
      description: props.description ?? null,
    },
    id,
    type: ROLE_ASSIGNMENT_TYPE,
    name,
  });
  return { status: 201, body: assignment };
}

export function getRoleAssignment(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const found = ctx.state.get(assignmentId(scopeOf(req), req.params.roleAssignmentName));
  if (!found) {
    throw assignmentNotFound(req.params.roleAssignmentName);
  }
  return { status: 200, body: found };
}

export function deleteRoleAssignment(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const id = assignmentId(scopeOf(req), req.params.roleAssignmentName);
  const found = ctx.state.get(id);
  if (!found) return { status: 204 };
  ctx.state.delete(id);
  return { status: 200, body: found };
}

/**
 * Azure's filters: none (assignments at, above and below the scope), `atScope()` (at or above),
 * `principalId eq '…'` and `assignedTo('…')` (that principal, at, above or below), combined with `and`.
 */
export function listRoleAssignments(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const scope = scopeOf(req);
  let items = ctx.state
    .ofType(ROLE_ASSIGNMENT_TYPE)
    .filter((a) => isAtOrAbove(String(a.properties?.scope), scope) || isAtOrAbove(scope, String(a.properties?.scope)));
  const filter = req.query.get('$filter')?.trim();
  if (filter) {
    for (const clause of filter.split(/\s+and\s+/i)) {
      const principal = quoted(clause, /^principalId\s+eq\s+'(.*)'$/i) ?? quoted(clause, /^assignedTo\('(.*)'\)$/i);
      if (/^atScope\(\)$/i.test(clause)) items = items.filter((a) => isAtOrAbove(String(a.properties?.scope), scope));
      else if (principal !== undefined) items = items.filter((a) => String(a.properties?.principalId).toLowerCase() === principal.toLowerCase());
      else throw invalidFilter(filter);
    }
  }
  return page(req, ctx, items);
}
