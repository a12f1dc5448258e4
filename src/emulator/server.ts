/**
 * The emulator's HTTPS server: one origin serving ARM, the Entra token service, the data planes
 * (by host name) and its own control endpoints under /_emulator/.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { PrivateDir, readPrivateFile, replacePrivateFile } from './files.js';
import { isLoopbackHost } from './arm/ipv4.js';
import { ArmError } from './arm/errors.js';
import { Router, checkApiVersion, type ArmRequest, type ArmResult, type Caller } from './arm/router.js';
import { normalizePath, parseResourceId, resourceGroupScope } from './arm/ids.js';
import { settle, operationStatusBody, retryAfterSeconds } from './arm/lro.js';
import { EmulatorState, type Fault, type RequestLogEntry, type SerializedState, type Principal } from './state.js';
import type { EmulatorContext, EmulatorOptions, SettleHook } from './context.js';
import { handleEntra } from './identity/entra.js';
import { newSigningKey, TokenService, type SigningKey } from './identity/tokens.js';
import { handleGraph } from './identity/graph.js';
import { makeCertificates, type Certificates } from './tls.js';
import { loadScenario, type Scenario } from './scenario.js';
import { providers } from './providers/index.js';
import { runningPrivateDnsPoll } from './providers/privatedns/lro.js';
import { createAuthorizer } from './providers/authorization/authorizer.js';
import type { DataPlane } from './providers/provider.js';

export interface StartOptions {
  port?: number;
  host?: string;
  /** 'demo', a path to a scenario JSON file, or a scenario object */
  scenario?: string | Scenario;
  /** persist state here across restarts (written atomically, owner-only, after every change) */
  stateFile?: string;
  lroDelayMs?: number;
  replicationDelayMs?: number;
  pageSize?: number;
  /** where to write the CA certificate; default: a file in a private directory removed on stop */
  caFile?: string;
  /** called for every ARM request once its response is computed (conformance tests validate these) */
  onExchange?: (x: ArmExchange) => void;
}

export interface ArmExchange {
  /** 'poll' for long-running operation status reads */
  kind: 'arm' | 'poll';
  method: string;
  path: string;
  query: Record<string, string>;
  requestBody?: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody?: unknown;
}

export interface RunningEmulator {
  url: string;
  port: number;
  /** PEM of the CA that signed the server certificate */
  caCert: string;
  caFile: string;
  /** the token the control endpoints (/_emulator/*) need, when it listens beyond loopback */
  controlToken?: string;
  tenantId: string;
  context: EmulatorContext;
  stop(): Promise<void>;
}

const STATUS_SEGMENTS = new Set(['operations', 'operationstatuses', 'privatednsoperationstatuses', 'azureasyncoperations']);
const RESULT_SEGMENTS = new Set(['operationresults', 'asyncoperations', 'privatednsoperationresults']);
const WRITE_METHODS = new Set(['PUT', 'PATCH', 'DELETE', 'POST']);

interface PersistedFile {
  state: SerializedState;
  signingKey: SigningKey;
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const scenarioSource = options.scenario ?? 'demo';
  const opts: EmulatorOptions = {
    lroDelayMs: options.lroDelayMs ?? 0,
    replicationDelayMs: options.replicationDelayMs ?? 0,
    pageSize: options.pageSize ?? 100,
  };

  let signingKey: SigningKey;
  let state: EmulatorState;
  const persistedText = options.stateFile ? readPrivateFile(options.stateFile, '--state') : undefined;
  const persisted = persistedText ? (JSON.parse(persistedText) as PersistedFile) : undefined;
  if (persisted) {
    state = EmulatorState.deserialize(persisted.state);
    signingKey = persisted.signingKey;
  } else {
    state = loadScenario(scenarioSource);
    signingKey = await newSigningKey();
  }
  const tokens = await TokenService.create(signingKey);

  const router = new Router();
  const settleHooks = new Map<string, SettleHook>();
  const dataPlanes: DataPlane[] = [];
  for (const p of providers) {
    p.register(router);
    for (const [type, hook] of Object.entries(p.settleHooks ?? {})) settleHooks.set(type.toLowerCase(), hook);
    dataPlanes.push(...(p.dataPlanes ?? []));
  }

