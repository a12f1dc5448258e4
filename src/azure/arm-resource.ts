/**
 * Any ARM resource by its id, read and written as the wire shows it (the JSON a GET returns), at
 * the api-version the product's SDK clients use for its provider — so a journal's "before" can be
 * sent back as it was read. Reads and writes go through the session's pipeline (counted, retried,
 * journaled) with the generic Microsoft.Resources client.
 */
import type { ServiceClient } from '@azure/core-client';
import type { ArmSession } from './session.js';
import { subscriptionOf } from '../core/resource-id.js';
import { isNotFound } from '../posture/not-found.js';

/** The api-versions the pinned SDK clients send (see the emulator's request log); keyed by resource type, most specific first. */
const API_VERSIONS: [RegExp, string][] = [
  [/^microsoft\.network\/privatednszones(\/|$)/i, '2020-06-01'],
  [/^microsoft\.network\//i, '2025-05-01'],
  [/^microsoft\.cognitiveservices\//i, '2025-09-01'],
  [/^microsoft\.storage\//i, '2025-08-01'],
  // @azure/arm-policy 6 and @azure/arm-policyinsights 6 (policy's journal and its undo)
  [/^microsoft\.authorization\/policy(set)?(definitions|assignments)(\/|$)/i, '2024-05-01'],
  [/^microsoft\.policyinsights\//i, '2024-10-01'],
  [/^microsoft\.authorization\//i, '2022-04-01'],
];

/** `Microsoft.Network/privateDnsZones/virtualNetworkLinks` for a link's id: the type after the last `providers`. */
export function armTypeOf(id: string): string {
  const parts = id.split('/').filter(Boolean);
  const p = parts.map((x) => x.toLowerCase()).lastIndexOf('providers');
  if (p < 0) return parts.length <= 2 ? 'Microsoft.Resources/subscriptions' : 'Microsoft.Resources/resourceGroups';
  const rest = parts.slice(p + 1);
  return [rest[0], ...rest.slice(1).filter((_, i) => i % 2 === 0)].join('/');
}

export function apiVersionFor(id: string): string {
  return apiVersionOfType(armTypeOf(id));
}

/** The api-version the product's SDK client sends for a resource type, e.g. `Microsoft.Network/privateDnsZones`. */
export function apiVersionOfType(type: string): string {
  const hit = API_VERSIONS.find(([re]) => re.test(type));
  if (!hit) throw new Error(`no api-version known for ${type}`);
  return hit[1];
}

export interface ResourceSnapshot {
  exists: boolean;
  etag?: string;
  /** the GET body as the wire shows it (secrets removed by the journal) */
  body?: Record<string, any>;
}

/** A wire body as JSON, or undefined when it is empty or not JSON. */
export function rawBody(text: string | undefined): Record<string, any> | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** GET by id: the body as sent, or `exists: false` on a 404. */
export async function readResource(session: ArmSession, id: string, apiVersion = apiVersionFor(id)): Promise<ResourceSnapshot> {
  const res = await session.resources(subscriptionOf(id));
  let snapshot: ResourceSnapshot | undefined;
  try {
    await res.resources.getById(id.replace(/^\//, ''), apiVersion, {
      onResponse: (r) => {
        const body = rawBody(r.bodyAsText ?? undefined);
        snapshot = { exists: true, etag: r.headers.get('etag') ?? body?.etag, body };
      },
    });
  } catch (e) {
    if (isNotFound(e)) return { exists: false };
    throw e;
  }
  return snapshot ?? { exists: true };
}

/**
 * Every item of an ARM list, page by page: Azure answers `{ value, nextLink }` and the next page is
 * at `nextLink` until there is none. Sent through `client`'s pipeline (counted, retried, journaled);
 * an error answer rejects as the SDK's RestError does.
 */
export async function listPages<T = Record<string, any>>(client: Pick<ServiceClient, 'sendRequest'>, url: string): Promise<T[]> {
  const { createPipelineRequest, RestError } = await import('@azure/core-rest-pipeline');
  const out: T[] = [];
  for (let next: string | undefined = url; next; ) {
    const res = await client.sendRequest(createPipelineRequest({ url: next, method: 'GET' }));
    const body = rawBody(res.bodyAsText ?? undefined) as { value?: T[]; nextLink?: string; error?: { code?: string; message?: string } } | undefined;
    if (res.status >= 400) throw new RestError(body?.error?.message ?? `HTTP ${res.status}`, { code: body?.error?.code, statusCode: res.status, response: res });
    out.push(...(body?.value ?? []));
    next = body?.nextLink;
  }
  return out;
}

/** A list by its id (e.g. `{zone}/ALL`, `{scope}/providers/Microsoft.Authorization/policyAssignments`), every page of it. */
export async function listResources(session: ArmSession, id: string): Promise<Record<string, any>[]> {
  return listPages(await session.resources(subscriptionOf(id)), `${session.endpoint}${id}?api-version=${apiVersionFor(id)}`);
}

/** PUT the whole resource (waits for its operation). */
export async function putResource(session: ArmSession, id: string, body: Record<string, unknown>): Promise<void> {
  const res = await session.resources(subscriptionOf(id));
  await res.resources.beginCreateOrUpdateByIdAndWait(id.replace(/^\//, ''), apiVersionFor(id), body);
}

/** PATCH (JSON merge) part of the resource (waits for its operation). */
export async function patchResource(session: ArmSession, id: string, body: Record<string, unknown>): Promise<void> {
  const res = await session.resources(subscriptionOf(id));
  await res.resources.beginUpdateByIdAndWait(id.replace(/^\//, ''), apiVersionFor(id), body);
}

/** DELETE (waits for its operation); a resource already gone is done. */
export async function deleteResource(session: ArmSession, id: string): Promise<void> {
  const res = await session.resources(subscriptionOf(id));
  try {
    await res.resources.beginDeleteByIdAndWait(id.replace(/^\//, ''), apiVersionFor(id));
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
