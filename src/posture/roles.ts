/**
 * What a role covers: the data roles this guide grants, Azure's wildcard action matching, and
 * which built-in role grants a control-plane action (for telling the caller what to ask for).
 */
import type { Permission, RoleDefinition } from '@azure/arm-authorization';
import type { DataRole } from '../core/settings.js';

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
export const BUILT_IN_BLOB_ROLES: Record<string, RoleDefinition> = {
  [DATA_ROLES.reader.guid]: { roleName: DATA_ROLES.reader.roleName, permissions: [{ actions: [], dataActions: DATA_ROLES.reader.dataActions }] },
  [DATA_ROLES.contributor.guid]: { roleName: DATA_ROLES.contributor.roleName, permissions: [{ actions: [], dataActions: DATA_ROLES.contributor.dataActions }] },
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': { roleName: 'Storage Blob Data Owner', permissions: [{ actions: [], dataActions: [`${BLOBS}/*`] }] },
};

/** Azure's action pattern match: `*` anywhere, case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 'i');
  return re.test(action);
}

/** Whether a role definition's data actions grant every one of `wanted`. */
export function coversDataActions(def: RoleDefinition, wanted: string[]): boolean {
  return wanted.every((action) =>
    (def.permissions ?? []).some(
      (p) => (p.dataActions ?? []).some((a) => actionMatches(a, action)) && !(p.notDataActions ?? []).some((a) => actionMatches(a, action)),
    ),
  );
}

/** Whether effective permissions (as `Microsoft.Authorization/permissions` lists them) allow a control-plane action. */
export function permitsAction(permissions: Permission[], action: string): boolean {
  return permissions.some((p) => (p.actions ?? []).some((a) => actionMatches(a, action)) && !(p.notActions ?? []).some((a) => actionMatches(a, action)));
}

/** Whether `scope` is `id` or one of its ancestors ('' and '/' are above everything). */
export function isAtOrAbove(scope: string, id: string): boolean {
  const s = scope.toLowerCase().replace(/\/$/, '');
  const k = id.toLowerCase();
  return s === '' || k === s || k.startsWith(s + '/');
}

const ROLE_FOR_ACTION: [RegExp, string][] = [
  [/^Microsoft\.Authorization\/roleAssignments/i, 'Owner, User Access Administrator or Role Based Access Control Administrator'],
  [/^Microsoft\.Authorization\/policy(?:Assignments|Definitions|SetDefinitions)\//i, 'Resource Policy Contributor (or Owner)'],
  [/^Microsoft\.PolicyInsights\/remediations\//i, 'Resource Policy Contributor (or Owner)'],
  [/privateEndpointConnectionsApproval\/action$/i, 'Owner or Contributor on the target (or a custom role with this action)'],
  [/^Microsoft\.CognitiveServices\//i, 'Cognitive Services Contributor'],
  [/^Microsoft\.Storage\//i, 'Storage Account Contributor'],
  [/^Microsoft\.Network\/privateDnsZones/i, 'Private DNS Zone Contributor'],
  [/^Microsoft\.Network\//i, 'Network Contributor'],
];

/** The built-in role(s) that grant a control-plane action; undefined when this guide knows none. */
export function knownRoleFor(action: string): string | undefined {
  return ROLE_FOR_ACTION.find(([re]) => re.test(action))?.[1];
}

export function roleGranting(action: string): string {
  return knownRoleFor(action) ?? `a role with ${action}`;
}
