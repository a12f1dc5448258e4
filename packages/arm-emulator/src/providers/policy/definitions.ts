/**
 * policyDefinitions and policySetDefinitions: the vendored built-ins read-only at the tenant root,
 * custom ones created, read, listed and deleted at a subscription or management group.
 */
import type { ArmRequest, ArmResult } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import { definitionInUse, definitionNotFound, duplicateReference, emptySet, requiredPropertyMissing, ruleWithoutIfThen, setDefinitionNotFound } from './errors.js';
import { keyOf } from '../../arm/ids.js';
import { page, requireBody, systemData } from '../../arm/protocol.js';
import { builtInDefinition, builtInDefinitions } from './builtins.js';
import { ASSIGNMENT_TYPE, DEFINITION_TYPE, SET_DEFINITION_TYPE, definitionById } from './model.js';
import { scopeBefore } from './scopes.js';

export type DefinitionKind = 'definition' | 'set';

const TYPE: Record<DefinitionKind, string> = { definition: DEFINITION_TYPE, set: SET_DEFINITION_TYPE };
const SEGMENT: Record<DefinitionKind, string> = { definition: 'policyDefinitions', set: 'policySetDefinitions' };

function nameParam(req: ArmRequest, kind: DefinitionKind): string {
  return kind === 'definition' ? req.params.policyDefinitionName : req.params.policySetDefinitionName;
}

export function notFound(kind: DefinitionKind, name: string) {
  return kind === 'definition' ? definitionNotFound(name) : setDefinitionNotFound(name);
}

export function getBuiltIn(kind: DefinitionKind) {
  return (req: ArmRequest): ArmResult => {
    const d = kind === 'definition' ? builtInDefinition(nameParam(req, kind)) : undefined;
    if (!d) throw notFound(kind, nameParam(req, kind));
    return { status: 200, body: d };
  };
}

export function listBuiltIn(kind: DefinitionKind) {
  return (req: ArmRequest, ctx: EmulatorContext): ArmResult => page(req, ctx, kind === 'definition' ? builtInDefinitions() : []);
}

export function getCustom(kind: DefinitionKind) {
  return (req: ArmRequest, ctx: EmulatorContext): ArmResult => {
    const d = ctx.state.get(req.path);
    if (!d) throw notFound(kind, nameParam(req, kind));
    return { status: 200, body: d };
  };
}

/** Definitions at this scope, and (for a subscription) those of its management groups' are not listed here: the emulator lists the scope's own and the built-ins. */
export function listCustom(kind: DefinitionKind) {
  return (req: ArmRequest, ctx: EmulatorContext): ArmResult => {
    const scope = scopeBefore(req, 'Microsoft.Authorization');
    const own = ctx.state.ofType(TYPE[kind]).filter((d) => keyOf(d.id).startsWith(keyOf(`${scope}/providers/Microsoft.Authorization/${SEGMENT[kind]}/`)));
    return page(req, ctx, [...own, ...(kind === 'definition' ? builtInDefinitions() : [])]);
  };
}

export function putCustom(kind: DefinitionKind) {
  return (req: ArmRequest, ctx: EmulatorContext): ArmResult => {
    const body = requireBody(req);
    const props = body.properties;
    if (!props || typeof props !== 'object') throw requiredPropertyMissing('properties');
    const name = nameParam(req, kind);
    const existing = ctx.state.get(req.path);
    const properties: Record<string, any> = { ...props, policyType: 'Custom' };
    if (kind === 'definition') {
      if (!props.policyRule?.if || !props.policyRule?.then) throw ruleWithoutIfThen(name);
      properties.mode ??= 'Indexed';
    } else {
      const refs = props.policyDefinitions;
      if (!Array.isArray(refs) || !refs.length) throw emptySet(name);
      const seen = new Set<string>();
      properties.policyDefinitions = refs.map((r: Record<string, any>, i: number) => {
        if (!definitionById(ctx, String(r.policyDefinitionId ?? ''))) throw notFound('definition', String(r.policyDefinitionId ?? '').split('/').pop() ?? '');
        const refId = String(r.policyDefinitionReferenceId ?? `${String(r.policyDefinitionId).split('/').pop()}_${i}`);
        if (seen.has(refId.toLowerCase())) throw duplicateReference(name, refId);
        seen.add(refId.toLowerCase());
        return { ...r, policyDefinitionReferenceId: refId };
      });
    }
    const resource = ctx.state.put({ id: req.path, type: TYPE[kind], name, properties, systemData: systemData(ctx, req, existing?.systemData) });
    // policyDefinitions answer 201 for an update too (their spec's only success); set definitions 200 or 201.
    return { status: kind === 'set' && existing ? 200 : 201, body: resource };
  };
}

export function deleteCustom(kind: DefinitionKind) {
  return (req: ArmRequest, ctx: EmulatorContext): ArmResult => {
    const used = ctx.state.ofType(ASSIGNMENT_TYPE).find((a) => keyOf(String(a.properties?.policyDefinitionId)) === keyOf(req.path));
    if (used) throw definitionInUse(kind, nameParam(req, kind), used.id);
    return { status: ctx.state.delete(req.path) ? 200 : 204 };
  };
}
