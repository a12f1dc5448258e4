/** Where policy resources live: built-ins at the tenant root, custom ones at a subscription or management group. */
import type { ArmRequest } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import { managementGroupNotFound } from './errors.js';
import { normalizePath } from '../../arm/ids.js';
import { managementGroupExists } from '../../arm/management-groups.js';

export const SUBSCRIPTION = '/subscriptions/{subscriptionId}';
export const RESOURCE_GROUP = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}';
export const MANAGEMENT_GROUP = '/providers/Microsoft.Management/managementGroups/{managementGroupId}';

/** The scope part of a request path: everything before `/providers/<namespace>/`. */
export function scopeBefore(req: ArmRequest, namespace: string): string {
  const idx = req.path.toLowerCase().lastIndexOf(`/providers/${namespace.toLowerCase()}/`);
  return normalizePath(req.path.slice(0, idx)) || '/';
}

/**
 * A management group in the path must exist (as a `Microsoft.Management/managementGroups` resource in the
 * store): the guard of every policy route (index.ts), before its handler. Policy states name it
 * `{managementGroupName}`, the others `{managementGroupId}`.
 */
export function requireManagementGroup(req: ArmRequest, ctx: EmulatorContext): void {
  const mg = req.params.managementGroupId ?? req.params.managementGroupName;
  if (!mg) return;
  if (!managementGroupExists(ctx.state, mg)) throw managementGroupNotFound(mg);
}
