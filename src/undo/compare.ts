import type { ResourceSnapshot } from '../azure/arm-resource.js';

/**
 * Whether a resource is as a journal recorded it, judged on what a user or a run sets: what Azure
 * generates (etags, provisioning states, timestamps, counters, GUIDs) and back-references Azure
 * maintains as other resources come and go (a subnet's endpoints, a target's connections) are left out.
 */

/** Fields Azure writes itself; they differ between two reads of an unchanged resource, or after another resource changed. */
const GENERATED = new Set(
  [
    'etag', 'provisioningState', 'systemData', 'resourceGuid', 'internalId', 'dateCreated', 'creationTime', 'createdOn', 'updatedOn', 'lastModifiedTime',
    'lastModifiedAt', 'lastEnabledTime', 'keyCreationTime', 'statusOfPrimary', 'primaryEndpoints', 'secondaryEndpoints',
    // back-references, maintained by Azure as endpoints, NICs and records come and go
    'privateEndpoints', 'ipConfigurations', 'privateEndpointConnections', 'resourceNavigationLinks', 'serviceAssociationLinks', 'networkInterfaces',
    'customDnsConfigs', 'recordSets', 'numberOfRecordSets', 'numberOfVirtualNetworkLinks', 'numberOfVirtualNetworkLinksWithRegistration', 'virtualNetworkLinkState',
    'fqdn', 'isAutoRegistered',
  ].map((k) => k.toLowerCase()),
);

/** `{ type: 'None' }` is how Azure shows "no identity". */
function noIdentity(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'object' && String((v as { type?: string }).type ?? 'None').toLowerCase() === 'none' && !(v as { userAssignedIdentities?: unknown }).userAssignedIdentities);
}

export function normalize(value: unknown, path = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => normalize(v, path));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (GENERATED.has(k.toLowerCase()) || v === undefined) continue;
      if (k === 'identity' && path === '' && noIdentity(v)) continue;
      // ids differ only in case between a request and what Azure echoes
      out[k] = k === 'id' && typeof v === 'string' ? v.toLowerCase() : normalize(v, `${path}/${k}`);
    }
    return out;
  }
  return value;
}

export interface Difference {
  path: string;
  recorded: unknown;
  now: unknown;
}

/** The paths at which two bodies differ (after normalize), deepest first where objects nest. */
export function differences(recorded: unknown, now: unknown, path = ''): Difference[] {
  const a = path ? recorded : normalize(recorded);
  const b = path ? now : normalize(now);
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObj = (v: unknown) => v && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
    return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`));
  }
  return [{ path: path || '/', recorded: a ?? null, now: b ?? null }];
}

export function same(a: unknown, b: unknown): boolean {
  return differences(a, b).length === 0;
}

export function sameSnapshot(a: ResourceSnapshot, b: ResourceSnapshot): boolean {
  return a.exists === b.exists && (!a.exists || same(a.body, b.body));
}

/** The value at a path like `/properties/networkAcls` of a normalized body. */
function at(body: unknown, path: string): unknown {
  let v: any = normalize(body);
  for (const k of path.split('/').filter(Boolean)) v = v && typeof v === 'object' ? v[k] : undefined;
  return v ?? null;
}

/**
 * How a resource changed since a run left it: the differences between the journal's "after" and
 * now, except paths already back to the journal's "before" (an earlier, interrupted undo restored them).
 */
export function changedSince(before: ResourceSnapshot, after: ResourceSnapshot, now: ResourceSnapshot): Difference[] {
  if (!now.exists && !after.exists) return [];
  if (!now.exists) return before.exists ? [{ path: '/', recorded: 'exists', now: 'deleted' }] : [];
  if (!after.exists) return before.exists ? [{ path: '/', recorded: 'deleted', now: 'exists' }] : [{ path: '/', recorded: 'deleted by the run', now: 'exists again' }];
  return differences(after.body, now.body).filter((d) => !(before.exists && JSON.stringify(at(before.body, d.path)) === JSON.stringify(d.now)));
}
