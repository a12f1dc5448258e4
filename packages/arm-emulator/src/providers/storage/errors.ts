/**
 * The ARM errors Microsoft.Storage answers, with Azure's codes, statuses and wording. Evidence for each
 * is in BEHAVIOR.md "Microsoft.Storage and the blob data plane" (what is emulated, known deviations).
 * The blob data plane's XML errors are in blob-errors.ts; ARM-level errors (ResourceNotFound, …) in
 * src/arm/errors.ts.
 */
import { ArmError } from '../../arm/errors.js';

const RULESET_HELP = 'For more information, see - https://aka.ms/storagenetworkruleset';

export function invalidNameMessage(name: string): string {
  return `${name} is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.`;
}

export function takenMessage(name: string): string {
  return `The storage account named ${name} is already taken.`;
}

/** BEHAVIOR.md storageAccounts: "Name 3–24 lowercase alphanumerics (`AccountNameInvalid`)". */
export function accountNameInvalid(name: string): ArmError {
  return new ArmError(400, 'AccountNameInvalid', invalidNameMessage(name));
}

/** BEHAVIOR.md storageAccounts: "global uniqueness (`StorageAccountAlreadyTaken`, …)". */
export function accountNameTaken(name: string): ArmError {
  return new ArmError(409, 'StorageAccountAlreadyTaken', takenMessage(name));
}

/** BEHAVIOR.md storageAccounts: "global uniqueness (…, `StorageAccountInAnotherResourceGroup`)". */
export function accountInAnotherResourceGroup(name: string): ArmError {
  return new ArmError(409, 'StorageAccountInAnotherResourceGroup', `The account ${name} is already in another resource group in this subscription.`);
}

/** A PUT of an existing account naming another location (ARM's wording for a resource that exists elsewhere). */
export function accountInOtherLocation(name: string, existingLocation: string, resourceGroup: string, requestedLocation: string): ArmError {
  return new ArmError(
    409,
    'InvalidResourceLocation',
    `The resource '${name}' already exists in location '${existingLocation}' in resource group '${resourceGroup}'. A resource with the same name cannot be created in location '${requestedLocation}'. Please select a new resource name.`,
  );
}

/**
 * A request property the storage provider refuses (sku, kind, enums, identity.type, keyName, …):
 * BEHAVIOR.md "What is emulated" and "Known deviations" (enum values by analogy).
 */
export function invalidValues(path: string): ArmError {
  return new ArmError(400, 'InvalidValuesForRequestParameters', `Values for request parameters are invalid: ${path}.`);
}

/** A firewall rule set (`networkAcls`) the storage provider refuses: BEHAVIOR.md "networkAcls" (Azure's message, with the link). */
export function invalidNetworkRuleSet(path: string): ArmError {
  return new ArmError(400, 'InvalidValuesForRequestParameters', `Values for request parameters are invalid: ${path}. ${RULESET_HELP}`);
}

/** BEHAVIOR.md "networkAcls": a subnet without a Microsoft.Storage service endpoint. */
export function subnetWithoutServiceEndpoint(subnetId: string): ArmError {
  return new ArmError(400, 'NetworkAclsValidationFailure', `Validation of network acls failure: SubnetsHaveNoServiceEndpointsConfigured:${subnetId}.`);
}

/** BEHAVIOR.md blobServices/default: a CORS rule the service refuses (Azure's XML-derived message). */
export function corsRuleInvalid(): ArmError {
  return new ArmError(400, 'ContainerOperationFailure', 'The value for one of the XML nodes is not in the correct format.');
}

/** BEHAVIOR.md containers: a container name outside 3–63 lowercase letters, digits and single hyphens. */
export function containerNameInvalid(): ArmError {
  return new ArmError(400, 'ContainerOperationFailure', 'The specified resource name contains invalid characters.');
}

/** BEHAVIOR.md containers (and the data plane's `404 ContainerNotFound`). */
export function containerNotFound(): ArmError {
  return new ArmError(404, 'ContainerNotFound', 'The specified container does not exist.');
}

/** BEHAVIOR.md privateEndpointConnections. */
export function connectionNotFound(connectionName: string, accountName: string): ArmError {
  return new ArmError(404, 'PrivateEndpointConnectionNotFound', `Private endpoint connection '${connectionName}' does not exist for storage account '${accountName}'.`);
}
