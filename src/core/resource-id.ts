/** Azure resource ids as the product uses them: parse, build, and validate names. */

export interface ResourceRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  id: string;
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function subscriptionScope(subscriptionId: string): string {
  return `/subscriptions/${subscriptionId}`;
}

export function resourceGroupId(subscriptionId: string, resourceGroup: string): string {
  return `${subscriptionScope(subscriptionId)}/resourceGroups/${resourceGroup}`;
}

export function resourceId(subscriptionId: string, resourceGroup: string, type: string, name: string): string {
  return `${resourceGroupId(subscriptionId, resourceGroup)}/providers/${type}/${name}`;
}

/** A role definition's id as ARM names it at subscription scope. */
export function roleDefinitionId(subscriptionId: string, guid: string): string {
  return `${subscriptionScope(subscriptionId)}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

/** A management group's scope id. */
export function managementGroupScope(name: string): string {
  return `/providers/Microsoft.Management/managementGroups/${name}`;
}

/**
 * A resource that lives at a scope rather than in a resource group (an extension or scope-level
 * resource): `{scope}/providers/{type}/{name}`, the scope a subscription, resource group, management
 * group or resource id.
 */
export function scopedResourceId(scope: string, type: string, name: string): string {
  return `${scope.replace(/\/+$/, '')}/providers/${type}/${name}`;
}

/** An initiative (policy set definition) defined at a subscription or management group. */
export function policySetDefinitionId(scope: string, name: string): string {
  return scopedResourceId(scope, 'Microsoft.Authorization/policySetDefinitions', name);
}

/** A policy assignment at any scope. */
export function policyAssignmentId(scope: string, name: string): string {
  return scopedResourceId(scope, 'Microsoft.Authorization/policyAssignments', name);
}

/** A built-in policy definition: tenant-wide, named by its GUID. */
export function builtInPolicyDefinitionId(guid: string): string {
  return `/providers/Microsoft.Authorization/policyDefinitions/${guid}`;
}

/** A Policy Insights remediation task at any scope. */
export function remediationId(scope: string, name: string): string {
  return scopedResourceId(scope, 'Microsoft.PolicyInsights/remediations', name);
}

/** Parses `/subscriptions/{s}/resourceGroups/{g}/providers/{ns}/{type}/{name}` of the expected type. */
export function parseTypedId(id: string, type: string): ResourceRef | undefined {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+\/[^/]+)\/([^/]+)$/i.exec(id.trim());
  if (!m || m[3].toLowerCase() !== type.toLowerCase()) return undefined;
  return { subscriptionId: m[1], resourceGroup: m[2], name: m[4], id: id.trim() };
}

export function looksLikeId(value: string): boolean {
  return value.trim().startsWith('/subscriptions/');
}

export function sameId(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

export function rgOf(id: string): string {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '';
}

export function subscriptionOf(id: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? '';
}

export function nameOf(id: string): string {
  return id.split('/').filter(Boolean).pop() ?? '';
}

export const NAME_RULES = {
  resourceGroup: { re: /^[-\w._()]{1,89}[-\w_()]$|^[-\w_()]$/, rule: '1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending in a period' },
  account: { re: /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}[a-zA-Z0-9_]$|^[a-zA-Z0-9]$/, rule: '2-64 letters, digits, periods, underscores and hyphens, starting with a letter or digit' },
  storage: { re: /^[a-z0-9]{3,24}$/, rule: '3-24 lowercase letters and digits' },
  vnet: { re: /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}[a-zA-Z0-9_]$|^[a-zA-Z0-9]$/, rule: '2-64 letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore' },
  subnet: { re: /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,78}[a-zA-Z0-9_]$|^[a-zA-Z0-9]$/, rule: '1-80 letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore' },
  subdomain: { re: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, rule: '2-64 lowercase letters, digits and hyphens, not starting or ending with a hyphen' },
} as const;

/** The resource a child belongs to: `…/virtualNetworks/v` for `…/virtualNetworks/v/subnets/s`. */
export function parentOf(id: string): string {
  return id.replace(/\/[^/]+\/[^/]+\/?$/, '');
}

/** The scope an extension resource (`{scope}/providers/{namespace}/{type}/{name}`, e.g. a role or policy assignment) is at. */
export function scopeOf(id: string): string {
  return id.replace(/\/providers\/[^/]+\/[^/]+\/[^/]+$/i, '');
}

/** A scope taken apart: a management group, or a subscription and perhaps a resource group (as Policy Insights' calls take it). */
export function scopeParts(scope: string): { subscriptionId?: string; resourceGroup?: string; managementGroup?: string } {
  const mg = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)$/i.exec(scope)?.[1];
  if (mg) return { managementGroup: mg };
  const rg = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)$/i.exec(scope)?.[1];
  return { subscriptionId: subscriptionOf(scope), ...(rg ? { resourceGroup: rg } : {}) };
}
