/** Compliance read back from Policy Insights for our assignment: per member, counts and the non-compliant resources. */
import type { PolicyContext } from './policy-context.js';
import { arm } from './context.js';
import { ASSIGNMENT_NAME } from '../posture/policy-initiative.js';
import { assignmentId } from './policy-context.js';
import { builtInPolicyDefinitionId } from '../core/resource-id.js';
import { paint, type TextStyle } from '../io/terminal.js';

export interface MemberCompliance {
  referenceId: string;
  policyDefinitionId: string;
  effect: string;
  compliant: number;
  nonCompliant: number;
  nonCompliantResources: string[];
}

export interface Compliance {
  assignmentId: string;
  /** resources with at least one non-compliant member */
  nonCompliantResources: number;
  evaluatedResources: number;
  policies: MemberCompliance[];
}

/** Non-compliant resources by member (reference id, lowercase). */
export type NonCompliant = Map<string, string[]>;

/**
 * The resources the latest compliance scan found non-compliant under our assignment, for every member
 * in one query: the remediation plan and the compliance report share it.
 */
export async function readNonCompliant(ctx: PolicyContext): Promise<NonCompliant> {
  const insights = await ctx.session.policyInsights(ctx.scope.subscriptionId);
  const id = assignmentId(ctx.scope);
  const mg = ctx.scope.managementGroup;
  const byAssignment = `PolicyAssignmentId eq '${id.toLowerCase()}'`;
  const failing: NonCompliant = new Map();
  await arm(`listing non-compliant resources of ${id}`, async () => {
    const filter = "ComplianceState eq 'NonCompliant'";
    const pages = mg
      ? insights.policyStates.listQueryResultsForManagementGroup('latest', mg, { queryOptions: { filter: `${filter} and ${byAssignment}` } })
      : insights.policyStates.listQueryResultsForSubscriptionLevelPolicyAssignment('latest', ctx.scope.subscriptionId!, ASSIGNMENT_NAME, { queryOptions: { filter } });
    for await (const s of pages) {
      const ref = String(s.policyDefinitionReferenceId ?? '').toLowerCase();
      failing.set(ref, [...(failing.get(ref) ?? []), String(s.resourceId)]);
    }
  });
  return failing;
}

/** The compliance of our assignment: the summary, and the non-compliant resources (as read before, when nothing was written since). */
export async function readCompliance(ctx: PolicyContext, nonCompliant?: NonCompliant): Promise<Compliance> {
  const insights = await ctx.session.policyInsights(ctx.scope.subscriptionId);
  const id = assignmentId(ctx.scope);
  const mg = ctx.scope.managementGroup;
  const byAssignment = `PolicyAssignmentId eq '${id.toLowerCase()}'`;
  const summary = await arm(`summarizing compliance of ${id}`, () =>
    mg ? insights.policyStates.summarizeForManagementGroup('latest', mg, { queryOptions: { filter: byAssignment } }) : insights.policyStates.summarizeForSubscriptionLevelPolicyAssignment('latest', ctx.scope.subscriptionId!, ASSIGNMENT_NAME),
  );
  const failing = nonCompliant ?? (await readNonCompliant(ctx));
  const ours = summary.value?.[0]?.policyAssignments?.find((a) => a.policyAssignmentId?.toLowerCase() === id.toLowerCase());
  const count = (details: { complianceState?: string; count?: number }[] | undefined, state: string) => details?.find((d) => d.complianceState?.toLowerCase() === state)?.count ?? 0;
  const resources = ours?.results?.resourceDetails;
  return {
    assignmentId: id,
    nonCompliantResources: ours?.results?.nonCompliantResources ?? 0,
    evaluatedResources: count(resources, 'compliant') + count(resources, 'noncompliant'),
    policies: ctx.members.map((m) => {
      const d = ours?.policyDefinitions?.find((p) => p.policyDefinitionReferenceId?.toLowerCase() === m.referenceId.toLowerCase());
      return {
        referenceId: m.referenceId,
        policyDefinitionId: builtInPolicyDefinitionId(m.guid),
        effect: d?.effect ?? '',
        compliant: count(d?.results?.resourceDetails, 'compliant'),
        nonCompliant: count(d?.results?.resourceDetails, 'noncompliant'),
        nonCompliantResources: failing.get(m.referenceId.toLowerCase()) ?? [],
      };
    }),
  };
}

export function renderCompliance(c: Compliance, style: TextStyle): string {
  if (!c.evaluatedResources) {
    return `Compliance of ${c.assignmentId}: no results yet. Azure evaluates a new assignment shortly after it takes effect; run the same command again later (it changes nothing) to read them.`;
  }
  const lines = [`Compliance of ${c.assignmentId}: ${c.nonCompliantResources} of ${c.evaluatedResources} resource(s) non-compliant`];
  for (const p of c.policies) {
    const total = p.compliant + p.nonCompliant;
    const mark = p.nonCompliant ? paint('✗', 'fail', style) : total ? paint('✓', 'ok', style) : paint('·', 'quiet', style);
    lines.push(`  ${mark} ${p.referenceId} (${p.effect || 'not evaluated'}): ${total ? `${p.compliant} compliant, ${p.nonCompliant} non-compliant` : 'no resources it applies to'}`);
    for (const r of p.nonCompliantResources) lines.push(`      ${r}`);
  }
  return lines.join('\n');
}
