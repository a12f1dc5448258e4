/**
 * Guide step 1 — "Setup managed identity for Document Intelligence": turn on the account's
 * system-assigned managed identity, keeping any user-assigned identities.
 */
import type { StepContext } from './context.js';
import type { Change, StepPlan } from '../plan/types.js';
import { noOp } from '../plan/types.js';

export const IDENTITY_STEP = { id: 'identity', title: 'Set up the managed identity' } as const;

function withSystemAssigned(type: string | undefined): string {
  if (!type || type === 'None') return 'SystemAssigned';
  if (type.includes('SystemAssigned')) return type;
  return 'SystemAssigned, UserAssigned';
}

export function planIdentity(ctx: StepContext): StepPlan {
  const account = ctx.targets.account!;
  const before = account.identity?.type ?? 'None';
  const after = withSystemAssigned(before);
  if (before === after && account.identity?.principalId) {
    return { ...IDENTITY_STEP, changes: [noOp(account.id, 'identity.type', before)] };
  }
  const identity: Record<string, unknown> = { type: after };
  // PATCH replaces `identity` as a whole: name the user-assigned identities again so they stay.
  if (account.identity?.userAssignedIdentities) {
    identity.userAssignedIdentities = Object.fromEntries(Object.keys(account.identity.userAssignedIdentities).map((k) => [k, {}]));
  }
  const change: Change = { action: 'update', resourceId: account.id, property: 'identity.type', before, after };
  return {
    ...IDENTITY_STEP,
    changes: [change],
    requires: [{ action: 'Microsoft.CognitiveServices/accounts/write', scope: account.id, why: `turning on the managed identity of ${account.name}` }],
    writes: [{ operation: 'patch-account', resourceId: account.id, body: { identity }, changes: [change] }],
  };
}
