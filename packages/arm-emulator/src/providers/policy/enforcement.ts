/**
 * Policy on writes: before a PUT or PATCH of a resource reaches its provider, every assignment
 * covering it (enforcementMode Default) is evaluated against the resource the request would make.
 * Deny refuses it with `RequestDisallowedByPolicy` (403); Modify alters the request body.
 */
import type { ArmRequest } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import { ArmError } from '../../arm/errors.js';
import { lastName, parseResourceId, resourceType } from '../../arm/ids.js';
import { mergePatch } from '../../arm/protocol.js';
import { applies, effectivePolicies, ifMatches, is, resourceView, type EffectivePolicy } from './model.js';
import { applicableOperations, applyOperations } from './operations.js';

const NOT_EVALUATED = ['microsoft.authorization', 'microsoft.policyinsights', 'microsoft.resources'];

/** ARM's policy violation error: the identifiers in the message and each violation in `additionalInfo`. */
export class PolicyViolationError extends ArmError {
  constructor(resourceName: string, private readonly violations: EffectivePolicy[]) {
    const identifiers = violations.map((v) => ({
      policyAssignment: { name: lastName(v.assignment.id), id: v.assignment.id },
      policyDefinition: { name: lastName(v.definition.id), id: v.definition.id, version: v.definition.properties?.version },
      ...(v.setDefinition ? { policySetDefinition: { name: lastName(v.setDefinition.id), id: v.setDefinition.id } } : {}),
    }));
    super(403, 'RequestDisallowedByPolicy', `Resource '${resourceName}' was disallowed by policy. Policy identifiers: '${JSON.stringify(identifiers)}'.`);
    this.target = resourceName;
  }

  readonly target: string;

  override toBody() {
    return {
      error: {
        code: this.code,
        target: this.target,
        message: this.message,
        additionalInfo: this.violations.map((v) => ({
          type: 'PolicyViolation',
          info: {
            policyDefinitionDisplayName: v.definition.properties?.displayName,
            policySetDefinitionDisplayName: v.setDefinition?.properties?.displayName,
            policyDefinitionId: v.definition.id,
            policySetDefinitionId: v.setDefinition?.id,
            policyDefinitionReferenceId: v.referenceId,
            policyDefinitionName: lastName(v.definition.id),
            policySetDefinitionName: v.setDefinition ? lastName(v.setDefinition.id) : undefined,
            policyDefinitionEffect: v.effect.toLowerCase(),
            policyAssignmentId: v.assignment.id,
            policyAssignmentName: lastName(v.assignment.id),
            policyAssignmentDisplayName: v.assignment.properties?.displayName,
            policyAssignmentScope: v.assignment.properties?.scope,
            policyAssignmentParameters: v.assignment.properties?.parameters ?? {},
            policyExemptionIds: [],
          },
        })),
      },
    } as unknown as ReturnType<ArmError['toBody']>;
  }
}

/** The resource a PUT or PATCH would leave, as policy sees it; undefined when policy does not evaluate this request. */
function candidate(req: ArmRequest, ctx: EmulatorContext): Record<string, any> | undefined {
  const p = parseResourceId(req.path);
  if (!p.provider || !p.subscriptionId || NOT_EVALUATED.includes(p.provider.toLowerCase()) || p.names.length !== p.types.length) return undefined;
  if (!req.body || typeof req.body !== 'object') return undefined;
  const existing = ctx.state.get(req.path);
  if (req.method === 'PATCH') return existing ? { ...mergePatch(resourceView(ctx, existing), req.body), id: existing.id, type: existing.type, name: existing.name } : undefined;
  return { ...req.body, id: req.path, type: resourceType(req.path), name: lastName(req.path) };
}

export function enforcePolicy(req: ArmRequest, ctx: EmulatorContext): void {
  if (req.method !== 'PUT' && req.method !== 'PATCH') return;
  const resource = candidate(req, ctx);
  if (!resource) return;
  const policies = effectivePolicies(ctx, req.path).filter((p) => String(p.assignment.properties?.enforcementMode ?? 'Default').toLowerCase() === 'default' && applies(p, resource));
  const denied = policies.filter((p) => is(p.effect, 'Deny') && ifMatches(p, resource, req.apiVersion));
  if (denied.length) throw new PolicyViolationError(lastName(req.path), denied);
  for (const p of policies.filter((x) => is(x.effect, 'Modify') && ifMatches(x, resource, req.apiVersion))) {
    applyOperations(p, applicableOperations(p, resource, req.apiVersion), resource, req.body, req.apiVersion);
  }
}
