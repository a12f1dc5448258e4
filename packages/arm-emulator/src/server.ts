/**
 * The emulator's HTTPS server: one origin serving ARM, the Entra token service, the data planes
 * (by host name) and its own control endpoints under /_emulator/. This module wires the parts;
 * each concern lives in its own module: `arm-requests.ts` (an ARM request end to end), `faults.ts`,
 * `operations.ts` (long-running operation polls), `control.ts`, `persistence.ts`, `http.ts`.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { PrivateDir, replacePrivateFile } from './files.js';
import { isLoopbackHost } from './arm/ipv4.js';
import { ArmError } from './arm/errors.js';
import { Router } from './arm/router.js';
import { normalizePath } from './arm/ids.js';
import { settle } from './arm/lro.js';
import type { RequestLogEntry, Principal } from './state.js';
import type { EmulatorContext, EmulatorOptions, SettleHook } from './context.js';
import { handleEntra } from './identity/entra.js';
import { TokenService } from './identity/tokens.js';
import { handleGraph } from './identity/graph.js';
import { makeCertificates, type Certificates } from './tls.js';
import type { SigningKey } from './identity/tokens.js';
import type { Scenario } from './scenario.js';
import { providers } from './providers/index.js';
import { createAuthorizer } from './providers/authorization/authorizer.js';
import type { DataPlane } from './providers/provider.js';
import { initialState, stateSaver } from './persistence.js';
import { armRequestHandler } from './arm-requests.js';
import { controlHandler } from './control.js';
import { armHeaders, sendJson, userAgent } from './http.js';
import { RequestThrottle, parseThrottling, type ThrottlingOptions } from './arm/throttling.js';

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
  /**
   * ARM's request throttling per subscription (BEHAVIOR.md): `true`/'azure' for Azure's published
   * limits, or bucket sizes and refill rates per operation type. Overrides the scenario's `throttling`.
   * Off by default.
   */
  throttling?: ThrottlingOptions | boolean | 'azure';
  /** called for every ARM request once its response is computed (conformance tests validate these) */
  onExchange?: (x: ArmExchange) => void;
  /**
   * The CA and server certificate to serve, made by `makeCertificates` for the same host, instead
   * of making new ones: a test process that starts many emulators makes one set (two RSA keys are
   * most of a start). Default: new ones, made at start.
   */
  certificates?: Certificates;
  /**
   * The key tokens are signed with when no --state file restores one, made by `newSigningKey`:
   * for the same reason (tokens of one emulator are then valid on the others sharing it). Default: new.
   */
  signingKey?: SigningKey;
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

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const scenarioSource = options.scenario ?? 'demo';
  const opts: EmulatorOptions = {
    lroDelayMs: options.lroDelayMs ?? 0,
    replicationDelayMs: options.replicationDelayMs ?? 0,
    pageSize: options.pageSize ?? 100,
  };
  const { state, signingKey } = await initialState(options.stateFile, scenarioSource, options.signingKey);
  const tokens = await TokenService.create(signingKey);
  const throttle = new RequestThrottle(parseThrottling(options.throttling ?? state.scenarioThrottling));

  const router = new Router();
  const settleHooks = new Map<string, SettleHook>();
  const dataPlanes: DataPlane[] = [];
  const writeGuards: NonNullable<(typeof providers)[number]['writeGuards']> = [];
  for (const p of providers) {
    p.register(router);
    writeGuards.push(...(p.writeGuards ?? []));
    for (const [type, hook] of Object.entries(p.settleHooks ?? {})) settleHooks.set(type.toLowerCase(), hook);
    dataPlanes.push(...(p.dataPlanes ?? []));
  }

  const ctx: EmulatorContext = {
    state,
    options: opts,
    baseUrl: '',
    authorizer: { can: () => true },
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
    internalRequest: (method, path, body, caller, apiVersion, options) => arm.internalRequest(method, path, body, caller, apiVersion, options),
  };
  ctx.authorizer = createAuthorizer(ctx);
  const save = stateSaver(options.stateFile, () => ctx.state, signingKey);

  const certs: Certificates = options.certificates ?? (await makeCertificates(host));
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
  const arm = armRequestHandler({ ctx, router, tokens, throttle, writeGuards, log, save, onExchange: options.onExchange });
  const control = controlHandler({
    ctx,
    started: { scenario: scenarioSource, lroDelayMs: options.lroDelayMs ?? 0, replicationDelayMs: options.replicationDelayMs ?? 0, throttling: options.throttling },
    throttle,
    controlToken,
    save,
  });

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
      log({ method: req.method ?? 'GET', path: `//${hostName}${url.pathname}`, status: res.statusCode, kind: 'data', userAgent: userAgent(req) });
      save();
      return;
    }
    const path = normalizePath(url.pathname);
    if (path.toLowerCase().startsWith('/_emulator/')) return control(req, res, path.slice('/_emulator/'.length).toLowerCase(), url);
    const first = path.split('/')[1]?.toLowerCase();
    if (first === 'v1.0') {
      settle(ctx);
      await handleGraph(req, res, url, ctx);
      log({ method: req.method ?? 'GET', path, status: res.statusCode, kind: 'identity', userAgent: userAgent(req) });
      return;
    }
    if (first !== 'subscriptions' && first !== 'providers' && first !== '') {
      if (await handleEntra(req, res, url, ctx, tokens)) {
        log({ method: req.method ?? 'GET', path, status: res.statusCode, kind: 'identity', userAgent: userAgent(req) });
        return;
      }
    }
    await arm.handleArm(req, res, url, path);
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
