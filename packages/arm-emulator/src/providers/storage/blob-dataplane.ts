/**
 * The blob endpoint `{account}.blob.core.windows.net` (and the US Gov / China suffixes) reached through the emulator:
 * Get Blob, Get Blob Properties, List Blobs and CORS preflight, behind the account's firewall and Entra authorization.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { DataPlane } from '../provider.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { ArmError } from '../../arm/errors.js';
import { callerPosition, type AccessDecision, type DataPlaneCaller } from '../../dataplane/position.js';
import { accountNameOfBlobHost, blobAccount, checkContainerRead, checkNetwork, DENIALS } from './access.js';
import { containerNamed, readBlob } from './model.js';
import { corsRulesOf } from './blob-services.js';
import { matchCorsRule } from './cors.js';
import { listBlobsXml } from './blob-listing.js';
import { sendStorageError } from './blob-errors.js';

const DEFAULT_SERVICE_VERSION = '2025-01-05';
const STORAGE_AUDIENCES = ['https://storage.azure.com', 'https://storage.azure.com/'];

type Failure = Extract<AccessDecision, { ok: false }> & { detail?: string; headers?: Record<string, string> };

function baseHeaders(req: IncomingMessage): Record<string, string> {
  const version = req.headers['x-ms-version'];
  return {
    'x-ms-request-id': randomUUID(),
    'x-ms-version': typeof version === 'string' ? version : DEFAULT_SERVICE_VERSION,
    date: new Date().toUTCString(),
    server: 'Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0',
  };
}

function audienceOf(token: string): string | undefined {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).aud;
  } catch {
    return undefined;
  }
}

function authFailure(ctx: EmulatorContext, detail: string): Failure {
  return {
    ok: false,
    status: 401,
    code: 'InvalidAuthenticationInfo',
    message: 'Server failed to authenticate the request. Please refer to the information in the www-authenticate header.',
    detail,
    headers: { 'www-authenticate': `Bearer authorization_uri=${ctx.baseUrl}/${ctx.state.tenantId}/oauth2/authorize resource_id=https://storage.azure.com` },
  };
}

type Credentials = { kind: 'anonymous' } | { kind: 'bearer'; principalId: string } | { kind: 'key' } | Failure;

/** Who the request says it is: an Entra token for storage, an account key / SAS, or nobody. */
function credentialsOf(req: IncomingMessage, url: URL, ctx: EmulatorContext, account: Resource): Credentials {
  const header = req.headers.authorization;
  const keyBased = (header && /^SharedKey(Lite)?\s/i.test(header)) || url.searchParams.has('sig');
  if (keyBased) {
    if (account.properties?.allowSharedKeyAccess === false) {
      return { ok: false, status: 403, code: 'KeyBasedAuthenticationNotPermitted', message: 'Key based authentication is not permitted on this storage account.' };
    }
    return { kind: 'key' };
  }
  if (!header) return { kind: 'anonymous' };
  if (!/^Bearer\s+/i.test(header)) return authFailure(ctx, 'Authentication scheme is not supported.');
  let principalId: string;
  try {
    principalId = ctx.verifyBearer(header).objectId;
  } catch (e) {
    if (e instanceof ArmError) return authFailure(ctx, e.code === 'ExpiredAuthenticationToken' ? 'Lifetime validation failed. The token is expired.' : 'Signature validation failed.');
    throw e;
  }
  const aud = String(audienceOf(header.replace(/^Bearer\s+/i, '')) ?? '').toLowerCase().replace(/\/$/, '');
  const accountAudience = `https://${String(req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase()}`;
  if (!STORAGE_AUDIENCES.map((a) => a.replace(/\/$/, '')).includes(aud) && aud !== accountAudience) {
    return authFailure(ctx, 'Audience validation failed. Audience did not match.');
  }
  return { kind: 'bearer', principalId };
}

function corsHeaders(ctx: EmulatorContext, account: Resource, req: IncomingMessage, method: string): Record<string, string> {
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || !origin) return {};
  const rule = matchCorsRule(corsRulesOf(ctx, account), origin, method);
  if (!rule) return {};
  const wildcard = rule.allowedOrigins.includes('*');
  return {
    'access-control-allow-origin': wildcard ? '*' : origin,
    ...(rule.exposedHeaders.length ? { 'access-control-expose-headers': rule.exposedHeaders.join(',') } : {}),
    ...(wildcard ? {} : { 'access-control-allow-credentials': 'true' }),
    vary: 'Origin',
  };
}

