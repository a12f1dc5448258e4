/** Resource ids: parsing, normalising and the lowercase keys the store uses. */

export interface ParsedId {
  subscriptionId?: string;
  resourceGroup?: string;
  /** e.g. Microsoft.Network */
  provider?: string;
  /** type chain below the provider, e.g. ['privateEndpoints', 'privateDnsZoneGroups'] */
  types: string[];
  /** names aligned with types */
  names: string[];
}

/** Collapses `//`, drops a trailing `/` and keeps case (ARM echoes the caller's case in some places). */
export function normalizePath(path: string): string {
  let p = path.replace(/\/{2,}/g, '/');
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p;
}

export function keyOf(id: string): string {
  return normalizePath(id).toLowerCase();
}

export function parseResourceId(id: string): ParsedId {
  const segs = normalizePath(id).split('/').filter(Boolean);
  const out: ParsedId = { types: [], names: [] };
  let i = 0;
  if (segs[i]?.toLowerCase() === 'subscriptions') {
    out.subscriptionId = segs[i + 1];
    i += 2;
  }
  if (segs[i]?.toLowerCase() === 'resourcegroups') {
    out.resourceGroup = segs[i + 1];
    i += 2;
  }
  if (segs[i]?.toLowerCase() === 'providers') {
    out.provider = segs[i + 1];
    i += 2;
    while (i < segs.length) {
      out.types.push(segs[i]);
      out.names.push(segs[i + 1]);
      i += 2;
    }
  }
  return out;
}

/** Full type, e.g. `Microsoft.Network/privateEndpoints/privateDnsZoneGroups`. */
export function resourceType(id: string): string {
  const p = parseResourceId(id);
  return [p.provider, ...p.types].join('/');
}

export function parentId(id: string): string {
  const segs = normalizePath(id).split('/');
  return segs.slice(0, -2).join('/');
}

export function lastName(id: string): string {
  const segs = normalizePath(id).split('/');
  return segs[segs.length - 1];
}

/** True when `scope` is `id` itself or one of its ancestors (case-insensitive). */
export function isAtOrAbove(scope: string, id: string): boolean {
  const s = keyOf(scope);
  const k = keyOf(id);
  return s === '/' || k === s || k.startsWith(s + '/');
}

export function subscriptionScope(subscriptionId: string): string {
  return `/subscriptions/${subscriptionId}`;
}

export function resourceGroupScope(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
}
