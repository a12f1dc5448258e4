/**
 * Which policies apply to which resources, and whether each resource complies — computed from the
 * assignments, set definitions and definitions in the store whenever asked (as if an evaluation scan
 * had just run), against resources as a GET returns them.
 */
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { isAtOrAbove, keyOf, lastName, parentId, parseResourceId } from '../../arm/ids.js';
import { isManagementGroupId, subscriptionsBelow } from '../../arm/management-groups.js';
import { resourceView, resourceViews } from '../private-link.js';
import { builtInDefinition } from './builtins.js';
import { evaluateCondition, readPath, typesNamed, MISSING, type Json } from './conditions.js';
import { evaluateValue } from './expressions.js';
import { aliasPath } from './aliases.js';

export const ASSIGNMENT_TYPE = 'Microsoft.Authorization/policyAssignments';
export const DEFINITION_TYPE = 'Microsoft.Authorization/policyDefinitions';
export const SET_DEFINITION_TYPE = 'Microsoft.Authorization/policySetDefinitions';

/** One definition as an assignment applies it: through a set's reference, with its parameters and effect. */
export interface EffectivePolicy {
  assignment: Resource;
  definition: Json;
  setDefinition?: Json;
  referenceId?: string;
  parameters: Record<string, unknown>;
  /** the effect as the definition spells it after parameters, e.g. `Audit`, `DeployIfNotExists` */
  effect: string;
}

export interface Evaluation {
  policy: EffectivePolicy;
  resourceId: string;
  compliant: boolean;
}

/** A set definition's id (its own type, at the tenant root, a subscription or a management group). */
export function isSetDefinitionId(id: string): boolean {
  return /\/providers\/Microsoft\.Authorization\/policySetDefinitions\/[^/]+$/i.test(id);
}

