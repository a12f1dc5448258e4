/**
 * Guide step 3 — "Enable access to storage from Document Intelligence": the account's managed
 * identity gets Storage Blob Data Reader (or Contributor) on the storage account, unless it already
 * holds a role whose data actions cover what that role grants, at the account, its group or subscription.
 */
import type { AuthorizationManagementClient, RoleAssignment, RoleDefinition } from '@azure/arm-authorization';
import type { StepContext } from './context.js';
import { arm } from './context.js';
import type { StepPlan } from '../plan/types.js';
import { noOp } from '../plan/types.js';
import { deterministicGuid } from '../azure/deterministic-name.js';
import { explainAzureError } from '../azure/remedies.js';
import { AzureOperationError } from '../core/errors.js';
import type { DataRole } from '../core/settings.js';
import { subscriptionOf } from '../core/resource-id.js';

export const GRANT_STEP = { id: 'grant', title: 'Grant the identity access to storage' } as const;

const BLOBS = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs';

export const DATA_ROLES: Record<DataRole, { roleName: string; guid: string; dataActions: string[] }> = {
  reader: { roleName: 'Storage Blob Data Reader', guid: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', dataActions: [`${BLOBS}/read`] },
  contributor: {
    roleName: 'Storage Blob Data Contributor',
    guid: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
    dataActions: [`${BLOBS}/read`, `${BLOBS}/write`, `${BLOBS}/delete`],
  },
};

/** Built-in blob data roles whose permissions are fixed: no need to read their definitions. */
const BUILT_IN_BLOB_ROLES: Record<string, RoleDefinition> = {
  [DATA_ROLES.reader.guid]: { roleName: DATA_ROLES.reader.roleName, permissions: [{ actions: [], dataActions: DATA_ROLES.reader.dataActions }] },
  [DATA_ROLES.contributor.guid]: { roleName: DATA_ROLES.contributor.roleName, permissions: [{ actions: [], dataActions: DATA_ROLES.contributor.dataActions }] },
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': { roleName: 'Storage Blob Data Owner', permissions: [{ actions: [], dataActions: [`${BLOBS}/*`] }] },
};

/** A role definition by id, from the built-in table when its permissions are fixed, else read once per run. */
export async function roleDefinition(auth: AuthorizationManagementClient, roleDefinitionId: string, cache: Map<string, RoleDefinition>): Promise<RoleDefinition> {
  const key = roleDefinitionId.toLowerCase();
  const known = BUILT_IN_BLOB_ROLES[key.split('/').pop()!];
  if (known) return known;
  if (!cache.has(key)) cache.set(key, await arm(`reading role definition ${roleDefinitionId}`, () => auth.roleDefinitions.getById(roleDefinitionId)));
  return cache.get(key)!;
}

function matches(pattern: string, action: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 'i');
  return re.test(action);
}

/** Whether a role definition's data actions grant every one of `wanted`. */
export function coversDataActions(def: RoleDefinition, wanted: string[]): boolean {
  return wanted.every((action) =>
    (def.permissions ?? []).some(
      (p) => (p.dataActions ?? []).some((a) => matches(a, action)) && !(p.notDataActions ?? []).some((a) => matches(a, action)),
    ),
  );
}

export function isAtOrAbove(scope: string, id: string): boolean {
  const s = scope.toLowerCase().replace(/\/$/, '');
  const k = id.toLowerCase();
  return s === '' || k === s || k.startsWith(s + '/');
}

export interface GrantTiming {
  /** how long to keep retrying PrincipalNotFound while the identity replicates */
  replicationWaitMs: number;
  firstDelayMs: number;
}

export function grantTiming(env: NodeJS.ProcessEnv): GrantTiming {
  const s = Number(env.SECURE_DOCINTEL_REPLICATION_WAIT_SECONDS);
  return { replicationWaitMs: Number.isFinite(s) && s >= 0 ? s * 1000 : 180_000, firstDelayMs: Number(env.SECURE_DOCINTEL_RETRY_DELAY_MS) || 2000 };
}

export async function planGrant(ctx: StepContext, principalId: string | undefined): Promise<StepPlan> {
  const storageId = ctx.targets.storage!.id;
  // The assignment's scope is the storage account, so it goes through that account's subscription.
  const sub = subscriptionOf(storageId);
  const role = DATA_ROLES[ctx.settings.role];
  const roleDefinitionId = `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${role.guid}`;
  const property = `roleAssignments[${role.roleName}]`;

  if (principalId) {
    const auth = await ctx.session.authorization(sub);
    const assignments: RoleAssignment[] = [];
    await arm(`listing role assignments on ${storageId}`, async () => {
      for await (const a of auth.roleAssignments.listForScope(storageId, { filter: `principalId eq '${principalId}'` })) assignments.push(a);
    });
    const definitions = new Map<string, RoleDefinition>();
    for (const a of assignments.filter((x) => isAtOrAbove(x.scope ?? '', storageId))) {
      const def = await roleDefinition(auth, a.roleDefinitionId!, definitions);
      if (coversDataActions(def, role.dataActions)) {
        return { ...GRANT_STEP, changes: [noOp(storageId, property, `${def.roleName} for ${principalId} at ${a.scope}`)] };
      }
    }
  }

  const after = { role: role.roleName, principalId: principalId ?? '(the identity created in step 1)', principalType: 'ServicePrincipal', scope: storageId };
  return {
    ...GRANT_STEP,
    changes: [{ action: 'create', resourceId: storageId, property, before: null, after }],
    apply: async () => {
      const pid = principalId ?? ctx.targets.account?.identity?.principalId;
      if (!pid) throw new AzureOperationError('The account has no system-assigned identity to grant access to.', 'PrincipalNotFound', 'Run `secure-docintel identity` first.');
      await createAssignment(ctx, storageId, pid, roleDefinitionId);
    },
  };
}

async function createAssignment(ctx: StepContext, scope: string, principalId: string, roleDefinitionId: string): Promise<void> {
  const auth = await ctx.session.authorization(subscriptionOf(scope));
  const name = deterministicGuid(scope, principalId, roleDefinitionId);
  const timing = grantTiming(ctx.env);
  const deadline = Date.now() + timing.replicationWaitMs;
  let delay = timing.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await auth.roleAssignments.create(scope, name, { roleDefinitionId, principalId, principalType: 'ServicePrincipal' });
      return;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'RoleAssignmentExists') return;
      if (code === 'PrincipalNotFound' && Date.now() + delay <= deadline) {
        ctx.host.debug(`identity ${principalId} not replicated yet (attempt ${attempt}); retrying in ${Math.round(delay / 1000)} s`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 30_000);
        continue;
      }
      throw explainAzureError(e, `assigning ${roleDefinitionId.split('/').pop()} to ${principalId} on ${scope}`);
    }
  }
}
