/**
 * Replaying the specs' x-ms-examples against the emulator: the request an example describes, the
 * scenario it needs (its subscription, resource group, parents and referenced resources), and the
 * comparison of response shapes (property paths and value types, not values).
 */
import { request } from 'node:https';
import { demoScenario, DEMO } from '../../packages/arm-emulator/src/demo.js';
import type { Scenario } from '../../packages/arm-emulator/src/scenario.js';
import { resourceType } from '../../packages/arm-emulator/src/arm/ids.js';
import type { SpecCatalog, SpecExample, SpecOperation } from './spec-validator.js';

type Json = any;

/** The example's request: path built from the template and the example's parameter values. */
export function exampleRequest(ex: SpecExample): { method: string; path: string; query: URLSearchParams; body?: unknown; apiVersion: string } {
  const op = ex.operation!;
  const params = ex.body.parameters;
  const path = op.template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    // Placeholders such as `{subscription-id}` become plain names (`subscription-id`).
    const v = String(params[name] ?? `${name}-1`).replace(/^\{(.*)\}$/, '$1');
    const multi = op.parameters.find((p) => p.name === name)?.multiSegment;
    // A scope given as a bare placeholder (`"scope": "scope"`) is no ARM scope: use the example's subscription.
    if (multi && name === 'scope' && !v.includes('/')) return `subscriptions/${params.subscriptionId ?? 'subID'}`;
    return multi ? v.replace(/^\/+/, '') : encodeURIComponent(v);
  });
  const bodyParam = op.parameters.find((p) => p.in === 'body');
  const query = new URLSearchParams();
  for (const p of op.parameters) if (p.in === 'query' && p.name !== 'api-version' && params[p.name] !== undefined) query.set(p.name, String(params[p.name]));
  return { method: op.method, path: path.replace(/\/+/g, '/'), query, body: bodyParam ? params[bodyParam.name] : undefined, apiVersion: String(params['api-version'] ?? op.apiVersion) };
}

/** ARM resource ids: `/subscriptions/s[/resourceGroups/g]/providers/NS/type/name[/type/name…]`. */
const RESOURCE_ID = /^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?\/providers\/[^/]+\/[^/]+\/[^/]+(\/[^/]+\/[^/]+)*$/i;

export function isResourceId(path: string): boolean {
  return RESOURCE_ID.test(path);
}

export function referencedIds(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string' && RESOURCE_ID.test(value)) out.add(value);
  else if (Array.isArray(value)) value.forEach((v) => referencedIds(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => referencedIds(v, out));
  return out;
}

/** Resource ids above a path (`…/accounts/a` for `…/accounts/a/privateEndpointConnections/c` or `…/accounts/a/privateLinkResources`). */
export function ancestors(path: string): string[] {
  const m = /^(\/subscriptions\/[^/]+(?:\/resourceGroups\/[^/]+)?\/providers\/[^/]+)((?:\/[^/]+)+)$/i.exec(path);
  if (!m) return [];
  const segs = m[2].split('/').filter(Boolean);
  const out: string[] = [];
  for (let i = 2; i <= segs.length; i += 2) {
    const id = `${m[1]}/${segs.slice(0, i).join('/')}`;
    if (id !== path) out.push(id);
  }
  return out;
}

/** The scenario an example needs: the demo directory, its subscription with an Owner assignment for the demo caller, and seeded resources. */
export function exampleScenario(ex: SpecExample, path: string, seeds: Json[]): Scenario {
  const s = demoScenario();
  const subs = new Set<string>();
  const sub = ex.body.parameters.subscriptionId;
  if (sub) subs.add(String(sub));
  const inPath = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1];
  if (inPath) subs.add(inPath);
  for (const r of seeds) subs.add(r.id.split('/')[2]);
  for (const id of subs) {
    if (s.subscriptions.some((x) => x.subscriptionId.toLowerCase() === id.toLowerCase())) continue;
    s.subscriptions.push({ subscriptionId: id, displayName: `Example subscription ${id}`, state: 'Enabled', tenantId: DEMO.tenantId });
    s.roleAssignments = [...(s.roleAssignments ?? []), { scope: `/subscriptions/${id}`, principalId: DEMO.owner.objectId, roleName: 'Owner' }];
  }
  const groups = new Set<string>();
  const rg = ex.body.parameters.resourceGroupName;
  if (sub && rg) groups.add(`/subscriptions/${sub}/resourceGroups/${rg}`);
  const rgInPath = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+/i.exec(path)?.[0];
  if (rgInPath) groups.add(rgInPath);
  for (const rgId of groups) {
    if (s.resources.some((r) => r.id.toLowerCase() === rgId.toLowerCase())) continue;
    s.resources.push({ id: rgId, name: rgId.split('/').pop(), type: 'Microsoft.Resources/resourceGroups', location: 'eastus', properties: { provisioningState: 'Succeeded' } });
  }
  s.resources.push(...seeds);
  // The directory holds the principals the example assigns roles to.
  for (const [principalId, type] of principals(ex.body)) {
    if (!s.principals.some((p) => p.objectId.toLowerCase() === principalId.toLowerCase())) {
      s.principals.push({ objectId: principalId, displayName: `Example principal ${principalId}`, type });
    }
  }
  return s;
}

/** `principalId` → `principalType` (default ServicePrincipal) wherever the example names one. */
function principals(value: unknown, out = new Map<string, 'User' | 'Group' | 'ServicePrincipal'>()): Map<string, 'User' | 'Group' | 'ServicePrincipal'> {
  if (Array.isArray(value)) value.forEach((v) => principals(v, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.principalId === 'string' && !out.has(o.principalId)) {
      out.set(o.principalId, o.principalType === 'User' || o.principalType === 'Group' ? o.principalType : 'ServicePrincipal');
    }
    Object.values(o).forEach((v) => principals(v, out));
  }
  return out;
}

