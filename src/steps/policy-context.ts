/** What the policy command's steps share: where the initiative goes, what the user chose, and the built-ins as ARM returned them. */
import type { PolicyDefinition } from '@azure/arm-policy';
import type { Settings } from '../core/settings.js';
import type { ArmSession } from '../azure/session.js';
import type { IoHost } from '../io/host.js';
import type { CallerAccess } from '../azure/caller-access.js';
import type { InitiativeChoices, InitiativeMember } from '../posture/policy-initiative.js';
import { ASSIGNMENT_NAME, INITIATIVE_NAME } from '../posture/policy-initiative.js';
import { policyAssignmentId, policySetDefinitionId } from '../core/resource-id.js';

export interface PolicyScope {
  kind: 'subscription' | 'managementGroup';
  /** `/subscriptions/{id}` or `/providers/Microsoft.Management/managementGroups/{name}` */
  id: string;
  subscriptionId?: string;
  managementGroup?: string;
}

export interface PolicyContext {
  settings: Settings;
  session: ArmSession;
  host: IoHost;
  env: NodeJS.ProcessEnv;
  access: CallerAccess;
  scope: PolicyScope;
  choices: InitiativeChoices;
  members: InitiativeMember[];
  /** the members' built-in definitions, by GUID (lowercase) */
  definitions: Map<string, PolicyDefinition>;
  /** region of the assignment's managed identity */
  location: string;
}

export const initiativeId = (scope: PolicyScope) => policySetDefinitionId(scope.id, INITIATIVE_NAME);
export const assignmentId = (scope: PolicyScope) => policyAssignmentId(scope.id, ASSIGNMENT_NAME);

/** Effects that change resources (and so need the assignment's identity and remediation tasks). */
export function remediates(effect: string | undefined): boolean {
  return /^(deployIfNotExists|modify)$/i.test(effect ?? '');
}

/** The effect a member runs with under this run's choices: its definition's default unless the initiative passes `effect`. */
export function memberEffect(ctx: PolicyContext, m: InitiativeMember): string {
  if (m.parameters.effect) return ctx.choices.effect;
  const def = ctx.definitions.get(m.guid);
  const fixed = (def?.policyRule as { then?: { effect?: string } } | undefined)?.then?.effect;
  return String(def?.parameters?.effect?.defaultValue ?? fixed ?? '');
}

/** roleDefinitionIds the member's definition names (the roles its remediation needs). */
export function memberRoles(ctx: PolicyContext, m: InitiativeMember): string[] {
  const rule = ctx.definitions.get(m.guid)?.policyRule as { then?: { details?: { roleDefinitionIds?: string[] } } } | undefined;
  return rule?.then?.details?.roleDefinitionIds ?? [];
}
