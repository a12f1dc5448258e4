/**
 * Who is calling a Cognitive Services endpoint: a key (`Ocp-Apim-Subscription-Key`) of the account,
 * or an Entra token for https://cognitiveservices.azure.com whose principal holds the data action.
 * Token authentication needs the account's custom subdomain host, as on Azure.
 */
import type { IncomingMessage } from 'node:http';
import type { EmulatorContext } from '../context.js';
import type { Resource } from '../state.js';
import { keysOf } from '../providers/cognitiveservices/keys.js';
import { principalCan } from '../providers/authorization/authorizer.js';

export type AuthDecision =
  | { ok: true; principalId?: string }
  | { ok: false; status: number; code: string; message: string };

const AUDIENCES = ['https://cognitiveservices.azure.com', 'https://cognitiveservices.azure.us', 'https://cognitiveservices.azure.cn'];

const deny = (status: number, code: string, message: string): AuthDecision => ({ ok: false, status, code, message });

function audienceOf(token: string): string {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return String(payload.aud ?? '').replace(/\/$/, '').toLowerCase();
  } catch {
    return '';
  }
}

export interface DataOperation {
  /** e.g. `Microsoft.CognitiveServices/accounts/FormRecognizer/documentmodels:analyze/action` */
  dataAction: string;
  /** e.g. `POST /documentintelligence/documentModels/{modelId}:analyze` */
  display: string;
}

export function authenticate(
  req: IncomingMessage, ctx: EmulatorContext, account: Resource, viaCustomDomain: boolean, op: DataOperation,
): AuthDecision {
  const key = req.headers['ocp-apim-subscription-key'];
  if (typeof key === 'string' && key) {
    if (account.properties?.disableLocalAuth === true) {
      return deny(403, 'AuthenticationTypeDisabled', 'Key based authentication is disabled for this resource.');
    }
    const keys = keysOf(ctx, account.id);
    if (key !== keys.key1 && key !== keys.key2) {
      return deny(401, '401', 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.');
    }
    return { ok: true };
  }
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string' && /^Bearer\s+/i.test(authorization)) {
    if (!viaCustomDomain) return deny(401, '401', 'Please provide a custom subdomain for token authentication, otherwise API access will be denied.');
    const invalid = deny(401, '401', 'Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.');
    let objectId: string;
    try {
      objectId = ctx.verifyBearer(authorization).objectId;
    } catch {
      return invalid;
    }
    if (!AUDIENCES.includes(audienceOf(authorization.replace(/^Bearer\s+/i, '')))) return invalid;
    if (!principalCan(ctx, objectId, op.dataAction, account.id, true)) {
      return deny(401, 'PermissionDenied', `The principal \`${objectId}\` lacks the required data action \`${op.dataAction}\` to perform \`${op.display}\` operation.`);
    }
    return { ok: true, principalId: objectId };
  }
  return deny(401, '401', 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.');
}