  const ctx: EmulatorContext = {
    state,
    options: opts,
    baseUrl: '',
    authorizer: { can: () => true },
    dispatchInternal: () => Promise.reject(new Error('not ready')),
    settleHooks,
    now: () => Date.now(),
    newGuid: () => randomUUID(),
    verifyBearer: (header) => tokens.checked(header, Date.now()),
    createManagedIdentityPrincipal(resourceId: string, displayName: string): Principal {
      const p: Principal = {
        objectId: randomUUID(),
        appId: randomUUID(),
        displayName,
        type: 'ServicePrincipal',
        visibleAt: Date.now() + opts.replicationDelayMs,
        managedBy: resourceId,
      };
      state.addPrincipal(p);
      return p;
    },
  };
  ctx.authorizer = createAuthorizer(ctx);
  ctx.dispatchInternal = async ({ method, path, apiVersion, body, caller }) => {
    const requestId = randomUUID();
    const url = new URL(`${path}?api-version=${encodeURIComponent(apiVersion)}`, ctx.baseUrl || 'https://127.0.0.1');
    let result: ArmResult;
    // Status and in-operation faults reach a deployment's writes too (delays and dropped connections have no socket here).
    const fault = matchFault(method, normalizePath(path));
    try {
      if (fault?.status) throw new ArmError(fault.status, fault.code ?? defaultFaultCode(fault.status), fault.message ?? defaultFaultMessage(fault.status));
      const { route, params, methods } = router.match(method, normalizePath(path));
      if (!route) {
        if (methods.length) throw new ArmError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
        throw noRoute(path, apiVersion);
      }
      checkApiVersion({ apiVersion, path }, route.api);
      const armReq: ArmRequest = { method, path, params, query: url.searchParams, apiVersion, body, headers: {}, caller, requestId };
      checkContainers(params, route.template);
      const action = typeof route.action === 'function' ? route.action(armReq) : route.action;
      if (action) {
        const scope = route.scope ? route.scope(armReq) : path;
        if (!ctx.authorizer.can(caller, action, scope)) throw authorizationFailed(caller, action, scope);
      }
      result = await route.handler(armReq, ctx);
      if (fault?.lroFail) failLatestOperation(normalizePath(path), fault);
    } catch (err) {
      if (!(err instanceof ArmError)) throw err;
      result = { status: err.status, body: err.toBody(), headers: err.headers };
    }
    log({ method, path, apiVersion, requestId, status: result.status, kind: 'deployment', callerObjectId: caller.objectId });
    if (WRITE_METHODS.has(method) && result.status < 400) save();
    return result;
  };

  const save = () => {
    if (!options.stateFile) return;
    const file: PersistedFile = { state: ctx.state.serialize(), signingKey };
    replacePrivateFile(options.stateFile, JSON.stringify(file), '--state');
  };