export function definitionById(ctx: EmulatorContext, id: string): Json | undefined {
  if (/^\/providers\/microsoft\.authorization\/policydefinitions\//i.test(id)) return builtInDefinition(lastName(id));
  return ctx.state.get(id);
}

/** Is `resourceId` at or below `scope` (a management group, subscription or resource group)? */
export function inScope(ctx: EmulatorContext, scope: string, resourceId: string): boolean {
  if (isManagementGroupId(scope)) {
    const sub = parseResourceId(resourceId).subscriptionId?.toLowerCase();
    return !!sub && subscriptionsBelow(ctx.state, scope).has(sub);
  }
  return isAtOrAbove(scope, resourceId);
}

/** inScope for many resources: each management group's subscriptions worked out once. */
function scopeTest(ctx: EmulatorContext): (scope: string, resourceId: string) => boolean {
  const below = new Map<string, Set<string>>();
  return (scope, resourceId) => {
    if (!isManagementGroupId(scope)) return isAtOrAbove(scope, resourceId);
    let subs = below.get(keyOf(scope));
    if (!subs) below.set(keyOf(scope), (subs = subscriptionsBelow(ctx.state, scope)));
    const sub = parseResourceId(resourceId).subscriptionId?.toLowerCase();
    return !!sub && subs.has(sub);
  };
}

function parameterValues(declared: Json, given: Json, scope: (v: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries((declared ?? {}) as Record<string, Json>)) {
    const key = Object.keys(given ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
    out[name] = key !== undefined ? scope(given[key]?.value) : p?.defaultValue;
  }
  return out;
}

/** Every definition the assignments covering `resourceId` apply (all assignments when no resource is named). */
export function effectivePolicies(ctx: EmulatorContext, resourceId?: string, onlyAssignment?: string): EffectivePolicy[] {
  const out: EffectivePolicy[] = [];
  for (const a of ctx.state.ofType(ASSIGNMENT_TYPE)) {
    if (onlyAssignment && keyOf(a.id) !== keyOf(onlyAssignment)) continue;
    const props = a.properties ?? {};
    if (resourceId && !inScope(ctx, props.scope, resourceId)) continue;
    if (resourceId && ((props.notScopes ?? []) as string[]).some((n) => inScope(ctx, n, resourceId))) continue;
    const target = definitionById(ctx, props.policyDefinitionId);
    if (!target) continue;
    const assigned = parameterValues(target.properties?.parameters, props.parameters, (v) => v);
    if (isSetDefinitionId(target.id)) {
      for (const ref of (target.properties?.policyDefinitions ?? []) as Json[]) {
        const def = definitionById(ctx, ref.policyDefinitionId);
        if (!def) continue;
        const parameters = parameterValues(def.properties?.parameters, ref.parameters, (v) => evaluateValue(v, { parameters: assigned, field: () => undefined }));
        out.push(withEffect({ assignment: a, definition: def, setDefinition: target, referenceId: ref.policyDefinitionReferenceId, parameters }));
      }
    } else out.push(withEffect({ assignment: a, definition: target, parameters: assigned }));
  }
  return out;
}

function withEffect(p: Omit<EffectivePolicy, 'effect'>): EffectivePolicy {
  const raw = evaluateValue(p.definition.properties.policyRule.then.effect, { parameters: p.parameters, field: () => undefined });
  return { ...p, effect: String(raw) };
}

export const is = (effect: string, name: string) => effect.toLowerCase() === name.toLowerCase();

/** `Indexed` mode: resource types with tags and location; resource groups and subscriptions are not evaluated. */
export function evaluatedByMode(mode: string | undefined, r: Json): boolean {
  const type = String(r.type ?? '').toLowerCase();
  if (type.startsWith('microsoft.resources/') || type.startsWith('microsoft.authorization/') || type.startsWith('microsoft.policyinsights/')) return false;
  if (String(mode ?? 'All').toLowerCase() === 'indexed') return typeof r.location === 'string';
  return true;
}

/** Applicability: a rule that names resource types with `field: type` applies only to those types. */
export function applies(policy: EffectivePolicy, r: Json): boolean {
  if (is(policy.effect, 'Disabled')) return false;
  if (!evaluatedByMode(policy.definition.properties.mode, r)) return false;
  const types = typesNamed(policy.definition.properties.policyRule.if).map((t) => String(t).toLowerCase());
  return !types.length || types.includes(String(r.type).toLowerCase());
}

export function ifMatches(policy: EffectivePolicy, r: Json, apiVersion?: string): boolean {
  return evaluateCondition(policy.definition.properties.policyRule.if, r, { parameters: policy.parameters, apiVersion });
}

/** The related resources an AuditIfNotExists/DeployIfNotExists `details.type` names, for the evaluated resource. */
export function relatedResources(ctx: EmulatorContext, policy: EffectivePolicy, r: Json): Json[] {
  const details = policy.definition.properties.policyRule.then.details ?? {};
  const type = String(details.type);
  const own = String(r.type);
  if (type.toLowerCase().startsWith(own.toLowerCase() + '/')) {
    const childType = type.slice(own.length + 1);
    return ctx.state.children(r.id, childType).map((c) => resourceView(ctx, c));
  }
  const p = parseResourceId(r.id);
  const group = details.resourceGroupName ? String(evaluateValue(details.resourceGroupName, fieldScope(policy, r))) : p.resourceGroup;
  const scope = String(details.existenceScope ?? 'ResourceGroup').toLowerCase() === 'subscription' ? `/subscriptions/${p.subscriptionId}` : `/subscriptions/${p.subscriptionId}/resourceGroups/${group}`;
  const name = details.name === undefined ? undefined : String(evaluateValue(details.name, fieldScope(policy, r)));
  return ctx.state.ofType(type, scope).filter((x) => name === undefined || lastName(x.id).toLowerCase() === name.toLowerCase()).map((x) => resourceView(ctx, x));
}

/** Expression scope for values in a policy's `then` (deployment parameters, names): `field()` reads the evaluated resource. */
export function fieldScope(policy: EffectivePolicy, r: Json, apiVersion?: string) {
  return {
    parameters: policy.parameters,
    apiVersion,
    field: (f: string) => {
      const v = readPath(r, aliasPath(f));
      return v === MISSING ? undefined : v;
    },
  };
}

/** Compliance of one resource under one policy; undefined when the policy does not apply to it. */
export function evaluate(ctx: EmulatorContext, policy: EffectivePolicy, r: Json): boolean | undefined {
  if (!applies(policy, r)) return undefined;
  if (!ifMatches(policy, r)) return true;
  if (is(policy.effect, 'AuditIfNotExists') || is(policy.effect, 'DeployIfNotExists')) {
    const condition = policy.definition.properties.policyRule.then.details?.existenceCondition;
    return relatedResources(ctx, policy, r).some((x) => !condition || evaluateCondition(condition, x, { parameters: policy.parameters }));
  }
  return false;
}

/** Every (policy, resource) compliance pair for the assignments, over the resources in their scopes. */
export function evaluateAll(ctx: EmulatorContext, filter: (p: EffectivePolicy) => boolean = () => true): Evaluation[] {
  const policies = effectivePolicies(ctx).filter(filter);
  const out: Evaluation[] = [];
  if (!policies.length) return out;
  // Each resource's view is built once per evaluation, not once per (assignment, resource) pair.
  const views = resourceViews(ctx);
  const covers = scopeTest(ctx);
  for (const policy of policies) {
    const a = policy.assignment.properties;
    const notScopes = (a.notScopes ?? []) as string[];
    for (const view of views) {
      if (!covers(a.scope, view.id) || notScopes.some((n) => covers(n, view.id))) continue;
      const compliant = evaluate(ctx, policy, view);
      if (compliant !== undefined) out.push({ policy, resourceId: view.id, compliant });
    }
  }
  return out;
}

export { parentId };
