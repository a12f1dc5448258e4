/**
 * Policy on writes: before a PUT or PATCH of a resource reaches its provider, every assignment
 * covering it (enforcementMode Default) is evaluated against the resource the request would make.
 * Deny refuses it with `RequestDisallowedByPolicy` (403); Modify alters the request body.
 */
import type { ArmRequest } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import { PolicyViolationError } from './errors.js';
import { lastName, parseResourceId, resourceType } from '../../arm/ids.js';
import { mergePatch } from '../../arm/protocol.js';
import { applies, effectivePolicies, ifMatches, is } from './model.js';
import { resourceView } from '../private-link.js';
import { applicableOperations, applyOperations } from './operations.js';

const NOT_EVALUATED = ['microsoft.authorization', 'microsoft.policyinsights', 'microsoft.resources'];

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
