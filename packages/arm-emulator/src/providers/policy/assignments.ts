/**
 * policyAssignments at a management group, subscription or resource group: the definition or set
 * must exist, parameters without a default must be given, and a system-assigned identity (which
 * needs a location) gets a service principal the remediation acts as.
 */
import type { ArmRequest, ArmResult } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import { assignmentNotFound, identityNeedsLocation, identityTypeNotSupported, missingParameters, requiredPropertyMissing } from './errors.js';
import { keyOf, lastName } from '../../arm/ids.js';
import { page, requireBody, systemData } from '../../arm/protocol.js';
import { ASSIGNMENT_TYPE, definitionById, inScope, isSetDefinitionId } from './model.js';
import { notFound } from './definitions.js';
import { scopeBefore } from './scopes.js';

export function putAssignment(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const body = requireBody(req);
  const props = body.properties;
  if (!props || typeof props !== 'object') throw requiredPropertyMissing('properties');
  const name = req.params.policyAssignmentName;
  const scope = scopeBefore(req, 'Microsoft.Authorization');
  const definitionId = String(props.policyDefinitionId ?? '');
  const target = definitionById(ctx, definitionId);
  const isSet = isSetDefinitionId(definitionId);
  if (!target) throw notFound(isSet ? 'set' : 'definition', lastName(definitionId));
  const missing = Object.entries((target.properties?.parameters ?? {}) as Record<string, any>)
    .filter(([p, d]) => d?.defaultValue === undefined && !Object.keys(props.parameters ?? {}).some((k) => k.toLowerCase() === p.toLowerCase()))
    .map(([p]) => p);
  if (missing.length) {
    throw missingParameters(name, missing, isSet, lastName(definitionId));
  }
  const existing = ctx.state.get(req.path);
  const wanted = String(body.identity?.type ?? 'None');
  let identity: Record<string, string> | undefined;
  if (wanted.toLowerCase() === 'systemassigned') {
    if (!body.location) throw identityNeedsLocation(name);
    const principalId = existing?.identity?.principalId ?? ctx.createManagedIdentityPrincipal(req.path, name).objectId;
    identity = { type: 'SystemAssigned', principalId, tenantId: ctx.state.tenantId };
  } else if (wanted.toLowerCase() !== 'none') {
    throw identityTypeNotSupported(wanted);
  }
  if (existing?.identity?.principalId && !identity) ctx.state.principals.delete(existing.identity.principalId.toLowerCase());
  const resource = ctx.state.put({
    id: req.path,
    type: ASSIGNMENT_TYPE,
    name,
    ...(body.location ? { location: String(body.location) } : {}),
    ...(identity ? { identity } : {}),
    properties: { ...props, notScopes: props.notScopes ?? [], parameters: props.parameters ?? {}, enforcementMode: props.enforcementMode ?? 'Default', scope },
    systemData: systemData(ctx, req, existing?.systemData),
  });
  // The spec's only success answer, for a new assignment and an update alike.
  return { status: 201, body: resource };
}

export function getAssignment(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const a = ctx.state.get(req.path);
  if (!a) throw assignmentNotFound(req.params.policyAssignmentName);
  return { status: 200, body: a };
}

export function deleteAssignment(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const a = ctx.state.get(req.path);
  if (!a) return { status: 204 };
  if (a.identity?.principalId) ctx.state.principals.delete(String(a.identity.principalId).toLowerCase());
  ctx.state.delete(req.path);
  return { status: 200, body: a };
}

/** Assignments at the scope and those above it that apply to it (the list's default `atScope()`-like view). */
export function listAssignments(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const scope = scopeBefore(req, 'Microsoft.Authorization');
  const all = ctx.state.ofType(ASSIGNMENT_TYPE).filter((a) => keyOf(a.properties?.scope) === keyOf(scope) || inScope(ctx, a.properties?.scope, scope));
  return page(req, ctx, all);
}
