/**
 * A remediation task's life as writes: started and followed to its end (policy), or ended and deleted
 * (undo). Its scope (subscription, resource group or management group) is read from its id.
 */
import type { StepContext } from './context.js';
import { arm } from './context.js';
import type { Write } from '../plan/types.js';
import { AzureOperationError } from '../core/errors.js';
import { nameOf, scopeOf, scopeParts } from '../core/resource-id.js';
import { readResource, deleteResource } from '../azure/arm-resource.js';

/** The states after which a task changes nothing more (and Azure lets it be deleted). */
export const TERMINAL = ['succeeded', 'failed', 'canceled', 'complete'];

export const isTerminal = (state: unknown) => TERMINAL.includes(String(state ?? '').toLowerCase());

type Ctx = Pick<StepContext, 'session' | 'env'>;

function waitTiming(env: NodeJS.ProcessEnv): { deadlineMs: number; delayMs: number } {
  const s = Number(env.SECURE_DOCINTEL_REMEDIATION_WAIT_SECONDS);
  return { deadlineMs: Number.isFinite(s) && s >= 0 ? s * 1000 : 600_000, delayMs: Number(env.SECURE_DOCINTEL_RETRY_DELAY_MS) || 10_000 };
}

/** Starts one task and follows it to its end (or the wait limit), failing when its deployments failed; says how it ended. */
export async function startRemediation(ctx: Ctx, w: Extract<Write, { operation: 'start-remediation' }>): Promise<string> {
  const name = nameOf(w.resourceId);
  const s = scopeParts(scopeOf(w.resourceId));
  const insights = await ctx.session.policyInsights(s.subscriptionId);
  const mg = s.managementGroup;
  await arm(`starting remediation ${name}`, () => (mg ? insights.remediations.createOrUpdateAtManagementGroup(mg, name, w.body) : insights.remediations.createOrUpdateAtSubscription(name, w.body)));
  const { deadlineMs, delayMs } = waitTiming(ctx.env);
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const r = await arm(`reading remediation ${name}`, () => (mg ? insights.remediations.getAtManagementGroup(mg, name) : insights.remediations.getAtSubscription(name)));
    const state = String(r.provisioningState ?? '');
    const d = r.deploymentStatus;
    if (state.toLowerCase() === 'failed') {
      const failures: string[] = [];
      const pages = mg ? insights.remediations.listDeploymentsAtManagementGroup(mg, name) : insights.remediations.listDeploymentsAtSubscription(name);
      for await (const x of pages) if (x.error) failures.push(`${x.remediatedResourceId}: ${x.error.code} ${x.error.message}`);
      // Deny refuses any update that leaves a resource breaking a Deny member, remediation included.
      const denied = failures.some((f) => f.includes('RequestDisallowedByPolicy'));
      throw new AzureOperationError(
        `Remediation ${name} (${w.member.displayName}) failed: ${d?.failedDeployments ?? '?'} of ${d?.totalDeployments ?? '?'} deployment(s).\n${failures.map((f) => `  - ${f}`).join('\n')}`,
        'RemediationFailed',
        denied
          ? 'A Deny member refuses the change because the resource breaks it too. Bring the resources into line first (secure-docintel setup for each account, or this command with --effect audit, which remediates), then assign with --effect deny.'
          : "Check the assignment identity's roles (the plan's policy-roles step) and the deployments above; the same command starts a task for resources no task has tried.",
      );
    }
    if (isTerminal(state)) return `Remediation ${name} (${w.member.referenceId}): ${state}, ${d?.successfulDeployments ?? 0} of ${d?.totalDeployments ?? 0} resource(s).`;
    if (Date.now() + delayMs > deadline) return `Remediation ${name} (${w.member.referenceId}) is still ${state}; run the same command later to see compliance (it starts nothing while a task runs).`;
    await new Promise((res) => setTimeout(res, delayMs));
  }
}

/**
 * Azure deletes only a remediation in a terminal state (Az.PolicyInsights' Remove-AzPolicyRemediation:
 * "The remediation must be in a terminal state in order to be deleted"): a running one is cancelled,
 * waited for (bounded), then deleted.
 */
export async function deleteRemediation(ctx: Ctx, id: string): Promise<void> {
  const state = async () => String((await arm(`reading ${id}`, () => readResource(ctx.session, id))).body?.properties?.provisioningState ?? '');
  let now = await state();
  if (now && !isTerminal(now)) {
    const name = nameOf(id);
    const s = scopeParts(scopeOf(id));
    const insights = await ctx.session.policyInsights(s.subscriptionId || undefined);
    await arm(`cancelling remediation ${name}`, () =>
      s.managementGroup ? insights.remediations.cancelAtManagementGroup(s.managementGroup, name) : s.resourceGroup ? insights.remediations.cancelAtResourceGroup(s.resourceGroup, name) : insights.remediations.cancelAtSubscription(name),
    );
    const delayMs = Number(ctx.env.SECURE_DOCINTEL_RETRY_DELAY_MS) || 1000;
    for (let attempt = 0; attempt < 60 && !isTerminal(now); attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(delayMs * 2 ** Math.min(attempt, 4), 10_000)));
      now = await state();
    }
    if (!isTerminal(now)) throw new AzureOperationError(`Remediation ${name} is still ${now} after it was cancelled.`, 'RemediationStillRunning', 'Wait for it to end and run the same undo again.');
  }
  await arm(`deleting ${id}`, () => deleteResource(ctx.session, id));
}
