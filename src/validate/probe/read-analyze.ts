/**
 * A Read analyze through the official REST client (@azure-rest/ai-document-intelligence): the sample
 * document inline, or a blob by `urlSource` (which the account fetches with its managed identity).
 */
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { Cloud } from '../../core/cloud.js';
import { EMULATOR_UNREACHABLE_HEADER, type DataPlaneRoute } from './data-plane-route.js';
import { httpsRequest } from './https-request.js';

export type ProbeAuth = { kind: 'token'; credential: TokenCredential } | { kind: 'key'; key: string };

export type AnalyzeOutcome =
  | { kind: 'succeeded'; content: string }
  /** refused by the account's network rules (403) */
  | { kind: 'network-denied'; message: string }
  /** reached, but the credential was refused (401) */
  | { kind: 'auth-denied'; code: string; message: string }
  /** the analyze ran and failed, e.g. ContentSourceNotAccessible */
  | { kind: 'failed'; code: string; message: string }
  | { kind: 'unreachable'; message: string };

interface ErrorBody {
  error?: { code?: string; message?: string; innererror?: { code?: string; message?: string } };
}

function errorOf(body: unknown): { code: string; message: string } {
  const e = (body as ErrorBody)?.error;
  return { code: e?.innererror?.code ?? e?.code ?? 'Unknown', message: e?.innererror?.message ?? e?.message ?? JSON.stringify(body) };
}

export async function analyzeRead(
  route: DataPlaneRoute,
  cloud: Cloud,
  host: string,
  auth: ProbeAuth,
  source: { base64Source: string } | { urlSource: string },
  position: Record<string, string>,
): Promise<AnalyzeOutcome> {
  const { default: createClient } = await import('@azure-rest/ai-document-intelligence');
  const placeAndRoute: PipelinePolicy = {
    name: 'secureDocintelProbeRoute',
    sendRequest: (req, next) => {
      if (route.agent) req.agent = route.agent;
      for (const [k, v] of Object.entries(position)) req.headers.set(k, v);
      return next(req);
    },
  };
  const client = createClient(`https://${host}`, auth.kind === 'token' ? auth.credential : { key: auth.key }, {
    credentials: { scopes: [cloud.cognitiveServicesAudience] },
    additionalPolicies: [{ policy: placeAndRoute, position: 'perCall' }],
    retryOptions: { maxRetries: 0 },
  });
  let initial;
  try {
    initial = await client.path('/documentModels/{modelId}:analyze', 'prebuilt-read').post({ contentType: 'application/json', body: source });
  } catch (e) {
    return { kind: 'unreachable', message: (e as Error).message };
  }
  const status = Number(initial.status);
  // The emulator answers 503 + x-emulator-unreachable where the host name leads nowhere (a failed connection on Azure).
  if (status === 503 && initial.headers[EMULATOR_UNREACHABLE_HEADER]) return { kind: 'unreachable', message: errorOf(initial.body).message };
  if (status === 403) {
    // A 403 is a network block only when it says so; "Key based authentication is disabled"
    // (AuthenticationTypeDisabled) or a missing data role is the credential being refused.
    const err = errorOf(initial.body);
    return isNetworkBlock(err) ? { kind: 'network-denied', message: err.message } : { kind: 'auth-denied', ...err };
  }
  if (status === 401) return { kind: 'auth-denied', ...errorOf(initial.body) };
  if (status !== 202) return { kind: 'failed', ...errorOf(initial.body) };
  const location = initial.headers['operation-location'];
  if (!location) return { kind: 'failed', code: 'NoOperationLocation', message: 'The service accepted the analyze but named no operation to poll.' };

  const header: Record<string, string> = auth.kind === 'key' ? { 'ocp-apim-subscription-key': auth.key } : { authorization: `Bearer ${(await auth.credential.getToken(cloud.cognitiveServicesAudience))?.token}` };
  for (let i = 0; i < 60; i++) {
    const res = await httpsRequest(route, location, { headers: { ...header, ...position } });
    if (res.status !== 200) return { kind: 'failed', ...errorOf(safeJson(res.body)) };
    const body = safeJson(res.body) as { status?: string; analyzeResult?: { content?: string } } & ErrorBody;
    if (body.status === 'succeeded') return { kind: 'succeeded', content: body.analyzeResult?.content ?? '' };
    if (body.status === 'failed') return { kind: 'failed', ...errorOf(body) };
    await new Promise((r) => setTimeout(r, Math.min(1000, 100 * (i + 1))));
  }
  return { kind: 'failed', code: 'Timeout', message: 'The analyze did not finish within a minute.' };
}

/** Cognitive Services' firewall answers 403 with code "403": "Access denied due to Virtual Network/Firewall rules." or "Public access is disabled…". */
export function isNetworkBlock(err: { code: string; message: string }): boolean {
  if (err.code === 'AuthenticationTypeDisabled' || err.code === 'PermissionDenied') return false;
  return /virtual network|firewall|public access is disabled|private endpoint/i.test(err.message);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { code: 'NotJson', message: text.slice(0, 200) } };
  }
}
