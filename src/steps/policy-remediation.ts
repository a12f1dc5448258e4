/**
 * Remediation tasks for resources that existed before the assignment: one per remediating member
 * (Modify, DeployIfNotExists) that has non-compliant resources no earlier task of ours tried. A new
 * assignment (or a new member) gets a task that re-evaluates compliance first; later runs name the
 * resources. A task still running is left alone, and a resource an earlier task of ours deployed to
 * successfully is not sent again (a re-run over a converged state writes nothing); one whose deployment
 * failed is tried again.
 */
import { createHash } from 'node:crypto';
import type { Remediation } from '@azure/arm-policyinsights';
import type { Change, StepPlan, Write } from '../plan/types.js';
import { noOp } from '../plan/types.js';
import { arm } from './context.js';
import { remediationId as remediationAt } from '../core/resource-id.js';
import { assignmentId, memberEffect, remediates, type PolicyContext } from './policy-context.js';
import { TERMINAL } from './policy-remediation-run.js';
import type { NonCompliant } from './policy-compliance.js';

export const REMEDIATION_STEP = { id: 'policy-remediation', title: 'Remediate existing resources' } as const;

const distinct = (ids: string[]) => ids.filter((id, i) => ids.findIndex((x) => x.toLowerCase() === id.toLowerCase()) === i);

type Task = Extract<Write, { operation: 'start-remediation' }>;

export const remediationId = (ctx: PolicyContext, name: string) => remediationAt(ctx.scope.id, name);

function taskName(ctx: PolicyContext, referenceId: string, resources: string[] | 'new'): string {
  const h = createHash('sha256').update([assignmentId(ctx.scope), referenceId, ...(resources === 'new' ? ['new'] : [...resources].map((r) => r.toLowerCase()).sort())].join('|').toLowerCase()).digest('hex');
  return `secure-docintel-${referenceId}-${h.slice(0, 12)}`;
}

/** The remediation tasks of our assignment at its scope (every member's). */
async function ourTasks(ctx: PolicyContext): Promise<Remediation[]> {
  const insights = await ctx.session.policyInsights(ctx.scope.subscriptionId);
  const tasks: Remediation[] = [];
  await arm(`listing remediations at ${ctx.scope.id}`, async () => {
    const pages = ctx.scope.kind === 'managementGroup' ? insights.remediations.listForManagementGroup(ctx.scope.managementGroup!) : insights.remediations.listForSubscription();
    for await (const r of pages) if (r.policyAssignmentId?.toLowerCase() === assignmentId(ctx.scope).toLowerCase()) tasks.push(r);
  });
  return tasks;
}

/** Our earlier tasks for this member, and the resources each deployed to successfully. */
async function earlierTasks(ctx: PolicyContext, referenceId: string, ours: Remediation[]): Promise<{ task: Remediation; tried: string[] }[]> {
  const insights = await ctx.session.policyInsights(ctx.scope.subscriptionId);
  const tasks = ours.filter((r) => r.policyDefinitionReferenceId?.toLowerCase() === referenceId.toLowerCase());
  const out: { task: Remediation; tried: string[] }[] = [];
  for (const task of tasks) {
    const tried: string[] = [];
    if (TERMINAL.includes(String(task.provisioningState).toLowerCase())) {
      await arm(`reading the deployments of remediation ${task.name}`, async () => {
        const pages = ctx.scope.kind === 'managementGroup' ? insights.remediations.listDeploymentsAtManagementGroup(ctx.scope.managementGroup!, task.name!) : insights.remediations.listDeploymentsAtSubscription(task.name!);
        for await (const d of pages) if (d.remediatedResourceId && String(d.status).toLowerCase() === 'succeeded') tried.push(d.remediatedResourceId.toLowerCase());
      });
    }
    out.push({ task, tried });
  }
  return out;
}

