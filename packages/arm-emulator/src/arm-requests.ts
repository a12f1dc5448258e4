/**
 * One ARM request, end to end: injected faults, the caller's token, operation polls, routing,
 * api-version, containers, authorization, the provider's handler, then ARM's headers, the log and
 * the exchange hook.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ArmError } from './arm/errors.js';
import { checkApiVersion, type ArmRequest, type ArmResult, type Caller, type Router } from './arm/router.js';
import { normalizePath, parseResourceId, resourceGroupScope } from './arm/ids.js';
import { settle } from './arm/lro.js';
import type { EmulatorContext } from './context.js';
import type { Fault, RequestLogEntry } from './state.js';
import type { TokenService } from './identity/tokens.js';
import { applyOperationFaults, faultError, matchFault } from './faults.js';
import { operationPoll } from './operations.js';
import { armHeaders, readBody, sendJson, userAgent } from './http.js';
import type { ArmExchange } from './server.js';
import { REMAINING_HEADER, operationKind, type RequestThrottle } from './arm/throttling.js';

const WRITE_METHODS = new Set(['PUT', 'PATCH', 'DELETE', 'POST']);

export interface ArmRequestDeps {
  ctx: EmulatorContext;
  router: Router;
  tokens: TokenService;
  /** ARM's per-subscription token buckets (off unless configured) */
  throttle: RequestThrottle;
  /** run on every authorised write before its handler: may refuse it or alter its body (Azure Policy) */
  writeGuards: ((req: ArmRequest, ctx: EmulatorContext) => void)[];
  log(entry: Omit<RequestLogEntry, 'time'>): void;
  /** persists the state after a successful write */
  save(): void;
  onExchange?: (x: ArmExchange) => void;
}

