/**
 * What the signed-in identity may do in ARM, for explaining AuthorizationFailed and
 * LinkedAuthorizationFailed: its object id from its token, and its effective permissions at a scope
 * (the same `Microsoft.Authorization/permissions` reads the preflight makes, through ctx.access).
 */
import type { StepContext } from '../steps/context.js';
import { isNotFound } from '../posture/not-found.js';
import { permitsAction } from '../posture/roles.js';

export interface CallerPermissions {
  objectId?: string;
  /** whether the caller holds `action` at `scope` (its resource group when it does not exist yet); false when neither can be read */
  can(action: string, scope: string): Promise<boolean>;
}

function objectIdOf(token: string): string | undefined {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).oid;
  } catch {
    return undefined;
  }
}

export async function callerPermissions(ctx: StepContext): Promise<CallerPermissions> {
  const scope = ctx.session.options.armEndpoint ? 'https://management.azure.com/.default' : ctx.settings.cloud.armScope;
  const token = await ctx.session.credential.getToken(scope);
  const objectId = token ? objectIdOf(token.token) : undefined;
  // A resource not made yet (e.g. a zone) is judged at its resource group, as the write that makes it would be.
  const can = (action: string, at: string) =>
    ctx.access
      .can(action, at)
      .catch((e) => (isNotFound(e) && /\/providers\//i.test(at) ? ctx.access.permissionsWhereMade(at).then((p) => permitsAction(p, action)).catch(() => false) : false));
  return { objectId, can };
}
