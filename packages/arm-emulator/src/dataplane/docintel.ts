/**
 * The Document Intelligence data plane at `https://{customSubDomainName}.cognitiveservices.azure.com`
 * (and the regional `{region}.api.cognitive.microsoft.com`, keys only): `prebuilt-read` analyze with
 * `base64Source` or `urlSource`, answered according to the account's network rules and the caller's credentials.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { DataPlane } from '../providers/provider.js';
import type { EmulatorContext } from '../context.js';
import type { Resource } from '../state.js';
import { callerPosition } from './position.js';
import { networkDecision } from './docintel-network.js';
import { authenticate, type DataOperation } from './docintel-auth.js';
import { readDocument, UnsupportedContent } from './docintel-read-model.js';
import { fetchUrlSource } from './docintel-content-source.js';
import { recordOperation, findOperation, operationBody } from './docintel-results.js';
import { CUSTOM_DOMAIN_SUFFIXES, REGIONAL_SUFFIXES, normalizeLocation } from '../providers/cognitiveservices/cloud.js';
import { accountBySubdomain } from '../providers/cognitiveservices/model.js';
import { accountWithKey } from '../providers/cognitiveservices/keys.js';

/** Path prefix → api-versions it serves. */
const SURFACES: Record<string, string[]> = {
  documentintelligence: ['2024-11-30', '2024-07-31-preview', '2024-02-29-preview', '2023-10-31-preview'],
  formrecognizer: ['2023-07-31', '2022-08-31'],
};
const MODELS = ['prebuilt-read'];

const ANALYZE: DataOperation = { dataAction: 'Microsoft.CognitiveServices/accounts/FormRecognizer/documentmodels:analyze/action', display: '' };
const READ_RESULT: DataOperation = { dataAction: 'Microsoft.CognitiveServices/accounts/FormRecognizer/documentmodels/analyzeresults/read', display: '' };

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const error = (status: number, code: string, message: string, innererror?: { code: string; message: string }): Reply => ({
  status,
  body: { error: { code, message, ...(innererror ? { innererror } : {}) } },
});
const NOT_FOUND = error(404, '404', 'Resource not found');

function hostKind(host: string): { subdomain?: string; region?: string } | undefined {
  for (const s of CUSTOM_DOMAIN_SUFFIXES) if (host.endsWith(`.${s}`)) return { subdomain: host.slice(0, -(s.length + 1)) };
  for (const s of REGIONAL_SUFFIXES) if (host.endsWith(`.${s}`)) return { region: host.slice(0, -(s.length + 1)) };
  return undefined;
}