/** `nonCompliant`: what the latest scan found non-compliant, by member (read once for every member). */
export async function planRemediations(ctx: PolicyContext, assignmentExists: boolean, referencesBefore: string[], nonCompliant: NonCompliant): Promise<StepPlan> {
  let tasksAtScope: Promise<Remediation[]> | undefined;
  const changes: Change[] = [];
  const tasks: Task[] = [];
  const task = (member: { referenceId: string; displayName: string }, body: Task['body'], change: Change) => {
    changes.push(change);
    tasks.push({ operation: 'start-remediation', resourceId: change.resourceId, body, member: { referenceId: member.referenceId, displayName: member.displayName }, changes: [change] });
  };
  for (const member of ctx.members.filter((m) => remediates(memberEffect(ctx, m)))) {
    const property = `remediation[${member.referenceId}]`;
    // A Modify task turning public access off changes every account it finds, with no check that each has a
    // private path: the same lock-out a single account's restriction asks about.
    const lockout = /^modify$/i.test(memberEffect(ctx, member))
      ? { confirm: { kind: 'lockout' as const, message: `Remediate '${member.displayName}' on every non-compliant account in ${ctx.scope.id}? Each one stops answering outside its virtual network and private endpoints, whether it has one or not.` } }
      : {};
    const isNew = !assignmentExists || !referencesBefore.some((r) => r.toLowerCase() === member.referenceId.toLowerCase());
    if (isNew) {
      const name = taskName(ctx, member.referenceId, 'new');
      const body: Task['body'] = { policyAssignmentId: assignmentId(ctx.scope), policyDefinitionReferenceId: member.referenceId, resourceDiscoveryMode: 'ReEvaluateCompliance' };
      task(member, body, { action: 'create', resourceId: remediationId(ctx, name), property, before: null, after: { resourceDiscoveryMode: 'ReEvaluateCompliance', resources: 'every non-compliant resource the new assignment finds' }, ...lockout });
      continue;
    }
    const failing = distinct(nonCompliant.get(member.referenceId.toLowerCase()) ?? []);
    if (!failing.length) {
      changes.push(noOp(assignmentId(ctx.scope), property, 'no non-compliant resources'));
      continue;
    }
    const earlier = await earlierTasks(ctx, member.referenceId, await (tasksAtScope ??= ourTasks(ctx)));
    const running = earlier.find((e) => !TERMINAL.includes(String(e.task.provisioningState).toLowerCase()));
    if (running) {
      changes.push(noOp(running.task.id ?? assignmentId(ctx.scope), property, `remediation ${running.task.name} is still ${running.task.provisioningState}`));
      continue;
    }
    const tried = new Set(earlier.flatMap((e) => e.tried));
    const remaining = failing.filter((r) => !tried.has(r.toLowerCase())).slice(0, 100);
    if (!remaining.length) {
      const last = earlier[earlier.length - 1]?.task;
      changes.push(noOp(last?.id ?? assignmentId(ctx.scope), property, `${failing.length} resource(s) still non-compliant after remediation ${last?.name} (${last?.provisioningState}); see its deployments`));
      continue;
    }
    // Earlier tasks are in the name: a retry of the same resources is a new task.
    const name = taskName(ctx, member.referenceId, [...remaining, ...earlier.map((e) => e.task.name ?? '')]);
    task(member, { policyAssignmentId: assignmentId(ctx.scope), policyDefinitionReferenceId: member.referenceId, resourceDiscoveryMode: 'ExistingNonCompliant', filters: { resourceIds: remaining } }, {
      action: 'create', resourceId: remediationId(ctx, name), property, before: null, after: { resourceDiscoveryMode: 'ExistingNonCompliant', resources: remaining }, ...lockout,
    });
  }
  if (!tasks.length) return { ...REMEDIATION_STEP, changes };
  return {
    ...REMEDIATION_STEP,
    changes,
    requires: [{ action: 'Microsoft.PolicyInsights/remediations/write', scope: ctx.scope.id, why: 'starting remediation tasks' }],
    // one after another, each followed to its end: what a task changes may decide what the next finds
    writes: tasks,
  };
}