  const certs: Certificates = await makeCertificates(host);
  // Beyond loopback anyone who can reach the port could reset or rewrite the state: the control endpoints need a token.
  const controlToken = isLoopbackHost(host) ? undefined : randomBytes(24).toString('base64url');
  const sockets = new Set<Socket>();
  const server: Server = createServer({ key: certs.serverKey, cert: certs.serverCert.trimEnd() + '\n' + certs.caCert }, (req, res) => {
    handle(req, res).catch((err) => {
      const e = err instanceof ArmError ? err : new ArmError(500, 'InternalServerError', `The emulator failed: ${(err as Error).message}`);
      if (!res.headersSent) sendJson(res, e.status, e.toBody(), { ...e.headers, ...armHeaders(req, randomUUID()) });
      else res.end();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  ctx.baseUrl = `https://${hostForUrl}:${port}`;
  let privateDir: PrivateDir | undefined;
  let caFile: string;
  try {
    if (options.caFile) {
      caFile = options.caFile;
      replacePrivateFile(caFile, certs.caCert, '--ca-file');
    } else {
      privateDir = new PrivateDir();
      caFile = privateDir.create('ca.pem', certs.caCert);
    }
    save();
  } catch (e) {
    privateDir?.remove();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw e;
  }

  const log = (entry: Omit<RequestLogEntry, 'time'>) => {
    state.requestLog.push({ time: new Date().toISOString(), ...entry });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // `//subscriptions/...` (a scope with a leading slash joined to a path) must stay a path, not a host.
    const url = new URL((req.url ?? '/').replace(/^\/{2,}/, '/'), ctx.baseUrl);
    const hostName = String(req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    // Tokens are checked (asynchronously) on arrival, so the data planes can read the outcome synchronously.
    if (/^Bearer\s/i.test(req.headers.authorization ?? '')) await tokens.check(req.headers.authorization, ctx.now()).catch(() => undefined);
    const plane = dataPlanes.find((d) => d.matches(hostName));
    if (plane) {
      settle(ctx);
      await plane.handle(req, res, url, ctx);
      log({ method: req.method ?? 'GET', path: `//${hostName}${url.pathname}`, status: res.statusCode, kind: 'data', userAgent: ua(req) });
      save();
      return;
    }
    const path = normalizePath(url.pathname);
    if (path.toLowerCase().startsWith('/_emulator/')) return control(req, res, path.slice('/_emulator/'.length).toLowerCase(), url);
    const first = path.split('/')[1]?.toLowerCase();
    if (first === 'v1.0') {
      settle(ctx);
      await handleGraph(req, res, url, ctx);
      log({ method: req.method ?? 'GET', path, status: res.statusCode, kind: 'identity', userAgent: ua(req) });
      return;
    }
    if (first !== 'subscriptions' && first !== 'providers' && first !== '') {
      if (await handleEntra(req, res, url, ctx, tokens)) {
        log({ method: req.method ?? 'GET', path, status: res.statusCode, kind: 'identity', userAgent: ua(req) });
        return;
      }
    }
    await arm(req, res, url, path);
  }

  async function arm(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const requestId = randomUUID();
    const apiVersion = url.searchParams.get('api-version');
    const entry = { method, path, apiVersion: apiVersion ?? undefined, requestId, userAgent: ua(req) };
    const raw = await readBody(req);
    let result: ArmResult;
    let caller: Caller | undefined;
    let kind: RequestLogEntry['kind'] = 'arm';
    let dropAfterApply = false;
    try {
      const fault = matchFault(method, path);
      dropAfterApply = !!fault?.dropAfterApply;
      if (fault) {
        if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
        if (fault.drop) {
          log({ ...entry, status: 0, kind: 'arm' });
          req.socket.destroy();
          return;
        }
        if (fault.status) {
          const headers: Record<string, string> = {};
          if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
          throw new ArmError(fault.status, fault.code ?? defaultFaultCode(fault.status), fault.message ?? defaultFaultMessage(fault.status), [], headers);
        }
      }
      settle(ctx);
      caller = await tokens.check(req.headers.authorization, ctx.now());
      if (caller.tenantId?.toLowerCase() !== state.tenantId.toLowerCase()) {
        throw new ArmError(401, 'InvalidAuthenticationTokenTenant', `The access token is from the wrong issuer '${caller.tenantId}'. It must match the tenant associated with this subscription. Please use the authority (URL) that matches the tenant.`);
      }
      const op = operationPoll(method, path, url.search);
      if (op) {
        kind = 'poll';
        result = op;
      } else {
        result = await dispatch(method, path, url, apiVersion, raw, req, caller, requestId, fault);
        if (result.kind === 'poll') kind = 'poll';
      }
    } catch (err) {
      if (!(err instanceof ArmError)) throw err;
      result = { status: err.status, body: err.toBody(), headers: err.headers };
    }
    const headers = { ...armHeaders(req, requestId), ...(result.headers ?? {}) };
    if (WRITE_METHODS.has(method)) headers['x-ms-ratelimit-remaining-subscription-writes'] = '1199';
    else headers['x-ms-ratelimit-remaining-subscription-reads'] = '11999';
    if (WRITE_METHODS.has(method) && result.status < 400) save();
    if (dropAfterApply) {
      log({ ...entry, status: 0, kind, callerObjectId: caller?.objectId });
      req.socket.destroy();
      return;
    }
    log({ ...entry, status: result.status, kind, callerObjectId: caller?.objectId });
    if (options.onExchange) {
      let requestBody: unknown;
      try { requestBody = raw.trim() ? JSON.parse(raw) : undefined; } catch { requestBody = raw; }
      options.onExchange({ kind: kind === 'poll' ? 'poll' : 'arm', method, path, query: Object.fromEntries(url.searchParams), requestBody, status: result.status, responseHeaders: headers, responseBody: result.body === undefined ? undefined : JSON.parse(JSON.stringify(result.body)) });
    }
    sendJson(res, result.status, result.body, headers);
  }

  async function dispatch(
    method: string, path: string, url: URL, apiVersion: string | null, raw: string,
    req: IncomingMessage, caller: Caller, requestId: string, fault: Fault | undefined,
  ): Promise<ArmResult> {
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
    const result = await route.handler(armReq, ctx);
    if (fault?.lroFail) failLatestOperation(path, fault);
    if (fault?.acceptedForMs) holdAccepted(path, fault.acceptedForMs);
    return result;
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

  function failLatestOperation(path: string, fault: Fault): void {
    const ops = [...state.operations.values()].filter((o) => o.resourceId.toLowerCase() === path.toLowerCase() && o.status === 'InProgress');
    const op = ops[ops.length - 1];
    if (op) op.failWith = { code: fault.code ?? 'InternalServerError', message: fault.message ?? 'The operation failed (injected by the emulator).' };
  }

  function holdAccepted(path: string, ms: number): void {
    const res = state.get(path);
    if (!res?.properties) return;
    res.properties.provisioningState = 'Accepted';
    for (const o of state.operations.values()) {
      if (o.resourceId.toLowerCase() === path.toLowerCase() && o.status === 'InProgress') o.dueAt = Math.max(o.dueAt, ctx.now() + ms);
    }
  }

  function operationPoll(method: string, path: string, search: string): ArmResult | undefined {
    if (method !== 'GET') return undefined;
    const segs = path.split('/').filter(Boolean);
    if (segs.length < 2) return undefined;
    const op = state.operations.get(segs[segs.length - 1]);
    const seg = segs[segs.length - 2].toLowerCase();
    if (!op) return undefined;
    if (STATUS_SEGMENTS.has(seg)) {
      if (seg === 'privatednsoperationstatuses' && op.status === 'InProgress') return runningPrivateDnsPoll(ctx, op, `${ctx.baseUrl}${path}${search}`);
      const headers: Record<string, string> = op.status === 'InProgress' ? { 'retry-after': retryAfterSeconds(ctx, op) } : {};
      return { status: 200, body: operationStatusBody(op), headers, kind: 'poll' };
    }
    if (RESULT_SEGMENTS.has(seg)) {
      if (op.status === 'InProgress') {
        return { status: 202, headers: { location: `${ctx.baseUrl}${path}${search}`, 'retry-after': retryAfterSeconds(ctx, op) }, kind: 'poll' };
      }
      if (op.status === 'Failed') {
        return { status: 500, body: { error: op.failWith ?? { code: 'InternalServerError', message: 'The operation failed.' } }, kind: 'poll' };
      }
      if (op.kind === 'delete') return { status: 204, kind: 'poll' };
      const res = state.get(op.resourceId);
      return res ? { status: 200, body: res, kind: 'poll' } : { status: 204, kind: 'poll' };
    }
    return undefined;
  }

  function matchFault(method: string, path: string): Fault | undefined {
    for (const f of state.faults) {
      if (f.count !== undefined && f.hits >= f.count) continue;
      if (f.method !== '*' && f.method.toUpperCase() !== method) continue;
      if (!new RegExp(f.path, 'i').test(path)) continue;
      f.hits++;
      return f;
    }
    return undefined;
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

  function controlAllowed(req: IncomingMessage): boolean {
    if (!controlToken) return true;
    const given = Buffer.from(String(req.headers.authorization ?? ''));
    const expected = Buffer.from(`Bearer ${controlToken}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  async function control(req: IncomingMessage, res: ServerResponse, what: string, url: URL): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    if (!controlAllowed(req)) {
      req.resume();
      return sendJson(res, 401, { error: { code: 'Unauthorized', message: "This emulator listens beyond loopback, so its control endpoints need the token it printed at start: send 'Authorization: Bearer <token>'." } });
    }
    const raw = await readBody(req);
    const body = raw.trim() ? JSON.parse(raw) : undefined;
    if (what === 'requests' && method === 'GET') {
      const kinds = url.searchParams.get('kind')?.split(',');
      const value = kinds ? state.requestLog.filter((e) => kinds.includes(e.kind)) : state.requestLog;
      return sendJson(res, 200, { value });
    }
    if (what === 'requests' && method === 'DELETE') {
      state.requestLog.length = 0;
      return sendJson(res, 204);
    }
    if (what === 'reset' && method === 'POST') {
      // A scenario by name or inline, never a path from the request: the server would read any file it can.
      const asked: unknown = body?.scenario;
      if (asked !== undefined && asked !== 'demo' && (typeof asked !== 'object' || asked === null || Array.isArray(asked))) {
        return sendJson(res, 400, { error: { code: 'InvalidScenario', message: "reset takes no scenario (the one the emulator started with), 'demo', or a scenario as a JSON object; it never reads a file named in the request." } });
      }
      const fresh = loadScenario((asked as string | Scenario | undefined) ?? scenarioSource);
      Object.assign(state, { tenantId: fresh.tenantId });
      state.subscriptions = fresh.subscriptions;
      state.principals = fresh.principals;
      state.resources = fresh.resources;
      state.operations = fresh.operations;
      state.extras = fresh.extras;
      state.requestLog.length = 0;
      state.faults.length = 0;
      opts.lroDelayMs = options.lroDelayMs ?? 0;
      opts.replicationDelayMs = options.replicationDelayMs ?? 0;
      save();
      return sendJson(res, 200, { reset: true });
    }
    if (what === 'faults' && method === 'POST') {
      const list = Array.isArray(body) ? body : [body ?? {}];
      const added: Fault[] = [];
      for (const f of list) {
        if (f.replicationDelayMs !== undefined) opts.replicationDelayMs = Number(f.replicationDelayMs);
        if (f.lroDelayMs !== undefined) opts.lroDelayMs = Number(f.lroDelayMs);
        if (f.path === undefined) continue;
        const fault: Fault = { id: randomUUID(), method: f.method ?? '*', path: String(f.path), status: f.status, code: f.code, message: f.message, count: f.count, delayMs: f.delayMs, retryAfter: f.retryAfter, drop: f.drop, dropAfterApply: f.dropAfterApply, lroFail: f.lroFail, acceptedForMs: f.acceptedForMs, hits: 0 };
        new RegExp(fault.path, 'i');
        state.faults.push(fault);
        added.push(fault);
      }
      return sendJson(res, 201, { value: added, options: opts });
    }
    if (what === 'faults' && method === 'GET') return sendJson(res, 200, { value: state.faults, options: opts });
    if (what === 'faults' && method === 'DELETE') {
      state.faults.length = 0;
      return sendJson(res, 204);
    }
    if (what === 'state' && method === 'GET') {
      settle(ctx);
      const s = state.serialize();
      s.principals = s.principals.map((p) => (p.secret ? { ...p, secret: '***' } : p));
      return sendJson(res, 200, s);
    }
    if (what === 'state' && method === 'PUT') {
      // Replace resources (e.g. to set up drift in tests) without going through ARM rules.
      for (const r of (body?.resources ?? []) as { id: string }[]) state.put(r as never);
      for (const id of (body?.delete ?? []) as string[]) state.delete(id);
      save();
      return sendJson(res, 200, { ok: true });
    }
    return sendJson(res, 404, { error: { code: 'NotFound', message: `Unknown emulator control endpoint '${what}'. Known: requests, reset, faults, state.` } });
  }

  return {
    url: ctx.baseUrl,
    port,
    caCert: certs.caCert,
    caFile,
    controlToken,
    tenantId: state.tenantId,
    context: ctx,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      privateDir?.remove();
    },
  };
}

function ua(req: IncomingMessage): string | undefined {
  const v = req.headers['user-agent'];
  return typeof v === 'string' ? v : undefined;
}

function authorizationFailed(caller: Caller, action: string, scope: string): ArmError {
  return new ArmError(
    403,
    'AuthorizationFailed',
    `The client '${caller.appId ?? caller.objectId}' with object id '${caller.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

function defaultFaultCode(status: number): string {
  if (status === 429) return 'TooManyRequests';
  if (status === 409) return 'AnotherOperationInProgress';
  if (status === 503) return 'ServiceUnavailable';
  if (status >= 500) return 'InternalServerError';
  return 'BadRequest';
}

function defaultFaultMessage(status: number): string {
  if (status === 429) return 'The request is being throttled as the limit has been reached for operation type. Please try again later.';
  if (status === 409) return 'Another operation is in progress on the selected item. If there is an in-progress operation, please retry after it has finished.';
  if (status === 503) return 'The service is temporarily unavailable. Please try again later.';
  return 'The server encountered an internal error (injected by the emulator).';
}

function armHeaders(req: IncomingMessage, requestId: string): Record<string, string> {
  const corr = req.headers['x-ms-correlation-request-id'];
  return {
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': typeof corr === 'string' ? corr : randomUUID(),
    'x-ms-routing-request-id': `EASTUS:${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}Z:${requestId}`,
    'cache-control': 'no-cache',
    pragma: 'no-cache',
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, { ...headers, 'content-length': '0' });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers, 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