/** The account a request is for: by its custom subdomain, or on a regional host by the key it presents. */
function resolveAccount(ctx: EmulatorContext, req: IncomingMessage, host: string): Resource | undefined {
  const kind = hostKind(host);
  if (kind?.subdomain) return accountBySubdomain(ctx, kind.subdomain);
  const key = req.headers['ocp-apim-subscription-key'];
  if (!kind?.region || typeof key !== 'string') return undefined;
  const id = accountWithKey(ctx, key);
  const account = id ? ctx.state.get(id) : undefined;
  return account && normalizeLocation(account.location) === kind.region ? account : undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function analyze(
  ctx: EmulatorContext, req: IncomingMessage, account: Resource, body: Buffer, surface: string, modelId: string, apiVersion: string, host: string,
): Promise<Reply> {
  let document: Buffer | undefined;
  let urlSource: string | undefined;
  const contentType = String(req.headers['content-type'] ?? 'application/json').toLowerCase();
  if (contentType.startsWith('application/json')) {
    let json: { base64Source?: unknown; urlSource?: unknown };
    try {
      json = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      return error(400, 'InvalidRequest', 'Invalid request.', { code: 'InvalidContent', message: 'The request body is not valid JSON.' });
    }
    if (typeof json.base64Source === 'string') document = Buffer.from(json.base64Source, 'base64');
    else if (typeof json.urlSource === 'string') urlSource = json.urlSource;
    else return error(400, 'InvalidRequest', 'Invalid request.', { code: 'InvalidContentSourceFormat', message: 'Invalid content source: must be a valid URL or base64-encoded data.' });
  } else {
    document = body;
  }
  let result: { analyzeResult?: Record<string, unknown>; error?: Record<string, unknown> };
  if (document) {
    try {
      result = { analyzeResult: readDocument(document, apiVersion, modelId) };
    } catch (e) {
      if (!(e instanceof UnsupportedContent)) throw e;
      return error(400, 'InvalidRequest', 'Invalid request.', { code: 'InvalidContent', message: e.message });
    }
  } else {
    const fetched = await fetchUrlSource(ctx, account, urlSource!);
    result = fetched.ok
      ? { analyzeResult: readDocument(fetched.content, apiVersion, modelId) }
      : { error: { code: 'InvalidRequest', message: 'Invalid request.', innererror: { code: 'ContentSourceNotAccessible', message: fetched.message } } };
  }
  const resultId = recordOperation(ctx, { accountId: account.id, modelId, ...result });
  return {
    status: 202,
    headers: { 'operation-location': `https://${host}/${surface}/documentModels/${modelId}/analyzeResults/${resultId}?api-version=${apiVersion}` },
  };
}

async function route(ctx: EmulatorContext, req: IncomingMessage, url: URL, host: string): Promise<Reply> {
  const body = await readBody(req);
  const account = resolveAccount(ctx, req, host);
  const viaCustomDomain = Boolean(hostKind(host)?.subdomain);
  if (!account) {
    if (!viaCustomDomain && !req.headers['ocp-apim-subscription-key'] && req.headers.authorization) {
      return error(401, '401', 'Please provide a custom subdomain for token authentication, otherwise API access will be denied.');
    }
    return viaCustomDomain ? NOT_FOUND : error(401, '401', 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.');
  }
  const net = networkDecision(ctx, account, callerPosition(req, ctx), host);
  if (!net.ok) return { ...error(net.status, net.code, net.message), ...(net.headers ? { headers: net.headers } : {}) };

  const path = decodeURIComponent(url.pathname);
  const analyzeMatch = /^\/(documentintelligence|formrecognizer)\/documentModels\/([^/:]+):analyze$/i.exec(path);
  const resultMatch = /^\/(documentintelligence|formrecognizer)\/documentModels\/([^/:]+)\/analyzeResults\/([^/]+)$/i.exec(path);
  const match = analyzeMatch ?? resultMatch;
  const method = (req.method ?? 'GET').toUpperCase();
  if (!match || (analyzeMatch && method !== 'POST') || (resultMatch && method !== 'GET')) return NOT_FOUND;
  const surface = match[1].toLowerCase();
  const apiVersion = url.searchParams.get('api-version') ?? '';
  if (!SURFACES[surface].includes(apiVersion)) {
    return error(404, '404', 'Resource not found');
  }
  const op = analyzeMatch
    ? { ...ANALYZE, display: `POST /${surface}/documentModels/{modelId}:analyze` }
    : { ...READ_RESULT, display: `GET /${surface}/documentModels/{modelId}/analyzeResults/{resultId}` };
  const auth = authenticate(req, ctx, account, viaCustomDomain, op);
  if (!auth.ok) return error(auth.status, auth.code, auth.message);

  const modelId = match[2];
  if (!MODELS.includes(modelId.toLowerCase())) {
    return error(404, 'NotFound', 'Resource not found.', { code: 'ModelNotFound', message: 'The requested model was not found.' });
  }
  if (analyzeMatch) return analyze(ctx, req, account, body, surface, modelId.toLowerCase(), apiVersion, String(req.headers.host ?? host));
  const found = findOperation(ctx, account.id, match[3]);
  if (!found) return error(404, 'NotFound', 'Resource not found.', { code: 'AnalyzeResultNotFound', message: 'Analyze result not found.' });
  return { status: 200, body: operationBody(ctx, found) };
}

export const documentIntelligenceDataPlane: DataPlane = {
  name: 'Document Intelligence',
  matches: (host) => Boolean(hostKind(host)),
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, ctx: EmulatorContext) {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const reply = await route(ctx, req, url, host);
    const headers: Record<string, string> = { 'apim-request-id': randomUUID(), 'x-content-type-options': 'nosniff', ...(reply.headers ?? {}) };
    if (reply.body === undefined) {
      res.writeHead(reply.status, { ...headers, 'content-length': '0' });
      res.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  },
};
