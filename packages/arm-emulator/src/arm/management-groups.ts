/**
 * Management groups, modelled once: the `Microsoft.Management/managementGroups` resources in the store,
 * whose `properties.children` name subscriptions (`/subscriptions/{id}`) and child groups, as
 * `GET managementGroups/{name}?$expand=children` shows them. Policy (scopes, assignments, compliance)
 * and Resource Graph (its `managementGroups` scope) both read them here. A scenario's
 * `extras.managementGroups` shorthand (`{ <name>: [subscription ids] }`) becomes such resources as it loads.
 */
import type { EmulatorState, Resource } from '../state.js';
import { keyOf, parseResourceId } from './ids.js';

export const MANAGEMENT_GROUP_TYPE = 'Microsoft.Management/managementGroups';
const PREFIX = '/providers/microsoft.management/managementgroups/';

export function managementGroupId(name: string): string {
  return `/providers/${MANAGEMENT_GROUP_TYPE}/${name}`;
}

export function isManagementGroupId(id: string): boolean {
  return id.toLowerCase().startsWith(PREFIX);
}

export function managementGroupExists(state: EmulatorState, name: string): boolean {
  return !!state.get(managementGroupId(name));
}

/** Subscriptions below a management group (its `properties.children`, recursively), lowercase. */
export function subscriptionsBelow(state: EmulatorState, groupId: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(keyOf(groupId))) return out;
  seen.add(keyOf(groupId));
  for (const c of (state.get(groupId)?.properties?.children ?? []) as { id?: unknown }[]) {
    const id = String(c.id ?? '');
    if (/^\/subscriptions\//i.test(id)) out.add(parseResourceId(id).subscriptionId!.toLowerCase());
    else if (isManagementGroupId(id)) for (const s of subscriptionsBelow(state, id, seen)) out.add(s);
  }
  return out;
}

/** The group resources a scenario's `extras.managementGroups` shorthand stands for (children added to a group the scenario also lists). */
export function managementGroupsFromShorthand(state: EmulatorState, groups: Record<string, string[]>): Resource[] {
  return Object.entries(groups).map(([name, subscriptionIds]) => {
    const existing = state.get(managementGroupId(name));
    const children = [...((existing?.properties?.children ?? []) as { id: string }[])];
    for (const s of subscriptionIds) {
      if (!children.some((c) => keyOf(String(c.id)) === keyOf(`/subscriptions/${s}`))) children.push({ id: `/subscriptions/${s}`, type: '/subscriptions', name: s } as never);
    }
    return {
      ...(existing ?? { id: managementGroupId(name), name, type: MANAGEMENT_GROUP_TYPE }),
      properties: { displayName: name, ...existing?.properties, children },
    } as Resource;
  });
}
