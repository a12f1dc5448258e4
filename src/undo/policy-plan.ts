/**
 * The undo of a `policy` run's own resources, in the order Azure lets them go: its remediation tasks
 * (before the roles their identity acted with) → [the role assignments, planUndo's step] → the
 * assignment (its system-assigned identity goes with it) → the set definition (once nothing is
 * assigned to it). What the run created is deleted; an assignment or set definition it updated gets
 * its recorded "before" back. Deleting a remediation task removes its record only: what its
 * deployments changed (Modify: a property; DeployIfNotExists: endpoints, zone groups) stays, and the
 * plan names each resource it touched as permanent.
 */
import type { ArmSession } from '../azure/session.js';
import { listResources, type ResourceSnapshot } from '../azure/arm-resource.js';
import type { JournalDocument } from '../journal/journal.js';
import type { Change, StepPlan, Write } from '../plan/types.js';
import { noOp } from '../plan/types.js';
import type { Requirement } from '../posture/permissions.js';
import { arm } from '../steps/context.js';
import { nameOf, scopeOf, scopeParts, subscriptionOf } from '../core/resource-id.js';
import { isTerminal } from '../steps/policy-remediation-run.js';
import { differences } from './compare.js';
import type { Item, Permanent } from './plan.js';

const T = {
  remediation: 'microsoft.policyinsights/remediations',
  assignment: 'microsoft.authorization/policyassignments',
  initiative: 'microsoft.authorization/policysetdefinitions',
} as const;

export const POLICY_UNDO_STEPS = ['undo-policy-remediations', 'undo-policy-assignment', 'undo-policy-initiative'] as const;

type Writes = Write[];

/** What planUndo shares with this module: its reads, its drift rule and its step builders. */
export interface UndoKit {
  session: ArmSession;
  doc: JournalDocument;
  ofType: (type: string) => Item[];
  mayTouch: (i: Item, what: string) => boolean;
  deletions: (type: string, action: string, scopeOf?: (id: string) => string, keep?: (i: Item) => string | undefined) => { changes: Change[]; requires: Requirement[]; writes: Writes };
  step: (id: string, title: string, changes: Change[], requires: Requirement[], writes: Writes) => StepPlan;
  notes: string[];
  permanent: Permanent[];
}

const key = (id: unknown) => String(id ?? '').toLowerCase();

/** The resources a remediation deployed to (successfully), read before it is deleted. */
async function remediated(session: ArmSession, id: string): Promise<{ resourceId: string; deploymentId?: string }[]> {
  const name = nameOf(id);
  const s = scopeParts(scopeOf(id));
  const insights = await session.policyInsights(s.subscriptionId || undefined);
  const out: { resourceId: string; deploymentId?: string }[] = [];
  await arm(`reading the deployments of remediation ${name}`, async () => {
    const pages = s.managementGroup
      ? insights.remediations.listDeploymentsAtManagementGroup(s.managementGroup, name)
      : s.resourceGroup
        ? insights.remediations.listDeploymentsAtResourceGroup(s.resourceGroup, name)
        : insights.remediations.listDeploymentsAtSubscription(name);
    for await (const d of pages) {
      if (d.remediatedResourceId && String(d.status).toLowerCase() === 'succeeded') out.push({ resourceId: d.remediatedResourceId, ...(d.deploymentId ? { deploymentId: d.deploymentId } : {}) });
    }
  });
  return out;
}