export function armRequestHandler(deps: ArmRequestDeps) {
  const { ctx, router, tokens, throttle, log, save } = deps;
  const { state } = ctx;

  async function handleArm(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const requestId = randomUUID();
    const apiVersion = url.searchParams.get('api-version');
    const entry = { method, path, apiVersion: apiVersion ?? undefined, requestId, userAgent: userAgent(req) };
    const raw = await readBody(req);
    let result: ArmResult;
    let caller: Caller | undefined;
    let kind: RequestLogEntry['kind'] = 'arm';
    let dropAfterApply = false;
    let rateHeaders: Record<string, string> = {};
    try {
      const fault = matchFault(ctx, method, path);
      dropAfterApply = !!fault?.dropAfterApply;
      if (fault) {
        if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
        if (fault.drop) {
          log({ ...entry, status: 0, kind: 'arm' });
          req.socket.destroy();
          return;
        }
        if (fault.status) throw faultError(fault as Fault & { status: number });
      }
      settle(ctx);
      caller = await tokens.check(req.headers.authorization, ctx.now());
      if (caller.tenantId?.toLowerCase() !== state.tenantId.toLowerCase()) {
        throw new ArmError(401, 'InvalidAuthenticationTokenTenant', `The access token is from the wrong issuer '${caller.tenantId}'. It must match the tenant associated with this subscription. Please use the authority (URL) that matches the tenant.`);
      }
      rateHeaders = throttle.take(subscriptionInPath(path), caller.objectId, method, ctx.now());
      const op = operationPoll(ctx, method, path, url.search);
      if (op) {
        kind = 'poll';
        result = op;
      } else {
        result = await dispatch(method, path, url, apiVersion, raw, req, caller, requestId);
        applyOperationFaults(ctx, path, fault);
        if (result.kind === 'poll') kind = 'poll';
      }
    } catch (err) {
      if (!(err instanceof ArmError)) throw err;
      result = { status: err.status, body: err.toBody(), headers: err.headers };
    }
    const headers: Record<string, string> = { ...armHeaders(req, requestId), ...(result.headers ?? {}) };
    // Unthrottled (the default, or a tenant-level request): the legacy per-hour model's remaining counts.
    const remaining = REMAINING_HEADER[operationKind(method)];
    headers[remaining] ??= rateHeaders[remaining] ?? (WRITE_METHODS.has(method) && method !== 'DELETE' ? '1199' : method === 'DELETE' ? '14999' : '11999');
    if (WRITE_METHODS.has(method) && result.status < 400) save();
    if (dropAfterApply) {
      log({ ...entry, status: 0, kind, callerObjectId: caller?.objectId });
      req.socket.destroy();
      return;
    }
    log({ ...entry, status: result.status, kind, callerObjectId: caller?.objectId });
    if (deps.onExchange) {
      let requestBody: unknown;
      try { requestBody = raw.trim() ? JSON.parse(raw) : undefined; } catch { requestBody = raw; }
      deps.onExchange({ kind: kind === 'poll' ? 'poll' : 'arm', method, path, query: Object.fromEntries(url.searchParams), requestBody, status: result.status, responseHeaders: headers, responseBody: result.body === undefined ? undefined : JSON.parse(JSON.stringify(result.body)) });
    }
    sendJson(res, result.status, result.body, headers);
  }

  async function dispatch(method: string, path: string, url: URL, apiVersion: string | null, raw: string, req: IncomingMessage, caller: Caller, requestId: string): Promise<ArmResult> {
    const { route, params, methods } = router.match(method, path);
    if (!route) {
      if (methods.length) {
        throw new ArmError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
      }
      throw noRoute(path, apiVersion);
    }
    checkApiVersion({ apiVersion, path }, route.api);
    let body: unknown;
    if (raw.trim()) {
      try {
        body = route.parseBody ? route.parseBody(raw) : JSON.parse(raw);
      } catch (e) {
        throw new ArmError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: '${(e as Error).message}'.`);
      }
    }
    const armReq: ArmRequest = { method, path, params, query: url.searchParams, apiVersion: apiVersion!, body, headers: req.headers, caller, requestId };
    checkContainers(params, route.template);
    const action = typeof route.action === 'function' ? route.action(armReq) : route.action;
    if (action) {
      const scope = route.scope ? route.scope(armReq) : path;
      if (!ctx.authorizer.can(caller, action, scope)) throw authorizationFailed(caller, action, scope);
    }
    for (const guard of deps.writeGuards) guard(armReq, ctx);
    return route.handler(armReq, ctx);
  }

  /** A subscription and resource group in the path must exist before the provider sees the request. */
  function checkContainers(params: Record<string, string>, template: string): void {
    const sub = params.subscriptionId;
    if (sub && !state.subscriptions.has(sub.toLowerCase())) {
      throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
    }
    const rg = params.resourceGroupName;
    const isGroupItself = /\/resourcegroups\/\{resourceGroupName\}$/i.test(template);
    if (sub && rg && !isGroupItself && !state.get(resourceGroupScope(sub, rg))) {
      throw new ArmError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
    }
  }

  function noRoute(path: string, apiVersion: string | null): ArmError {
    const p = parseResourceId(path);
    if (p.provider) {
      const known = router.all().some((r) => r.template.toLowerCase().includes(`/providers/${p.provider!.toLowerCase()}/`));
      if (!known) {
        return new ArmError(404, 'MissingSubscriptionRegistration', `The subscription is not registered to use namespace '${p.provider}'. See https://aka.ms/rps-not-found for how to register subscriptions.`);
      }
      return new ArmError(400, 'InvalidResourceType', `The resource type '${p.types[0] ?? ''}' could not be found in the namespace '${p.provider}' for api version '${apiVersion ?? ''}'.`);
    }
    return new ArmError(404, 'NotFound', `No HTTP resource was found that matches the request URI '${ctx.baseUrl}${path}'.`);
  }

  /** EmulatorContext.internalRequest: a request ARM makes itself (a deployment's resources, a policy remediation). */
  async function internalRequest(method: string, path: string, body: unknown, caller: Caller, apiVersion?: string, options: { log?: 'deployment' } = {}): Promise<ArmResult & { apiVersion: string }> {
    const version = apiVersion ?? router.match(method, normalizePath(path)).route?.api.versions.at(-1) ?? '';
    const url = new URL(`${ctx.baseUrl}${path}?api-version=${encodeURIComponent(version)}`);
    const requestId = randomUUID();
    settle(ctx);
    // Status and in-operation faults reach these writes too (delays and dropped connections have no socket here).
    const fault = options.log ? matchFault(ctx, method, normalizePath(path)) : undefined;
    let result: ArmResult;
    try {
      if (fault?.status) throw faultError(fault as Fault & { status: number });
      result = await dispatch(method, normalizePath(path), url, version, body === undefined ? '' : JSON.stringify(body), { headers: {} } as IncomingMessage, caller, requestId);
      applyOperationFaults(ctx, normalizePath(path), fault);
    } catch (err) {
      if (!(err instanceof ArmError)) throw err;
      result = { status: err.status, body: err.toBody(), headers: err.headers };
    }
    if (options.log) {
      log({ method, path, apiVersion: version, requestId, status: result.status, kind: options.log, callerObjectId: caller.objectId });
      if (WRITE_METHODS.has(method) && result.status < 400) save();
    }
    return { ...result, apiVersion: version };
  }

  return { handleArm, internalRequest };
}

/** The subscription a subscription-scoped request names (ARM throttles those per subscription). */
function subscriptionInPath(path: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(path)?.[1];
}

function authorizationFailed(caller: Caller, action: string, scope: string): ArmError {
  return new ArmError(
    403,
    'AuthorizationFailed',
    `The client '${caller.appId ?? caller.objectId}' with object id '${caller.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}
