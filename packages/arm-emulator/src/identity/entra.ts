/**
 * An Entra-compatible token service on the emulator's own origin: OpenID configuration,
 * signing keys, instance discovery, and the client-credentials grant (v2 and v1/ADFS forms),
 * so that @azure/identity (MSAL) and `az login --service-principal` obtain tokens from it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.js';
import type { TokenService } from './tokens.js';

export const TOKEN_LIFETIME_SECONDS = 3600;

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function openIdConfiguration(base: string, tenant: string, v2: boolean): Record<string, unknown> {
  const authority = `${base}/${tenant}`;
  const issuer = v2 ? `${authority}/v2.0` : tenant === 'adfs' ? `${base}/adfs` : `${base}/${tenant}/`;
  const oauth = v2 ? `${authority}/oauth2/v2.0` : `${authority}/oauth2`;
  return {
    token_endpoint: `${oauth}/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: v2 ? `${authority}/discovery/v2.0/keys` : `${authority}/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/oidc/userinfo`,
    authorization_endpoint: `${oauth}/authorize`,
    device_authorization_endpoint: `${oauth}/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${oauth}/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'tid', 'oid', 'appid'],
    kerberos_endpoint: `${authority}/kerberos`,
    tenant_region_scope: 'NA',
    cloud_instance_name: new URL(base).host,
    cloud_graph_host_name: new URL(base).host,
    msgraph_host: new URL(base).host,
    rbac_url: base,
  };
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function audienceOf(form: URLSearchParams): string {
  const resource = form.get('resource');
  if (resource) return resource;
  const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default')) ?? 'https://management.azure.com/.default';
  const aud = scope.slice(0, -'.default'.length);
  return aud;
}

/** Returns true when the request was an identity request and has been answered. */
export async function handleEntra(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: EmulatorContext,
  tokens: TokenService,
): Promise<boolean> {
  const segs = url.pathname.split('/').filter(Boolean);
  if (segs.length === 0) return false;
  const tenant = segs[0];
  const rest = segs.slice(1).join('/').toLowerCase();
  const base = ctx.baseUrl;

  if (tenant === 'common' && rest === 'discovery/instance') {
    const authority = url.searchParams.get('authorization_endpoint') ?? `${base}/common/oauth2/v2.0/authorize`;
    json(res, 200, {
      tenant_discovery_endpoint: `${base}/${ctx.state.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: new URL(base).host, preferred_cache: new URL(base).host, aliases: [new URL(base).host] }],
      authority,
    });
    return true;
  }
  if (rest === 'v2.0/.well-known/openid-configuration') {
    json(res, 200, openIdConfiguration(base, tenant, true));
    return true;
  }
  if (rest === '.well-known/openid-configuration') {
    json(res, 200, openIdConfiguration(base, tenant, false));
    return true;
  }
  if (rest === 'discovery/v2.0/keys' || rest === 'discovery/keys') {
    json(res, 200, tokens.jwks());
    return true;
  }
  if (req.method === 'POST' && (rest === 'oauth2/v2.0/token' || rest === 'oauth2/token')) {
    const form = await readForm(req);
    const v2 = rest.includes('v2.0');
    const grant = form.get('grant_type');
    if (grant !== 'client_credentials') {
      json(res, 400, {
        error: 'unsupported_grant_type',
        error_description: `AADSTS70003: The app requested an unsupported grant type '${grant}'. The emulator supports client_credentials.`,
        error_codes: [70003],
      });
      return true;
    }
    let clientId = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? '';
    const basic = /^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
    if (basic) {
      const [id, s] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id);
      secret = decodeURIComponent(s ?? '');
    }
    const tenantId = tenant === 'adfs' || tenant === 'organizations' || tenant === 'common' ? ctx.state.tenantId : tenant;
    if (tenantId.toLowerCase() !== ctx.state.tenantId.toLowerCase()) {
      json(res, 400, {
        error: 'invalid_request',
        error_description: `AADSTS90002: Tenant '${tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
        error_codes: [90002],
      });
      return true;
    }
    const principal = [...ctx.state.principals.values()].find(
      (p) => p.appId?.toLowerCase() === clientId.toLowerCase() && p.secret !== undefined,
    );
    if (!principal) {
      json(res, 400, {
        error: 'unauthorized_client',
        error_description: `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${ctx.state.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
        error_codes: [700016],
      });
      return true;
    }
    if (principal.secret !== secret) {
      json(res, 401, {
        error: 'invalid_client',
        error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
        error_codes: [7000215],
      });
      return true;
    }
    const aud = audienceOf(form);
    // The same issuer the authority's OpenID configuration announces.
    const issuer = v2 ? `${base}/${ctx.state.tenantId}/v2.0` : tenant === 'adfs' ? `${base}/adfs` : `${base}/${ctx.state.tenantId}/`;
    const token = await tokens.sign(
      { aud, iss: issuer, oid: principal.objectId, tid: ctx.state.tenantId, appid: principal.appId, idtyp: 'app' },
      TOKEN_LIFETIME_SECONDS,
      ctx.now(),
    );
    const now = Math.floor(ctx.now() / 1000);
    json(res, 200, {
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_SECONDS,
      ext_expires_in: TOKEN_LIFETIME_SECONDS,
      expires_on: String(now + TOKEN_LIFETIME_SECONDS),
      not_before: String(now),
      resource: aud,
      access_token: token,
    });
    return true;
  }
  return false;
}