/**
 * GET-shaped resources the examples show, by lowercase type, to seed what an example's request
 * needs (its parents and the resources it refers to).
 */
export function resourceLibrary(examples: SpecExample[]): Map<string, Json> {
  const lib = new Map<string, Json>();
  const add = (r: Json) => {
    if (!r || typeof r !== 'object' || typeof r.id !== 'string' || !RESOURCE_ID.test(r.id)) return;
    const t = resourceType(r.id).toLowerCase();
    if (!lib.has(t) && r.properties) lib.set(t, r);
  };
  for (const ex of examples) {
    if (ex.operation?.method !== 'GET') continue;
    const body = ex.body.responses['200']?.body;
    if (Array.isArray(body?.value)) body.value.forEach(add);
    else add(body);
  }
  return lib;
}

/** A library resource re-identified as `id` (every id below the old one moves along). */
export function seedAs(id: string, lib: Map<string, Json>): Json {
  const t = resourceType(id);
  const name = id.split('/').pop()!;
  const template = lib.get(t.toLowerCase());
  if (!template) return { id, name, type: t, location: 'eastus', properties: { provisioningState: 'Succeeded' } };
  const text = JSON.stringify(template).split(template.id).join(id);
  const r = JSON.parse(text);
  r.name = name;
  if (r.properties?.provisioningState) r.properties.provisioningState = 'Succeeded';
  if (r.location && r.location !== 'global') r.location = 'eastus';
  // A custom role is only usable where its assignable scopes reach.
  if (t.toLowerCase() === 'microsoft.authorization/roledefinitions') r.properties.assignableScopes = [id.split('/providers/')[0] || '/'];
  return r;
}

/**
 * The writable part of a resource as the operation's request body schema declares it: readOnly and
 * undeclared properties are dropped, so a GET example's body can be sent back as a PUT.
 */
export function writableProjection(catalog: SpecCatalog, put: SpecOperation, value: Json): Json {
  const body = put.parameters.find((p) => p.in === 'body')?.schema;
  return body ? project(catalog, body, value) : undefined;
}

function project(catalog: SpecCatalog, schema: Parameters<SpecCatalog['properties']>[0], value: Json): Json {
  if (Array.isArray(value)) {
    const item = catalog.element(schema);
    return item ? value.map((v) => project(catalog, item, v)) : value;
  }
  if (!value || typeof value !== 'object') return value;
  const props = catalog.properties(schema);
  if (!Object.keys(props).length) {
    const element = catalog.element(schema);
    return element ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, project(catalog, element, v)])) : value;
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const p = props[k];
    if (!p || catalog.isReadOnly(p)) continue;
    out[k] = project(catalog, p, v);
  }
  return out;
}

/** Property paths of a JSON value with their types; dictionary keys (tags, metadata, identities) become `*`. */
export function shapeOf(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value === null || value === undefined) {
    out.set(prefix || '.', 'null');
  } else if (Array.isArray(value)) {
    out.set(prefix || '.', 'array');
    value.forEach((v) => shapeOf(v, `${prefix}[]`, out));
  } else if (typeof value === 'object') {
    out.set(prefix || '.', 'object');
    const dictionary = /(\.tags|\.userAssignedIdentities|\.properties\.metadata)$/i.test(prefix);
    for (const [k, v] of Object.entries(value)) shapeOf(v, `${prefix}.${dictionary ? '*' : k}`, out);
  } else {
    out.set(prefix || '.', typeof value);
  }
  return out;
}

export interface ShapeDiff {
  missing: string[];
  extra: string[];
  mistyped: string[];
}

/**
 * Differences between an example's response shape and the emulator's, minus the ignored path
 * prefixes (written for one resource: `.properties.x` also covers list items' `.value[].properties.x`).
 */
export function compareShapes(expected: unknown, actual: unknown, ignored: string[]): ShapeDiff {
  const e = shapeOf(expected);
  const a = shapeOf(actual);
  const skip = (path: string) => {
    const p = path.replace(/^\.value\[\]/, '');
    return ignored.some((i) => p === i || p.startsWith(`${i}.`) || p.startsWith(`${i}[]`));
  };
  const diff: ShapeDiff = { missing: [], extra: [], mistyped: [] };
  for (const [p, t] of e) {
    if (skip(p)) continue;
    const at = a.get(p);
    if (at === undefined) diff.missing.push(p);
    else if (t !== at && t !== 'null' && at !== 'null') diff.mistyped.push(`${p}: example ${t}, emulator ${at}`);
  }
  for (const p of a.keys()) if (!e.has(p) && !skip(p)) diff.extra.push(p);
  return diff;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body?: Json;
}

export function send(baseUrl: string, ca: string, token: string, method: string, pathAndQuery: string, body?: unknown): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const url = /^https:/.test(pathAndQuery) ? pathAndQuery : `${baseUrl}${pathAndQuery}`;
    const req = request(url, { method, ca, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Follows Azure-AsyncOperation or Location until the operation ends (the test emulator completes operations at once). */
export async function pollToCompletion(baseUrl: string, ca: string, token: string, first: HttpResult): Promise<void> {
  const async = first.headers['azure-asyncoperation'];
  const location = first.headers.location;
  for (let i = 0; i < 50; i++) {
    if (typeof async === 'string') {
      const r = await send(baseUrl, ca, token, 'GET', async);
      if (!/^(InProgress|Accepted|Running|Creating|Updating|Deleting)$/i.test(String(r.body?.status))) return;
    } else if (typeof location === 'string') {
      const r = await send(baseUrl, ca, token, 'GET', location);
      if (r.status !== 202) return;
    } else {
      return;
    }
  }
}