function preflight(ctx: EmulatorContext, account: Resource, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void {
  const origin = req.headers.origin;
  const method = req.headers['access-control-request-method'];
  const requested = String(req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const rule = typeof origin === 'string' && typeof method === 'string' ? matchCorsRule(corsRulesOf(ctx, account), origin, method, requested) : undefined;
  if (!rule) {
    return sendStorageError(res, 'OPTIONS', headers, { status: 403, code: 'CorsPreflightFailure', message: 'CORS not enabled or no matching rule found for this request.' });
  }
  const wildcard = rule.allowedOrigins.includes('*');
  res.writeHead(200, {
    ...headers,
    'access-control-allow-origin': wildcard ? '*' : String(origin),
    'access-control-allow-methods': String(method).toUpperCase(),
    ...(requested.length ? { 'access-control-allow-headers': requested.join(',') } : {}),
    'access-control-max-age': String(rule.maxAgeInSeconds),
    ...(wildcard ? {} : { 'access-control-allow-credentials': 'true' }),
    'content-length': '0',
  });
  res.end();
}

async function handleBlobRequest(req: IncomingMessage, res: ServerResponse, url: URL, ctx: EmulatorContext): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const headers = baseHeaders(req);
  const host = String(req.headers.host ?? '');
  const account = blobAccount(ctx, host);
  if (!account) return sendStorageError(res, method, headers, DENIALS.resourceNotFound());
  const position = callerPosition(req, ctx);
  if (method === 'OPTIONS') {
    const network = checkNetwork(ctx, account, { kind: 'client', ...position });
    if (!network.ok) return sendStorageError(res, method, { ...headers, ...(network.headers ?? {}) }, network);
    return preflight(ctx, account, req, res, headers);
  }
  Object.assign(headers, corsHeaders(ctx, account, req, method));
  if (method !== 'GET' && method !== 'HEAD') {
    return sendStorageError(res, method, headers, { status: 405, code: 'UnsupportedHttpVerb', message: "The resource doesn't support specified Http Verb." });
  }
  const [container, ...rest] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const blob = rest.join('/');
  const listing = url.searchParams.get('restype') === 'container' && url.searchParams.get('comp') === 'list';
  if (!container || (!blob && !listing)) return sendStorageError(res, method, headers, DENIALS.resourceNotFound());

  const credentials = credentialsOf(req, url, ctx, account);
  if ('ok' in credentials) return sendStorageError(res, method, { ...headers, ...(credentials.headers ?? {}) }, credentials);
  const caller: DataPlaneCaller = { kind: 'client', ...position, ...(credentials.kind === 'bearer' ? { principalId: credentials.principalId } : {}) };
  const decision: AccessDecision =
    credentials.kind === 'key' ? checkNetwork(ctx, account, caller) : checkContainerRead(ctx, account, container, caller);
  if (!decision.ok) return sendStorageError(res, method, { ...headers, ...(decision.headers ?? {}) }, decision);

  const found = containerNamed(ctx, account.id, container);
  if (!found) return sendStorageError(res, method, headers, DENIALS.containerNotFound());
  if (listing) {
    const body = listBlobsXml(`https://${accountNameOfBlobHost(host)}.${host.replace(/:\d+$/, '').split('.').slice(1).join('.')}/`, found, url.searchParams.get('prefix') ?? '');
    res.writeHead(200, { ...headers, 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) });
    res.end(method === 'HEAD' ? undefined : body);
    return;
  }
  const content = readBlob(ctx, account.id, found.name, blob);
  if (!content) return sendStorageError(res, method, headers, DENIALS.blobNotFound());
  res.writeHead(200, {
    ...headers,
    'content-type': content.contentType,
    'content-length': String(content.content.length),
    etag: content.etag,
    'last-modified': content.lastModified,
    'accept-ranges': 'bytes',
    'x-ms-blob-type': 'BlockBlob',
    'x-ms-creation-time': content.lastModified,
    'x-ms-lease-status': 'unlocked',
    'x-ms-lease-state': 'available',
    'x-ms-server-encrypted': 'true',
    'x-ms-access-tier': 'Hot',
    'x-ms-access-tier-inferred': 'true',
  });
  res.end(method === 'HEAD' ? undefined : content.content);
}

export const blobDataPlane: DataPlane = {
  name: 'Azure Storage blob service',
  matches: (host) => accountNameOfBlobHost(host) !== undefined,
  handle: handleBlobRequest,
};
