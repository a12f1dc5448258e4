/**
 * The errors Microsoft.Authorization (role assignments and definitions) answers, with Azure's codes,
 * statuses and wording. Evidence for each is in BEHAVIOR.md "Microsoft.Authorization and the token
 * service" ("Known differences from Azure" and "Errors", which name the unverified wording).
 */
import { ArmError, invalidRequestContent } from '../../arm/errors.js';
import { lastName } from '../../arm/ids.js';

/** BEHAVIOR.md "Errors": Azure's message, which names the replication delay and principalType as the fix. */
export function principalNotFound(principalId: string, tenantId: string): ArmError {
  return new ArmError(
    400,
    'PrincipalNotFound',
    `Principal ${principalId.replace(/-/g, '')} does not exist in the directory ${tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
  );
}

/** BEHAVIOR.md "Known differences": a visible principal of another type than `principalType`. */
export function unmatchedPrincipalType(principalId: string, actual: string, given: string): ArmError {
  return new ArmError(400, 'UnmatchedPrincipalType', `The PrincipalId '${principalId.replace(/-/g, '')}' has type '${actual}' , which is different from specified PrincipalType '${given}'.`);
}

/** A `principalType` outside the enum (the service's JSON deserializer's wording). */
export function principalTypeInvalid(given: string): ArmError {
  return invalidRequestContent(
    `The request content was invalid and could not be deserialized: 'Error converting value "${given}" to type 'Microsoft.Azure.Management.Authorization.Models.PrincipalType'. Path 'properties.principalType'.'`,
  );
}

/** A PUT without `properties` (ARM's deserialization wording). */
export function propertiesMissing(): ArmError {
  return invalidRequestContent("The request content was invalid and could not be deserialized: 'Required property 'properties' not found in JSON.'");
}

/** A PUT without `properties.roleDefinitionId` or `properties.principalId`. */
export function assignmentPropertyMissing(field: string): ArmError {
  return invalidRequestContent(`The request content was invalid and could not be deserialized: 'Required property '${field}' not found in JSON. Path 'properties'.'`);
}

/** BEHAVIOR.md "Errors": the assignment's name must be a GUID. */
export function assignmentIdNotGuid(name: string): ArmError {
  return new ArmError(400, 'InvalidRoleAssignmentId', `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`);
}

/** BEHAVIOR.md "Known differences": any change but description and condition. */
export function assignmentUpdateNotPermitted(): ArmError {
  return new ArmError(400, 'RoleAssignmentUpdateNotPermitted', 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.');
}

/** BEHAVIOR.md "Microsoft Graph": `409 RoleAssignmentExists`, which az matches to turn the error into a lookup. */
export function assignmentExists(): ArmError {
  return new ArmError(409, 'RoleAssignmentExists', 'The role assignment already exists.');
}

export function assignmentNotFound(name: string): ArmError {
  return new ArmError(404, 'RoleAssignmentNotFound', `The role assignment '${name}' is not found.`);
}

/** `The specified role definition with ID '…' does not exist.` (Azure prints the GUID without dashes): 400 on assign, 404 on GET. */
export function roleDefinitionDoesNotExist(status: 400 | 404, roleDefinitionId: string): ArmError {
  const guid = lastName(roleDefinitionId).replace(/-/g, '');
  return new ArmError(status, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${guid}' does not exist.`);
}

/** BEHAVIOR.md "Known differences": unsupported `$filter` expressions (wording not verified). */
export function invalidFilter(filter: string): ArmError {
  return new ArmError(400, 'InvalidFilterParameter', `The filter '${filter}' is not supported.`);
}
