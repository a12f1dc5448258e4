/**
 * ARM routing: path templates matched case-insensitively segment by segment,
 * api-version checked per route, and the action a write needs named for authorization.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorContext } from '../context.js';
import { ArmError } from './errors.js';

export interface Caller {
  objectId: string;
  appId?: string;
  tenantId: string;
}

export interface ArmRequest {
  method: string;
  /** normalised path as the client sent it (case kept) */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  apiVersion: string;
  body: any;
  headers: IncomingHttpHeaders;
  caller?: Caller;
  requestId: string;
}

export interface ArmResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** log kind override (long-running operation polls) */
  kind?: 'poll';
}

export type Handler = (req: ArmRequest, ctx: EmulatorContext) => ArmResult | Promise<ArmResult>;

export interface ApiVersionPolicy {
  versions: string[];
  /**
   * How ARM rejects another version: resource providers answer `NoRegisteredProviderFound`
   * naming the type; Microsoft.Resources answers `InvalidApiVersionParameter`.
   */
  style: 'provider' | 'resources';
  /** resource type named in the provider message, e.g. `accounts` */
  typeName?: string;
  locations?: string[];
}

export interface LinkedCheck {
  /** resource id (from the request) the caller must also be allowed to act on */
  scope: string;
  action: string;
}

export interface Route {
  method: string;
  template: string;
  api: ApiVersionPolicy;
  /** action a write needs at the request's scope; a function when it depends on the request */
  action?: string | ((req: ArmRequest) => string | undefined);
  /** scope the action is checked at; default: the request path */
  scope?: (req: ArmRequest) => string;
  handler: Handler;
  /** a long-running operation status endpoint or token endpoint: no authorization, logged as poll */
  poll?: boolean;
  /** reads a body that is not plain JSON (the Azure CLI sends deployments as JSONC); default JSON.parse */
  parseBody?: (raw: string) => unknown;
}

interface CompiledRoute extends Route {
  parts: { literal?: string; param?: string }[];
}

export class Router {
  private routes: CompiledRoute[] = [];

  add(route: Route): void {
    const parts = route.template
      .split('/')
      .filter(Boolean)
      .map((s) => (s.startsWith('{') && s.endsWith('}') ? { param: s.slice(1, -1) } : { literal: s.toLowerCase() }));
    this.routes.push({ ...route, parts });
  }

  /** Finds the route for a path; `methods` lists the verbs the path supports when the method does not match. */
  match(method: string, path: string): { route?: CompiledRoute; params: Record<string, string>; methods: string[] } {
    const segs = path.split('/').filter(Boolean);
    const methods: string[] = [];
    for (const r of this.routes) {
      if (r.parts.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segs.length && ok; i++) {
        const p = r.parts[i];
        if (p.literal !== undefined) ok = p.literal === segs[i].toLowerCase();
        else params[p.param!] = decodeURIComponent(segs[i]);
      }
      if (!ok) continue;
      if (r.method === method) return { route: r, params, methods };
      methods.push(r.method);
    }
    return { params: {}, methods };
  }

  all(): readonly Route[] {
    return this.routes;
  }
}

export function checkApiVersion(req: { apiVersion: string | null; path: string }, api: ApiVersionPolicy): void {
  if (!req.apiVersion) {
    throw new ArmError(
      400,
      'MissingApiVersionParameter',
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  }
  if (api.versions.includes(req.apiVersion)) return;
  const supported = api.versions.join(', ');
  if (api.style === 'resources') {
    throw new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${req.apiVersion}' is invalid. The supported versions are '${supported}'.`,
    );
  }
  throw new ArmError(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location '${(api.locations ?? ['eastus'])[0]}' and API version '${req.apiVersion}' for type '${api.typeName ?? 'unknown'}'. The supported api-versions are '${supported}'. The supported locations are '${(api.locations ?? DEFAULT_LOCATIONS).join(', ')}'.`,
  );
}

export const DEFAULT_LOCATIONS = [
  'eastus', 'eastus2', 'westus', 'westus2', 'westus3', 'centralus', 'northcentralus', 'southcentralus',
  'westeurope', 'northeurope', 'uksouth', 'francecentral', 'swedencentral', 'japaneast', 'australiaeast',
  'canadacentral', 'usgovvirginia', 'usgovarizona', 'chinaeast2', 'chinanorth3',
];
