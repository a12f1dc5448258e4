/**
 * Microsoft.PolicyInsights policyStates: `queryResults` (one state per resource and policy) and
 * `summarize` (counts per assignment and definition) over the compliance model.ts computes, at a
 * management group, subscription, resource group or one subscription-level assignment.
 */
import type { ArmRequest, ArmResult } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import { assignmentNotFound, filterNotUnderstood, invalidStatesResource } from './errors.js';
import { keyOf, lastName, parseResourceId } from '../../arm/ids.js';
import { evaluateAll, inScope, type Evaluation } from './model.js';

/** The scope the states are read at, and the one assignment when the path names one. */
function target(req: ArmRequest): { scope: string; assignmentId?: string } {
  const p = req.params;
  const mg = p.managementGroupName ?? p.managementGroupId;
  const scope = mg ? `/providers/Microsoft.Management/managementGroups/${mg}` : p.resourceGroupName ? `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}` : `/subscriptions/${p.subscriptionId}`;
  const assignmentId = p.policyAssignmentName ? `${scope}/providers/Microsoft.Authorization/policyAssignments/${p.policyAssignmentName}` : undefined;
  return { scope, assignmentId };
}

function checkStatesResource(req: ArmRequest, summary: boolean): void {
  const r = (summary ? req.params.policyStatesSummaryResource : req.params.policyStatesResource).toLowerCase();
  if (summary ? r !== 'latest' : r !== 'latest' && r !== 'default') {
    throw invalidStatesResource(r, summary);
  }
}

export function stateOf(e: Evaluation, ctx: EmulatorContext): Record<string, unknown> {
  const a = e.policy.assignment;
  const p = parseResourceId(e.resourceId);
  const r = ctx.state.get(e.resourceId);
  return {
    '@odata.id': null,
    '@odata.context': `${ctx.baseUrl}/providers/Microsoft.PolicyInsights/policyStates/$metadata#latest/$entity`,
    timestamp: new Date(ctx.now()).toISOString(),
    resourceId: e.resourceId,
    policyAssignmentId: a.id.toLowerCase(),
    policyDefinitionId: e.policy.definition.id.toLowerCase(),
    isCompliant: e.compliant,
    subscriptionId: p.subscriptionId,
    resourceType: String(r?.type ?? ''),
    resourceLocation: String(r?.location ?? ''),
    resourceGroup: p.resourceGroup ?? '',
    resourceTags: JSON.stringify(r?.tags ?? {}),
    policyAssignmentName: lastName(a.id),
    policyAssignmentOwner: 'tbd',
    policyAssignmentParameters: JSON.stringify(a.properties?.parameters ?? {}),
    policyAssignmentScope: String(a.properties?.scope ?? ''),
    policyDefinitionName: lastName(e.policy.definition.id),
    policyDefinitionAction: e.policy.effect.toLowerCase(),
    policyDefinitionCategory: String(e.policy.definition.properties?.metadata?.category ?? ''),
    policySetDefinitionId: e.policy.setDefinition ? e.policy.setDefinition.id.toLowerCase() : '',
    policySetDefinitionName: e.policy.setDefinition ? lastName(e.policy.setDefinition.id) : '',
    policyDefinitionReferenceId: e.policy.referenceId?.toLowerCase() ?? '',
    complianceState: e.compliant ? 'Compliant' : 'NonCompliant',
    policyDefinitionGroupNames: [],
    managementGroupIds: '',
  };
}

type Filter = (s: Record<string, unknown>) => boolean;

/** `$filter` clauses joined by `and`: `Field eq 'text'`, `Field eq true|false`, `Field ne …` (case-insensitive). */
function parseFilter(filter: string | null): Filter {
  if (!filter) return () => true;
  const clauses = filter.split(/\s+and\s+/i).map((c) => {
    const m = /^\s*\(?\s*(\w+)\s+(eq|ne)\s+(?:'((?:[^']|'')*)'|(true|false))\s*\)?\s*$/i.exec(c);
    if (!m) throw filterNotUnderstood(c.trim());
    const want = m[3] !== undefined ? m[3].replace(/''/g, "'").toLowerCase() : m[4].toLowerCase();
    return (s: Record<string, unknown>) => {
      const key = Object.keys(s).find((k) => k.toLowerCase() === m[1].toLowerCase());
      const equal = String(key === undefined ? '' : s[key]).toLowerCase() === want;
      return m[2].toLowerCase() === 'eq' ? equal : !equal;
    };
  });
  return (s) => clauses.every((c) => c(s));
}

