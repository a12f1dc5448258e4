/**
 * What a plan's writes need from the caller: an action at a scope, and which role grants it. Pure:
 * the caller's effective permissions are read elsewhere (commands/preflight.ts) and passed in.
 */
import type { Permission } from '@azure/arm-authorization';
import { permitsAction, roleGranting } from './roles.js';

export interface Requirement {
  action: string;
  /** the resource (or resource group, for one not made yet) the action is performed on */
  scope: string;
  /** what the write is, in the plan's words */
  why: string;
}

export interface MissingPermission extends Requirement {
  role: string;
}

/** Requirements not granted by the permissions read at their scope; each (action, scope) once. */
export function missingPermissions(requirements: Requirement[], permissionsAt: (scope: string) => Permission[]): MissingPermission[] {
  const seen = new Set<string>();
  const out: MissingPermission[] = [];
  for (const r of requirements) {
    const key = `${r.action}|${r.scope}`.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    if (!permitsAction(permissionsAt(r.scope), r.action)) out.push({ ...r, role: roleGranting(r.action) });
  }
  return out;
}

/** The approval action of each private link target type. */
export const APPROVAL_ACTION = {
  account: 'Microsoft.CognitiveServices/accounts/privateEndpointConnectionsApproval/action',
  blob: 'Microsoft.Storage/storageAccounts/privateEndpointConnectionsApproval/action',
} as const;