/** What a member's definition changes on a resource, from its policy rule: Modify's fields, or the type DeployIfNotExists deploys. */
async function whatItChanges(kit: UndoKit, remediation: Item): Promise<string> {
  const ref = key(remediation.now.body?.properties?.policyDefinitionReferenceId);
  const sets = kit.ofType(T.initiative);
  const set = sets.map((i) => (i.now.exists ? i.now : i.r.after ?? i.r.before)).find((x) => x?.body);
  const defId = (set?.body?.properties?.policyDefinitions ?? []).find((d: any) => key(d.policyDefinitionReferenceId) === ref)?.policyDefinitionId;
  const guid = /\/policyDefinitions\/([^/]+)$/i.exec(String(defId ?? ''))?.[1];
  if (!guid) return `what remediation ${nameOf(remediation.r.id)} changed`;
  try {
    const client = await kit.session.policy(subscriptionOf(remediation.r.id) || undefined);
    const def = await client.policyDefinitions.getBuiltIn(guid);
    const details = (def.policyRule as any)?.then?.details ?? {};
    if (Array.isArray(details.operations)) return `Modify: ${details.operations.map((o: any) => String(o.field).split('/').pop()).join(', ')}`;
    if (details.deployment) return `DeployIfNotExists: ${details.type ?? 'the deployed resources'}`;
  } catch {
    // the plan still says the change stays; only its name is missing
  }
  return `what remediation ${nameOf(remediation.r.id)} changed`;
}

/** A recorded body as a PUT may send it back: read-only parts left out, the identity by its type only. */
function restoreBody(before: ResourceSnapshot): Record<string, unknown> {
  const b = before.body ?? {};
  const properties = { ...(b.properties ?? {}) };
  for (const k of ['scope', 'provisioningState', 'instanceId']) delete properties[k];
  const identity = b.identity?.type && String(b.identity.type).toLowerCase() !== 'none' ? { identity: { type: b.identity.type } } : {};
  return { ...(b.location ? { location: b.location } : {}), ...identity, properties };
}