function evaluationsFor(req: ArmRequest, ctx: EmulatorContext): Evaluation[] {
  const { scope, assignmentId } = target(req);
  if (assignmentId && !ctx.state.get(assignmentId)) throw assignmentNotFound(lastName(assignmentId));
  return evaluateAll(ctx, (p) => (assignmentId ? keyOf(p.assignment.id) === keyOf(assignmentId) : true)).filter((e) => inScope(ctx, scope, e.resourceId));
}

export function queryResults(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  checkStatesResource(req, false);
  const filter = parseFilter(req.query.get('$filter'));
  const top = Number(req.query.get('$top') ?? '') || undefined;
  const states = evaluationsFor(req, ctx).map((e) => stateOf(e, ctx)).filter(filter).slice(0, top);
  return { status: 200, body: { '@odata.context': `${ctx.baseUrl}/providers/Microsoft.PolicyInsights/policyStates/$metadata#latest`, '@odata.count': states.length, value: states } };
}

function results(ctx: EmulatorContext, req: ArmRequest, evaluations: Evaluation[], extra: string) {
  const byResource = new Map<string, boolean>();
  for (const e of evaluations) byResource.set(e.resourceId.toLowerCase(), (byResource.get(e.resourceId.toLowerCase()) ?? true) && e.compliant);
  const byPolicy = new Map<string, boolean>();
  for (const e of evaluations) {
    const k = `${e.policy.assignment.id}|${e.policy.referenceId ?? e.policy.definition.id}`.toLowerCase();
    byPolicy.set(k, (byPolicy.get(k) ?? true) && e.compliant);
  }
  const count = (m: Map<string, boolean>, v: boolean) => [...m.values()].filter((x) => x === v).length;
  const details = (m: Map<string, boolean>) => [
    ...(count(m, true) ? [{ complianceState: 'compliant', count: count(m, true) }] : []),
    ...(count(m, false) ? [{ complianceState: 'noncompliant', count: count(m, false) }] : []),
  ];
  const filter = `IsCompliant eq false${extra}`;
  return {
    queryResultsUri: `${ctx.baseUrl}${req.path.replace(/\/summarize$/i, '/queryResults').replace(/\/policyStates\/[^/]+\//i, '/policyStates/latest/')}?api-version=${req.apiVersion}&$filter=${encodeURIComponent(filter)}`,
    nonCompliantResources: count(byResource, false),
    nonCompliantPolicies: count(byPolicy, false),
    resourceDetails: details(byResource),
    policyDetails: details(byPolicy),
    policyGroupDetails: [],
  };
}

export function summarize(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  checkStatesResource(req, true);
  const filter = parseFilter(req.query.get('$filter'));
  const evaluations = evaluationsFor(req, ctx).filter((e) => filter(stateOf(e, ctx)));
  const assignments = [...new Map(evaluations.map((e) => [e.policy.assignment.id.toLowerCase(), e.policy.assignment])).values()];
  const context = `${ctx.baseUrl}/providers/Microsoft.PolicyInsights/policyStates/$metadata#summary`;
  return {
    status: 200,
    body: {
      '@odata.context': context,
      '@odata.count': 1,
      value: [
        {
          '@odata.id': null,
          '@odata.context': `${context}/$entity`,
          results: results(ctx, req, evaluations, ''),
          policyAssignments: assignments.map((a) => {
            const mine = evaluations.filter((e) => e.policy.assignment === a);
            const refs = [...new Map(mine.map((e) => [(e.policy.referenceId ?? e.policy.definition.id).toLowerCase(), e.policy])).values()];
            return {
              policyAssignmentId: a.id.toLowerCase(),
              policySetDefinitionId: mine[0]?.policy.setDefinition?.id.toLowerCase() ?? '',
              results: results(ctx, req, mine, ` and PolicyAssignmentId eq '${a.id.toLowerCase()}'`),
              policyDefinitions: refs.map((p) => ({
                policyDefinitionId: p.definition.id.toLowerCase(),
                policyDefinitionReferenceId: p.referenceId?.toLowerCase() ?? '',
                policyDefinitionGroupNames: [],
                effect: p.effect.toLowerCase(),
                results: results(ctx, req, mine.filter((e) => e.policy === p), ` and PolicyAssignmentId eq '${a.id.toLowerCase()}' and PolicyDefinitionReferenceId eq '${p.referenceId?.toLowerCase() ?? ''}'`),
              })),
              policyGroups: [],
            };
          }),
        },
      ],
    },
  };
}
