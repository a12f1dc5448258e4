/**
 * Resource Graph's tables over the emulator's state, limited to the subscriptions of the request that
 * the caller may read: `resources` (every ARM resource but resource groups and Microsoft.Authorization
 * objects, with `type` in lower case as Resource Graph returns it) and `authorizationresources` (role
 * assignments, custom role definitions and the built-in ones).
 */
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { isAtOrAbove, keyOf, parseResourceId } from '../../arm/ids.js';
import { managementGroupExists, managementGroupId, subscriptionsBelow } from '../../arm/management-groups.js';
import { BUILT_IN_ROLES } from '../authorization/builtin-roles.js';
import { grants, roleAssignmentsOf, rolePermissions } from '../authorization/authorizer.js';
import { connectionsByTarget, resourceView } from '../private-link.js';
import type { Row } from './kql.js';

const NOT_IN_RESOURCES = /^microsoft\.(resources|authorization)\/|\/privateendpointconnections$/i;
const AUTHORIZATION_TYPES = new Set(['microsoft.authorization/roleassignments', 'microsoft.authorization/roledefinitions']);

/**
 * Whether the caller may read at a scope: its assignments gathered once per query, and each
 * assignment's answer for an action remembered (a page of an estate asks the same few actions often).
 */
function readerOf(ctx: EmulatorContext, objectId: string): (action: string, scope: string) => boolean {
  const held = roleAssignmentsOf(ctx, objectId).map((a) => ({
    scope: keyOf(String(a.properties?.scope ?? '/')),
    perms: rolePermissions(ctx, String(a.properties?.roleDefinitionId)),
    answers: new Map<string, boolean>(),
  }));
  const grantsOnce = (h: (typeof held)[number], action: string) => {
    let yes = h.answers.get(action);
    if (yes === undefined) h.answers.set(action, (yes = grants(h.perms, action)));
    return yes;
  };
  return (action, scope) => {
    const k = keyOf(scope);
    return held.some((h) => (h.scope === '/' || k === h.scope || k.startsWith(h.scope + '/')) && grantsOnce(h, action));
  };
}

function row(ctx: EmulatorContext, r: Resource, connections: Map<string, Resource[]>): Row {
  const p = parseResourceId(r.id);
  return {
    id: r.id,
    name: r.name ?? p.names[p.names.length - 1] ?? '',
    type: String(r.type ?? '').toLowerCase(),
    tenantId: ctx.state.tenantId,
    kind: r.kind ?? '',
    location: r.location ?? '',
    resourceGroup: p.resourceGroup ?? '',
    subscriptionId: p.subscriptionId ?? '',
    managedBy: r.managedBy ?? '',
    sku: r.sku ?? null,
    plan: r.plan ?? null,
    properties: resourceView(ctx, r, connections.get(keyOf(r.id)) ?? []).properties ?? {},
    tags: r.tags ?? {},
    identity: r.identity ?? null,
    zones: r.zones ?? null,
    extendedLocation: r.extendedLocation ?? null,
  };
}

export function tableRows(ctx: EmulatorContext, table: string, subscriptionIds: string[], callerObjectId: string, typeWanted: (type: string) => boolean = () => true): Row[] {
  const subs = new Set(subscriptionIds.map((s) => s.toLowerCase()));
  const may = readerOf(ctx, callerObjectId);
  const rows: Row[] = [];
  const connections = table === 'resources' ? connectionsByTarget(ctx) : new Map<string, Resource[]>();
  const inScope = (id: string) => {
    const sub = parseResourceId(id).subscriptionId;
    return !!sub && subs.has(sub.toLowerCase());
  };
  for (const r of ctx.state.resources.values()) {
    const type = String(r.type ?? '').toLowerCase();
    const wanted = (table === 'resources' ? !NOT_IN_RESOURCES.test(type) : AUTHORIZATION_TYPES.has(type)) && typeWanted(type);
    if (!wanted || !inScope(r.id) || !may(`${r.type}/read`, r.id)) continue;
    rows.push(row(ctx, r, connections));
  }
  if (table === 'authorizationresources' && subs.size && typeWanted('microsoft.authorization/roledefinitions')) {
    for (const role of BUILT_IN_ROLES) {
      const id = `/providers/Microsoft.Authorization/RoleDefinitions/${role.name}`;
      rows.push({
        id,
        name: role.name,
        type: 'microsoft.authorization/roledefinitions',
        tenantId: '',
        kind: '',
        location: '',
        resourceGroup: '',
        subscriptionId: '',
        properties: { roleName: role.roleName, type: 'BuiltInRole', description: role.description, permissions: role.permissions, assignableScopes: ['/'] },
      });
    }
  }
  return rows;
}

/** Subscriptions a query covers: those named, those of the management groups named, else every one the caller can read. */
export function scopeSubscriptions(ctx: EmulatorContext, body: { subscriptions?: string[]; managementGroups?: string[] }, callerObjectId: string): { subscriptions: string[]; unknownGroups: string[] } {
  const may = readerOf(ctx, callerObjectId);
  const readable = (id: string) => may('Microsoft.Resources/subscriptions/read', `/subscriptions/${id}`) || callerHoldsBelow(ctx, callerObjectId, id);
  const known = [...ctx.state.subscriptions.values()].map((s) => s.subscriptionId);
  if (body.subscriptions?.length) return { subscriptions: body.subscriptions.filter((s) => known.some((k) => k.toLowerCase() === s.toLowerCase())), unknownGroups: [] };
  if (body.managementGroups?.length) {
    const unknownGroups = body.managementGroups.filter((g) => !managementGroupExists(ctx.state, g));
    const subs = body.managementGroups.flatMap((g) => [...subscriptionsBelow(ctx.state, managementGroupId(g))]);
    return { subscriptions: [...new Set(subs)], unknownGroups };
  }
  return { subscriptions: known.filter(readable), unknownGroups: [] };
}

/** A caller with a role only on a resource group still sees that group's resources at tenant scope. */
function callerHoldsBelow(ctx: EmulatorContext, objectId: string, subscriptionId: string): boolean {
  return roleAssignmentsOf(ctx, objectId).some((a) => isAtOrAbove(`/subscriptions/${subscriptionId}`, String(a.properties?.scope ?? '')));
}
