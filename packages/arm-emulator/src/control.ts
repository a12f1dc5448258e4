/**
 * The emulator's own endpoints under /_emulator/ (DESIGN.md "The ARM emulator"): the request log,
 * reset, faults and state. Beyond loopback they need the control token printed at start.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { settle } from './arm/lro.js';
import type { EmulatorContext, EmulatorOptions } from './context.js';
import type { Fault } from './state.js';
import { loadScenario, type Scenario } from './scenario.js';
import { faultFromRequest } from './faults.js';
import { readBody, sendJson } from './http.js';
import { maskSecureParameters } from './providers/resources/deployments-engine.js';
import { parseThrottling, type RequestThrottle, type ThrottlingOptions } from './arm/throttling.js';

export interface ControlDeps {
  ctx: EmulatorContext;
  /** the options the emulator started with, restored by reset */
  started: { scenario: string | Scenario; lroDelayMs: number; replicationDelayMs: number; throttling?: ThrottlingOptions | boolean | 'azure' };
  throttle: RequestThrottle;
  controlToken?: string;
  save(): void;
}

export function controlHandler(deps: ControlDeps) {
  const { ctx, started, controlToken, save, throttle } = deps;
  const { state } = ctx;
  const opts: EmulatorOptions = ctx.options;

  function allowed(req: IncomingMessage): boolean {
    if (!controlToken) return true;
    const given = Buffer.from(String(req.headers.authorization ?? ''));
    const expected = Buffer.from(`Bearer ${controlToken}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  return async function control(req: IncomingMessage, res: ServerResponse, what: string, url: URL): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    if (!allowed(req)) {
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
      if (asked !== undefined && asked !== 'demo' && asked !== 'estate' && (typeof asked !== 'object' || asked === null || Array.isArray(asked))) {
        return sendJson(res, 400, { error: { code: 'InvalidScenario', message: "reset takes no scenario (the one the emulator started with), 'demo', 'estate', or a scenario as a JSON object; it never reads a file named in the request." } });
      }
      const fresh = loadScenario((asked as string | Scenario | undefined) ?? started.scenario);
      Object.assign(state, { tenantId: fresh.tenantId });
      state.subscriptions = fresh.subscriptions;
      state.principals = fresh.principals;
      state.resources = fresh.resources;
      state.operations = fresh.operations;
      state.extras = fresh.extras;
      state.requestLog.length = 0;
      state.faults.length = 0;
      opts.lroDelayMs = started.lroDelayMs;
      opts.replicationDelayMs = started.replicationDelayMs;
      throttle.configure(parseThrottling(started.throttling ?? fresh.scenarioThrottling));
      save();
      return sendJson(res, 200, { reset: true });
    }
    if (what === 'faults' && method === 'POST') {
      const list = Array.isArray(body) ? body : [body ?? {}];
      const added: Fault[] = [];
      for (const f of list) {
        if ('throttling' in (f ?? {})) {
          try {
            throttle.configure(parseThrottling(f.throttling));
          } catch (e) {
            return sendJson(res, 400, { error: { code: 'InvalidThrottling', message: (e as Error).message } });
          }
        }
        if (f.replicationDelayMs !== undefined) opts.replicationDelayMs = Number(f.replicationDelayMs);
        if (f.lroDelayMs !== undefined) opts.lroDelayMs = Number(f.lroDelayMs);
        if (f.path === undefined) continue;
        const fault = faultFromRequest(f);
        state.faults.push(fault);
        added.push(fault);
      }
      return sendJson(res, 201, { value: added, options: { ...opts, throttling: throttle.settings ?? null } });
    }
    if (what === 'faults' && method === 'GET') return sendJson(res, 200, { value: state.faults, options: { ...opts, throttling: throttle.settings ?? null } });
    if (what === 'faults' && method === 'DELETE') {
      state.faults.length = 0;
      return sendJson(res, 204);
    }
    if (what === 'state' && method === 'GET') {
      settle(ctx);
      const s = state.serialize();
      s.principals = s.principals.map((p) => (p.secret ? { ...p, secret: '***' } : p));
      s.extras = maskSecureParameters(s.extras);
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
  };
}
