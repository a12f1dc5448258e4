/**
 * Microsoft.ResourceGraph: `POST /providers/Microsoft.ResourceGraph/resources`, the query endpoint,
 * for the Kusto subset in kql.ts over the tables in tables.ts, paged by `$top`/`$skip`/`$skipToken`
 * as Resource Graph pages (BEHAVIOR.md, "Resource Graph").
 */
import type { Provider } from '../provider.js';
import { API } from './api.js';
import type { ArmRequest } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import { invalidQuery, invalidRequestOption, managementGroupsNotFound } from './errors.js';
import { KqlParseError, evaluate, parseQuery, typeTest } from './kql.js';
import { scopeSubscriptions, tableRows } from './tables.js';

/** Resource Graph's answer without `$top`, and the most `$top` may ask for. */
const DEFAULT_TOP = 1000;
const MAX_TOP = 1000;

/** What a `$skipToken` carries: "the next page size and offset" (the spec's QueryRequestOptions). */
interface SkipToken {
  offset: number;
  top: number;
}

function readSkipToken(req: ArmRequest, token: unknown): SkipToken {
  try {
    const t = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as SkipToken;
    if (Number.isInteger(t.offset) && t.offset >= 0 && Number.isInteger(t.top) && t.top >= 1 && t.top <= MAX_TOP) return t;
  } catch {
    /* below */
  }
  throw invalidRequestOption(req, 'The $skipToken is invalid: pass the $skipToken of the previous page, with the same query and scopes.');
}

function query(req: ArmRequest, ctx: EmulatorContext) {
  const body = (req.body ?? {}) as { query?: unknown; subscriptions?: string[]; managementGroups?: string[]; options?: Record<string, unknown> };
  if (typeof body.query !== 'string' || !body.query.trim()) throw invalidRequestOption(req, "The request has no 'query': pass the Resource Graph query to run.");
  const options = body.options ?? {};
  const token = options.$skipToken !== undefined ? readSkipToken(req, options.$skipToken) : undefined;
  const top = options.$top === undefined ? token?.top ?? DEFAULT_TOP : Number(options.$top);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) throw invalidRequestOption(req, `$top must be between 1 and ${MAX_TOP}.`);
  if (options.resultFormat !== undefined && options.resultFormat !== 'objectArray') throw invalidRequestOption(req, "The emulator returns resultFormat 'objectArray' only.");
  let parsed;
  try {
    parsed = parseQuery(body.query);
  } catch (e) {
    if (!(e instanceof KqlParseError)) throw e;
    throw invalidQuery(req, { code: 'ParserFailure', message: `ParserFailure: ${e.message} (the emulator evaluates the query subset in its BEHAVIOR.md)`, line: e.line, characterPositionInLine: e.column, token: e.token });
  }
  const scope = scopeSubscriptions(ctx, body, req.caller!.objectId);
  if (scope.unknownGroups.length) {
    throw managementGroupsNotFound(req, scope.unknownGroups);
  }
  const { rows, columns } = evaluate(parsed, tableRows(ctx, parsed.table, scope.subscriptions, req.caller!.objectId, typeTest(parsed)));
  const offset = token ? (options.$skip !== undefined ? Number(options.$skip) || 0 : token.offset) : Number(options.$skip ?? 0) || 0;
  const data = rows.slice(offset, offset + top);
  const more = offset + data.length < rows.length;
  // Pages are stable only by id: a result without an id column is cut at $top, with no way on.
  const pageable = !columns || columns.includes('id');
  const body200: Record<string, unknown> = {
    totalRecords: rows.length,
    count: data.length,
    resultTruncated: more && !pageable ? 'true' : 'false',
    ...(more && pageable ? { $skipToken: Buffer.from(JSON.stringify({ offset: offset + data.length, top })).toString('base64') } : {}),
    facets: [],
    data,
  };
  return { status: 200, body: body200 };
}

export const resourceGraphProvider: Provider = {
  name: 'Microsoft.ResourceGraph',
  register(router) {
    router.add({ method: 'POST', template: '/providers/Microsoft.ResourceGraph/resources', api: API, handler: query });
  },
};
