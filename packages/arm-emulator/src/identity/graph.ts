/**
 * A minimal Microsoft Graph (v1.0) on the emulator's origin: what the Azure CLI's role commands read
 * to resolve an assignee and to name the principals of role assignments (azure-cli 2.45
 * `command_modules/role/custom.py`: `_resolve_object_id_and_type`, `_get_object_stubs`):
 * - `GET /v1.0/servicePrincipals?$filter=servicePrincipalNames/any(c:c eq '{name}')` (and `appId eq '{id}'`),
 *   `GET /v1.0/servicePrincipals/{id}`;
 * - `GET /v1.0/users?$filter=userPrincipalName eq '{upn}'` (the directory has no user principal names: empty);
 * - `POST /v1.0/directoryObjects/getByIds` `{ ids, types }`, `GET /v1.0/directoryObjects/{id}`.
 * Principals are the emulator's directory, each visible once its replication delay has passed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.js';
import type { Principal } from '../state.js';
import { ArmError } from '../arm/errors.js';

const ODATA_TYPE: Record<Principal['type'], string> = {
  ServicePrincipal: '#microsoft.graph.servicePrincipal',
  User: '#microsoft.graph.user',
  Group: '#microsoft.graph.group',
};
/** `types` names in getByIds, as Graph spells them */
const TYPE_NAME: Record<Principal['type'], string> = { ServicePrincipal: 'serviceprincipal', User: 'user', Group: 'group' };

class GraphError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; odata.metadata=minimal; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req: IncomingMessage): Promise<any> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text.trim() ? JSON.parse(text) : {});
      } catch {
        reject(new GraphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'));
      }
    });
    req.on('error', reject);
  });
}

/** A directory object as Graph returns it, with the properties az reads (`id`, `@odata.type`, names). */
function directoryObject(p: Principal): Record<string, unknown> {
  const base: Record<string, unknown> = { '@odata.type': ODATA_TYPE[p.type], id: p.objectId, displayName: p.displayName };
  if (p.type === 'ServicePrincipal') {
    return { ...base, appId: p.appId ?? p.objectId, servicePrincipalType: p.managedBy ? 'ManagedIdentity' : 'Application', servicePrincipalNames: [p.appId ?? p.objectId], accountEnabled: true };
  }
  return base;
}

function visible(ctx: EmulatorContext): Principal[] {
  return [...ctx.state.principals.values()].filter((p) => ctx.state.visiblePrincipal(p.objectId, ctx.now()));
}

function notFound(id: string): GraphError {
  return new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
}

function unsupportedFilter(filter: string): GraphError {
  return new GraphError(400, 'Request_UnsupportedQuery', `Unsupported Query. The filter '${filter}' is not supported by the emulator.`);
}

function listServicePrincipals(ctx: EmulatorContext, filter: string | null): Principal[] {
  const sps = visible(ctx).filter((p) => p.type === 'ServicePrincipal');
  if (!filter) return sps;
  const byName = /^servicePrincipalNames\/any\(c:c eq '(.*)'\)$/i.exec(filter.trim());
  const byAppId = /^appId eq '(.*)'$/i.exec(filter.trim());
  const wanted = (byName ?? byAppId)?.[1]?.toLowerCase();
  if (wanted === undefined) throw unsupportedFilter(filter);
  return sps.filter((p) => String(p.appId ?? p.objectId).toLowerCase() === wanted);
}

function listUsers(ctx: EmulatorContext, filter: string | null): Principal[] {
  if (filter && !/^userPrincipalName eq '.*'$/i.test(filter.trim())) throw unsupportedFilter(filter);
  // The emulator's users have no userPrincipalName, so a filter on it matches nobody.
  return filter ? [] : visible(ctx).filter((p) => p.type === 'User');
}

async function route(req: IncomingMessage, url: URL, ctx: EmulatorContext): Promise<{ status: number; body: unknown }> {
  const method = (req.method ?? 'GET').toUpperCase();
  const segs = url.pathname.split('/').filter(Boolean).slice(1).map((s) => decodeURIComponent(s));
  const [collection, id] = [segs[0]?.toLowerCase(), segs[1]];
  const filter = url.searchParams.get('$filter');
  const context = (what: string) => `${ctx.baseUrl}/v1.0/$metadata#${what}`;

  if (method === 'POST' && collection === 'directoryobjects' && id?.toLowerCase() === 'getbyids' && segs.length === 2) {
    const body = await readJson(req);
    if (!Array.isArray(body.ids)) throw new GraphError(400, 'Request_BadRequest', "The 'ids' property is required.");
    const types = Array.isArray(body.types) ? body.types.map((t: unknown) => String(t).toLowerCase()) : undefined;
    const byId = new Map(visible(ctx).map((p) => [p.objectId.toLowerCase(), p]));
    const value = body.ids
      .map((i: unknown) => byId.get(String(i).toLowerCase()))
      .filter((p: Principal | undefined): p is Principal => !!p && (!types || types.includes(TYPE_NAME[p.type])))
      .map(directoryObject);
    return { status: 200, body: { '@odata.context': context('directoryObjects'), value } };
  }
  if (method === 'GET' && segs.length === 2 && (collection === 'directoryobjects' || collection === 'serviceprincipals' || collection === 'users')) {
    const p = ctx.state.visiblePrincipal(id, ctx.now());
    const wantedType = collection === 'serviceprincipals' ? 'ServicePrincipal' : collection === 'users' ? 'User' : undefined;
    if (!p || (wantedType && p.type !== wantedType)) throw notFound(id);
    return { status: 200, body: { '@odata.context': context(`${segs[0]}/$entity`), ...directoryObject(p) } };
  }
  if (method === 'GET' && segs.length === 1 && collection === 'serviceprincipals') {
    return { status: 200, body: { '@odata.context': context('servicePrincipals'), value: listServicePrincipals(ctx, filter).map(directoryObject) } };
  }
  if (method === 'GET' && segs.length === 1 && collection === 'users') {
    return { status: 200, body: { '@odata.context': context('users'), value: listUsers(ctx, filter).map(directoryObject) } };
  }
  throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${segs[segs.length - 1] ?? ''}'.`);
}

/** Serves a `/v1.0/...` request; errors in Graph's shape `{ error: { code, message, innerError } }`. */
export async function handleGraph(req: IncomingMessage, res: ServerResponse, url: URL, ctx: EmulatorContext): Promise<void> {
  try {
    try {
      ctx.verifyBearer(req.headers.authorization);
    } catch (e) {
      if (e instanceof ArmError) throw new GraphError(401, 'InvalidAuthenticationToken', e.message);
      throw e;
    }
    const { status, body } = await route(req, url, ctx);
    send(res, status, body);
  } catch (e) {
    if (!(e instanceof GraphError)) throw e;
    send(res, e.status, { error: { code: e.code, message: e.message, innerError: { date: new Date(ctx.now()).toISOString().replace(/\.\d+Z$/, ''), 'request-id': ctx.newGuid() } } });
  }
}