/** Puts an assignment or set definition the run updated back to its recorded "before". */
function restorations(kit: UndoKit, type: string, action: string, what: string, out: { changes: Change[]; requires: Requirement[]; writes: Writes }): void {
  for (const i of kit.ofType(type).filter((x) => x.r.before.exists && x.now.exists)) {
    const target = restoreBody(i.r.before);
    const nowBody = restoreBody(i.now);
    const diffs = differences(nowBody, target);
    if (!diffs.length) {
      out.changes.push(noOp(i.r.id, 'properties', 'as before the run'));
      continue;
    }
    if (!kit.mayTouch(i, 'restore it')) continue;
    const restored: Change[] = diffs.map((d) => ({ action: 'update', resourceId: i.r.id, property: d.path.slice(1).replace(/\//g, '.'), before: d.recorded, after: d.now }));
    out.changes.push(...restored);
    out.requires.push({ action, scope: scopeOf(i.r.id), why: `restoring the ${what} ${nameOf(i.r.id)} as it was before run ${kit.doc.id}` });
    out.writes.push({ operation: 'restore-recorded', method: 'PUT', resourceId: i.r.id, body: target, doing: `restoring ${i.r.id}`, changes: restored });
  }
}

export async function planPolicyUndo(kit: UndoKit): Promise<{ beforeRoles: StepPlan[]; afterRoles: StepPlan[]; stepIds: Set<string> }> {
  const stepIds = new Set<string>(POLICY_UNDO_STEPS);
  const any = [T.remediation, T.assignment, T.initiative].some((t) => kit.ofType(t).length);
  if (!any) return { beforeRoles: [], afterRoles: [], stepIds: kit.doc.command === 'policy' ? stepIds : new Set() };

  // Remediation tasks: a task's status moves on after the run, so only whether it exists counts.
  const rem = { changes: [] as Change[], requires: [] as Requirement[], writes: [] as Writes };
  for (const i of kit.ofType(T.remediation).filter((x) => !x.r.before.exists)) {
    if (!i.now.exists) {
      rem.changes.push(noOp(i.r.id, 'exists', false));
      continue;
    }
    const touched = await remediated(kit.session, i.r.id);
    const changed = touched.length ? await whatItChanges(kit, i) : '';
    for (const t of touched) {
      kit.permanent.push({
        resourceId: t.resourceId,
        property: changed,
        value: `as remediation ${nameOf(i.r.id)} left it${t.deploymentId ? ` (deployment ${t.deploymentId})` : ''}`,
        why: `deleting remediation ${nameOf(i.r.id)} removes the task's record, not what it changed; undo does not reverse it (run secure-docintel setup or change it by hand if it should differ)`,
      });
    }
    const change: Change = { action: 'delete', resourceId: i.r.id, property: 'remediation', before: 'created by the run', after: null };
    rem.changes.push(change);
    rem.requires.push({ action: 'Microsoft.PolicyInsights/remediations/delete', scope: scopeOf(i.r.id), why: `deleting remediation ${nameOf(i.r.id)} (created by run ${kit.doc.id})` });
    if (!isTerminal(i.now.body?.properties?.provisioningState)) kit.notes.push(`Remediation ${nameOf(i.r.id)} is still ${i.now.body?.properties?.provisioningState}: undo cancels it first (Azure deletes only a task that has ended); what it changed until then stays too.`);
    rem.writes.push({ operation: 'delete-remediation', resourceId: i.r.id, changes: [change] });
  }
  if (rem.writes.length) kit.notes.push('Deleting a remediation task does not reverse what it changed: the resources it remediated stay as it left them (listed as permanent).');

  // The assignment: deleted when the run made it (Azure deletes its system-assigned identity with it).
  const deletedAssignments = new Set<string>();
  const asg = kit.deletions(T.assignment, 'Microsoft.Authorization/policyAssignments/delete', (id) => scopeOf(id));
  for (const c of asg.changes) {
    if (c.action !== 'delete') continue;
    deletedAssignments.add(key(c.resourceId));
    // It holds the posture for every account at its scope, not only the ones this tool set up.
    c.confirm = {
      kind: 'shared',
      message: `Remove the policy assignment '${nameOf(c.resourceId)}' at ${scopeOf(c.resourceId)} (run ${kit.doc.id} made it)? Azure Policy stops auditing${/deny/i.test(JSON.stringify(kit.ofType(T.assignment).find((i) => key(i.r.id) === key(c.resourceId))?.now.body?.properties?.parameters ?? {})) ? ' and denying' : ''} the guide's posture for every account at that scope, including accounts made since the run.`,
    };
  }
  const withIdentity = kit.ofType(T.assignment).some((i) => deletedAssignments.has(key(i.r.id)) && String(i.now.body?.identity?.type ?? 'None').toLowerCase() !== 'none');
  if (withIdentity) kit.notes.push("Deleting the policy assignment deletes its system-assigned managed identity too; its role assignments are removed first.");
  restorations(kit, T.assignment, 'Microsoft.Authorization/policyAssignments/write', 'policy assignment', asg);

  // The set definition: deleted when the run made it and nothing else is assigned to it.
  const users = new Map<string, string[]>();
  for (const i of kit.ofType(T.initiative).filter((x) => !x.r.before.exists && x.now.exists)) {
    const scope = scopeOf(i.r.id);
    const list = await arm(`listing the policy assignments at ${scope}`, () => listResources(kit.session, `${scope}/providers/Microsoft.Authorization/policyAssignments`));
    const others = list.filter((a: any) => key(a.properties?.policyDefinitionId) === key(i.r.id) && !deletedAssignments.has(key(a.id)));
    if (others.length) users.set(key(i.r.id), others.map((a: any) => String(a.id)));
  }
  const ini = kit.deletions(T.initiative, 'Microsoft.Authorization/policySetDefinitions/delete', (id) => scopeOf(id), (i) => {
    const u = users.get(key(i.r.id));
    return u && `it is still assigned (${u.join(', ')}); Azure refuses to delete an assigned set definition`;
  });
  restorations(kit, T.initiative, 'Microsoft.Authorization/policySetDefinitions/write', 'policy set definition', ini);

  return {
    beforeRoles: [kit.step('policy-remediations', 'Remove the remediation tasks the run started', rem.changes, rem.requires, rem.writes)],
    afterRoles: [
      kit.step('policy-assignment', 'Remove the policy assignment the run made', asg.changes, asg.requires, asg.writes),
      kit.step('policy-initiative', 'Remove the policy set definition the run made', ini.changes, ini.requires, ini.writes),
    ],
    stepIds,
  };
}
