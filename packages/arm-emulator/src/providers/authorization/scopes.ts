/**
 * Microsoft.Authorization resources are extension resources: they live below any scope
 * (the tenant root, a subscription, a resource group, a resource or a child resource).
 * The router matches fixed segment counts, so each depth of scope gets its own template.
 */
import type { ArmRequest } from '../../arm/router.js';
import { resourceNotFound } from '../../arm/errors.js';
import { normalizePath, parseResourceId, resourceGroupScope } from '../../arm/ids.js';
import type { EmulatorContext } from '../../context.js';

/** How many levels of child resource below a top-level resource a scope may name. */
const MAX_CHILD_DEPTH = 3;

export function scopeTemplates(): string[] {
  const rg = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}';
  const out = ['', '/subscriptions/{subscriptionId}', rg];
  let resource = `${rg}/providers/{resourceProviderNamespace}/{resourceType0}/{resourceName0}`;
  out.push(resource);
  for (let i = 1; i <= MAX_CHILD_DEPTH; i++) {
    resource += `/{resourceType${i}}/{resourceName${i}}`;
    out.push(resource);
  }
  return out;
}

/** The scope part of a request path, i.e. everything before `/providers/Microsoft.Authorization/`. */
export function scopeOf(req: ArmRequest): string {
  const idx = req.path.toLowerCase().lastIndexOf('/providers/microsoft.authorization/');
  const scope = normalizePath(req.path.slice(0, idx));
  return scope === '' ? '/' : scope;
}

/** The subscription a scope belongs to, if any. */
export function subscriptionOf(scope: string): string | undefined {
  return parseResourceId(scope).subscriptionId;
}

/** A resource scope must name an existing resource (its top-level resource, for child scopes). */
export function requireScopeResource(ctx: EmulatorContext, scope: string): void {
  const p = parseResourceId(scope);
  if (!p.provider || !p.subscriptionId || !p.resourceGroup) return;
  const topId = `${resourceGroupScope(p.subscriptionId, p.resourceGroup)}/providers/${p.provider}/${p.types[0]}/${p.names[0]}`;
  if (!ctx.state.get(topId)) throw resourceNotFound(`${p.provider}/${p.types[0]}`, p.names[0], p.resourceGroup);
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A single-quoted value from an OData expression such as `principalId eq '…'`. */
export function quoted(expr: string, pattern: RegExp): string | undefined {
  return pattern.exec(expr)?.[1];
}
