/** Managed identities of an account: a system-assigned one becomes a service principal in the directory. */
import type { EmulatorContext } from '../../context.js';
import { identityTypeInvalid, userAssignedMissing, userAssignedWithoutType } from './errors.js';

const TYPES = ['None', 'SystemAssigned', 'UserAssigned', 'SystemAssigned, UserAssigned'];

export interface AccountIdentity {
  type: string;
  principalId?: string;
  tenantId?: string;
  userAssignedIdentities?: Record<string, { principalId?: string; clientId?: string }>;
}

/**
 * The identity an account ends up with when a write asks for `requested` (undefined: unchanged).
 * Turning on system-assigned creates its principal; turning it off removes principalId and the principal.
 */
export function applyIdentity(
  ctx: EmulatorContext,
  accountId: string,
  accountName: string,
  current: AccountIdentity | undefined,
  requested: unknown,
): AccountIdentity | undefined {
  if (requested === undefined) return current;
  if (requested === null) return dropSystemIdentity(ctx, current, { type: 'None' });
  const r = requested as Partial<AccountIdentity>;
  const type = TYPES.find((t) => t.replace(/\s/g, '').toLowerCase() === String(r.type ?? '').replace(/\s/g, '').toLowerCase());
  if (!type) {
    throw identityTypeInvalid(r.type, TYPES);
  }
  const wantsSystem = type.includes('SystemAssigned');
  const wantsUser = type.includes('UserAssigned');
  const next: AccountIdentity = { type };
  if (wantsSystem) {
    if (current?.principalId && current.type.includes('SystemAssigned')) {
      next.principalId = current.principalId;
      next.tenantId = current.tenantId;
    } else {
      const p = ctx.createManagedIdentityPrincipal(accountId, accountName);
      next.principalId = p.objectId;
      next.tenantId = ctx.state.tenantId;
    }
  } else if (current?.principalId) {
    dropSystemIdentity(ctx, current, next);
  }
  if (wantsUser) next.userAssignedIdentities = userAssigned(ctx, current, r.userAssignedIdentities);
  else if (r.userAssignedIdentities && Object.keys(r.userAssignedIdentities).length) {
    throw userAssignedWithoutType();
  }
  return next;
}

function dropSystemIdentity(ctx: EmulatorContext, current: AccountIdentity | undefined, next: AccountIdentity): AccountIdentity {
  if (current?.principalId) ctx.state.principals.delete(current.principalId.toLowerCase());
  return next;
}

/** Keeps identities already attached; new ones get ids of the user-assigned identity resource when it exists. */
function userAssigned(
  ctx: EmulatorContext,
  current: AccountIdentity | undefined,
  requested: Record<string, unknown> | undefined,
): Record<string, { principalId?: string; clientId?: string }> {
  const out: Record<string, { principalId?: string; clientId?: string }> = {};
  const kept = current?.userAssignedIdentities ?? {};
  const ids = requested ? Object.keys(requested) : Object.keys(kept);
  if (!ids.length) {
    throw userAssignedMissing();
  }
  for (const id of ids) {
    if (requested && requested[id] === null) continue;
    const existing = Object.entries(kept).find(([k]) => k.toLowerCase() === id.toLowerCase())?.[1];
    const resource = ctx.state.get(id);
    out[id] = existing ?? {
      principalId: resource?.properties?.principalId ?? ctx.newGuid(),
      clientId: resource?.properties?.clientId ?? ctx.newGuid(),
    };
  }
  return out;
}
