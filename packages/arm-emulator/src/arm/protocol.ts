/** Small shared pieces of the ARM wire protocol: paging, JSON merge, system data, tags validation. */
import type { ArmRequest, ArmResult } from './router.js';
import type { EmulatorContext } from '../context.js';
import { badRequest, invalidRequestContent } from './errors.js';

/** `{ value, nextLink }` paging; `$skiptoken` carries the offset. */
export function page(req: ArmRequest, ctx: EmulatorContext, items: unknown[]): ArmResult {
  const size = ctx.options.pageSize;
  const skip = Number(req.query.get('$skiptoken') ?? '0') || 0;
  const value = items.slice(skip, skip + size);
  const body: Record<string, unknown> = { value };
  if (skip + size < items.length) {
    const q = new URLSearchParams(req.query);
    q.set('$skiptoken', String(skip + size));
    body.nextLink = `${ctx.baseUrl}${req.path}?${q.toString()}`;
  }
  return { status: 200, body };
}

/** RFC 7386 JSON merge patch: objects merge, `null` deletes, arrays and scalars replace. */
export function mergePatch<T>(target: T, patch: unknown): T {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch as T;
  const out: Record<string, unknown> =
    target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out as T;
}

export function requireBody(req: ArmRequest): Record<string, any> {
  if (req.body === undefined || req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw invalidRequestContent('The request content was invalid and could not be deserialized: the body must be a JSON object.');
  }
  return req.body;
}

export function systemData(ctx: EmulatorContext, req: ArmRequest, existing?: Record<string, any>): Record<string, string> {
  const at = new Date(ctx.now()).toISOString();
  const by = req.caller?.appId ?? req.caller?.objectId ?? 'unknown';
  return {
    createdBy: existing?.createdBy ?? by,
    createdByType: existing?.createdByType ?? 'Application',
    createdAt: existing?.createdAt ?? at,
    lastModifiedBy: by,
    lastModifiedByType: 'Application',
    lastModifiedAt: at,
  };
}

export function json(status: number, body?: unknown, headers?: Record<string, string>): ArmResult {
  return { status, body, headers };
}

/** Validates ARM tags as ARM does (at most 50; name ≤ 512 chars, value ≤ 256). */
export function validateTags(tags: unknown): void {
  if (tags === undefined || tags === null) return;
  if (typeof tags !== 'object' || Array.isArray(tags)) throw invalidRequestContent("The request content was invalid and could not be deserialized: 'tags' must be an object.");
  const entries = Object.entries(tags as Record<string, unknown>);
  if (entries.length > 50) throw badRequest('InvalidTag', 'The resource has more than 50 tags. A resource can have at most 50 tags.');
  for (const [k, v] of entries) {
    if (typeof v !== 'string') throw invalidRequestContent(`The request content was invalid and could not be deserialized: tag '${k}' must have a string value.`);
  }
}
