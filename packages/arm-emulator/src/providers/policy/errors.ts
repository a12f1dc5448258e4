/**
 * The errors Azure Policy (`Microsoft.Authorization` policy resources) and `Microsoft.PolicyInsights`
 * answer, with Azure's codes, statuses and wording. Evidence for each is in BEHAVIOR.md "Azure Policy
 * (`Microsoft.Authorization` policy) and `Microsoft.PolicyInsights`", which marks the codes and
 * messages not confirmed against Azure `unverified`.
 */
import { ArmError, invalidRequestContent } from '../../arm/errors.js';
import { lastName } from '../../arm/ids.js';
import type { EffectivePolicy } from './model.js';

/** BEHAVIOR.md "Management groups": `404 ManagementGroupNotFound` (`unverified` message). */
export function managementGroupNotFound(name: string): ArmError {
  return new ArmError(404, 'ManagementGroupNotFound', `The management group '${name}' could not be found.`);
}

/** A PUT whose body lacks a required property (ARM's deserialization wording). */
export function requiredPropertyMissing(property: string): ArmError {
  return invalidRequestContent(`The request content was invalid and could not be deserialized: 'Required property '${property}' not found in JSON.'`);
}

/** BEHAVIOR.md "Built-in definitions" and "Assignments": `404 PolicyDefinitionNotFound`. */
export function definitionNotFound(name: string): ArmError {
  return new ArmError(404, 'PolicyDefinitionNotFound', `The policy definition '${name}' could not be found.`);
}

/** BEHAVIOR.md "Assignments": `404 PolicySetDefinitionNotFound`. */
export function setDefinitionNotFound(name: string): ArmError {
  return new ArmError(404, 'PolicySetDefinitionNotFound', `The policy set definition '${name}' could not be found.`);
}

/** BEHAVIOR.md "Custom definitions": `400 InvalidPolicyRule` (`unverified` code). */
export function ruleWithoutIfThen(name: string): ArmError {
  return new ArmError(400, 'InvalidPolicyRule', `The policy definition '${name}' rule is invalid: it needs 'if' and 'then'.`);
}

/** BEHAVIOR.md "Custom definitions": a set needs at least one reference. */
export function emptySet(name: string): ArmError {
  return new ArmError(400, 'InvalidPolicySetDefinitionRequest', `The policy set definition '${name}' must contain at least one policy definition.`);
}

/** BEHAVIOR.md "Custom definitions": unique `policyDefinitionReferenceId`s. */
export function duplicateReference(name: string, referenceId: string): ArmError {
  return new ArmError(400, 'InvalidPolicySetDefinitionRequest', `The policy set definition '${name}' has more than one policy definition reference with id '${referenceId}'.`);
}

/** BEHAVIOR.md "Custom definitions": DELETE of one an assignment uses (`unverified`). */
export function definitionInUse(kind: 'definition' | 'set', name: string, assignmentId: string): ArmError {
  return new ArmError(
    400,
    kind === 'definition' ? 'PolicyDefinitionInUse' : 'PolicySetDefinitionInUse',
    `The policy ${kind === 'definition' ? 'definition' : 'set definition'} '${name}' cannot be deleted because it is referenced by policy assignment '${assignmentId}'.`,
  );
}

/** BEHAVIOR.md "Assignments": `400 MissingPolicyParameter` (`unverified` message). */
export function missingParameters(assignmentName: string, missing: string[], isSet: boolean, definitionName: string): ArmError {
  return new ArmError(
    400,
    'MissingPolicyParameter',
    `The policy assignment '${assignmentName}' is missing the parameter(s) '${missing.join(', ')}' as defined in the policy ${isSet ? 'set definition' : 'definition'} '${definitionName}'.`,
  );
}

/** BEHAVIOR.md "Assignments": an identity needs a `location` (`400 LocationRequired`, `unverified` code). */
export function identityNeedsLocation(assignmentName: string): ArmError {
  return new ArmError(400, 'LocationRequired', `The policy assignment '${assignmentName}' has a managed identity, so it needs a location.`);
}

/** BEHAVIOR.md "Deviations": no user-assigned identities for assignments (an emulator limit). */
export function identityTypeNotSupported(type: string): ArmError {
  return new ArmError(400, 'InvalidPolicyAssignmentIdentity', `The identity type '${type}' is not supported by the emulator for policy assignments (SystemAssigned or None).`);
}

/** BEHAVIOR.md "Remediations": `404 PolicyAssignmentNotFound`; `assignment` is the name or id the request gave. */
export function assignmentNotFound(assignment: string): ArmError {
  return new ArmError(404, 'PolicyAssignmentNotFound', `The policy assignment '${assignment}' is not found.`);
}

/** BEHAVIOR.md "Policy states": `{latest|default}` (`latest` only for summaries). */
export function invalidStatesResource(resource: string, summary: boolean): ArmError {
  return new ArmError(400, 'InvalidPolicyStatesResource', `The policy states resource '${resource}' is not valid; use ${summary ? "'latest'" : "'latest' or 'default'"}.`);
}

/** BEHAVIOR.md "Policy states": `400 InvalidFilterInQueryString` (`unverified` code). */
export function filterNotUnderstood(clause: string): ArmError {
  return new ArmError(400, 'InvalidFilterInQueryString', `The emulator does not understand the $filter clause '${clause}' (it takes Field eq 'value' and Field eq true|false joined by 'and').`);
}

/** BEHAVIOR.md "Remediations": each refusal is `400 InvalidCreateRemediationRequest` (`unverified` code). */
function invalidRemediation(message: string): ArmError {
  return new ArmError(400, 'InvalidCreateRemediationRequest', message);
}

export function remediationNeedsReference(assignmentId: string): ArmError {
  return invalidRemediation(`The policy assignment '${assignmentId}' assigns a policy set: the remediation needs the policyDefinitionReferenceId of the definition to remediate.`);
}

export function noSuchReference(assignmentId: string, referenceId: string | undefined): ArmError {
  return invalidRemediation(`The policy set of assignment '${assignmentId}' has no policy definition reference '${referenceId}'.`);
}

export function effectNotRemediable(definitionName: string, effect: string): ArmError {
  return invalidRemediation(`The policy definition '${definitionName}' has effect '${effect}'; only deployIfNotExists and modify policies can be remediated.`);
}

export function assignmentWithoutIdentity(assignmentId: string): ArmError {
  return invalidRemediation(`The policy assignment '${assignmentId}' has no managed identity, so nothing can remediate as it.`);
}

export function resourceIdsOutOfRange(): ArmError {
  return invalidRemediation('filters.resourceIds must name between 1 and 100 resources.');
}

export function resourceIdsWithReEvaluation(): ArmError {
  return invalidRemediation('filters.resourceIds cannot be used with resourceDiscoveryMode ReEvaluateCompliance.');
}

export function remediationNotFound(name: string): ArmError {
  return new ArmError(404, 'RemediationNotFound', `The remediation '${name}' could not be found.`);
}

/**
 * BEHAVIOR.md "On writes" (Azure/azure-cli#8058, docs concepts/effect-deny): a write a Deny assignment
 * refuses, `403 RequestDisallowedByPolicy` with the identifiers in the message and each violation in
 * `additionalInfo`.
 */
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
