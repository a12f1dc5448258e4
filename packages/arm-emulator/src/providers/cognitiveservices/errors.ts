/**
 * The errors Microsoft.CognitiveServices answers, with Azure's codes, statuses and wording. Evidence for
 * each is in BEHAVIOR.md "Microsoft.CognitiveServices and the Document Intelligence data plane" ("ARM:
 * `Microsoft.CognitiveServices/accounts`" and "Known deviations from Azure").
 */
import { ArmError } from '../../arm/errors.js';

export function customDomainInUse(subdomain: string): ArmError {
  return new ArmError(
    409,
    'CustomDomainInUse',
    `Please pick a different name. The subdomain name '${subdomain}' is not available as it's already used by a resource. If the resource using the name was deleted in the last 48 hours, you may need to purge the deleted resource. Learn more at "https://go.microsoft.com/fwlink/?linkid=2215493"`,
  );
}

export function updatingCustomDomainNotAllowed(): ArmError {
  return new ArmError(400, 'UpdatingCustomDomainNotAllowed', 'Updating or disabling sub domain is not supported.');
}

export function invalidSubdomain(subdomain: string): ArmError {
  return new ArmError(400, 'InvalidSubDomainName', `Sub domain name '${subdomain}' is not valid`);
}

/** Network rules and private endpoints need the account's own host name (custom subdomain). */
export function customSubDomainRequired(feature: string): ArmError {
  return new ArmError(400, 'CustomSubDomainNameRequired', `A custom subdomain name is required to enable ${feature}. Set properties.customSubDomainName on the account first.`);
}

/** BEHAVIOR.md "kind/sku": known kinds only (`InvalidApiSetId`). */
export function kindInvalid(kind: string): ArmError {
  return new ArmError(400, 'InvalidApiSetId', `The account type '${kind}' is either invalid or unavailable in given region.`);
}

/** BEHAVIOR.md "kind/sku": FormRecognizer takes F0/S0 (`InvalidSkuId`). */
export function skuInvalid(sku: string): ArmError {
  return new ArmError(400, 'InvalidSkuId', `The sku '${sku}' is either invalid or unavailable in given region.`);
}

/** An enum property (publicNetworkAccess, networkAcls.defaultAction, networkAcls.bypass) outside its values. */
export function valueNotAllowed(value: unknown, property: string, allowed: [string, string]): ArmError {
  return new ArmError(400, 'BadRequest', `The value '${String(value)}' of ${property} is invalid. Allowed values are '${allowed[0]}' and '${allowed[1]}'.`);
}

export function networkAclsNotObject(): ArmError {
  return new ArmError(400, 'InvalidRequestContent', "The request content was invalid and could not be deserialized: 'networkAcls' must be an object.");
}

export function notAnArray(property: string): ArmError {
  return new ArmError(400, 'BadRequest', `${property} must be an array.`);
}

export function virtualNetworkRuleInvalid(id: string): ArmError {
  return new ArmError(400, 'InvalidVirtualNetworkRule', `The virtual network rule id '${id}' is not a valid subnet resource id.`);
}

/** Docs "Configure Azure AI services virtual networks": an IPv4 address or a /1–/30 range. */
export function ipRuleMalformed(text: string): ArmError {
  return new ArmError(400, 'InvalidIpRule', `The IP rule '${text}' is invalid. Specify an IPv4 address or an IPv4 CIDR range with a prefix between /1 and /30.`);
}

/** Docs "Configure Azure AI services virtual networks": "IP network rules are only allowed for public internet IP addresses". */
export function ipRuleNotPublic(text: string): ArmError {
  return new ArmError(400, 'InvalidIpRule', `The IP rule '${text}' is invalid. IP rules are only allowed for public internet addresses; ranges reserved for private networks are not allowed.`);
}

/** A PUT of an existing account naming another location (409, as Cognitive Services answers it). */
export function accountInOtherLocation(name: string, existingLocation: unknown, requestedLocation: string): ArmError {
  return new ArmError(409, 'LocationNotAvailableForResourceType', `The resource '${name}' already exists in location '${existingLocation}'. A resource with the same name cannot be created in location '${requestedLocation}'.`);
}

/** BEHAVIOR.md keys: listKeys with `disableLocalAuth: true`. */
export function localAuthDisabled(): ArmError {
  return new ArmError(400, 'BadRequest', 'Failed to list key. disableLocalAuth is set to be true');
}

export function keyNameInvalid(keyName: unknown): ArmError {
  return new ArmError(400, 'BadRequest', `The key name '${String(keyName ?? '')}' is invalid. Allowed values are 'Key1' and 'Key2'.`);
}

export function connectionStateMissing(): ArmError {
  return new ArmError(400, 'BadRequest', 'The request must contain properties.privateLinkServiceConnectionState.');
}

export function connectionStatusInvalid(status: unknown, allowed: string[]): ArmError {
  return new ArmError(400, 'BadRequest', `The private link service connection status '${String(status ?? '')}' is invalid. Allowed values are ${allowed.join(', ')}.`);
}

export function rejectedConnectionApproved(): ArmError {
  return new ArmError(400, 'BadRequest', 'A rejected private endpoint connection cannot be approved. Delete the private endpoint and create it again.');
}

export function identityTypeInvalid(type: unknown, supported: string[]): ArmError {
  return new ArmError(400, 'InvalidIdentityType', `The identity type '${String(type ?? '')}' is not supported. Supported types are: ${supported.join(', ')}.`);
}

export function userAssignedWithoutType(): ArmError {
  return new ArmError(400, 'InvalidIdentityType', `userAssignedIdentities can only be set when the identity type includes 'UserAssigned'.`);
}

export function userAssignedMissing(): ArmError {
  return new ArmError(400, 'BadRequest', "The identity type 'UserAssigned' requires at least one user-assigned identity in 'userAssignedIdentities'.");
}

/** A private endpoint's call to the account, refused (Network reports it as the target's answer). */
export function endpointGroupNotSupported(groupId: string, supported: string): ArmError {
  return new ArmError(400, 'PrivateEndpointBadRequest', `Call to Microsoft.CognitiveServices/accounts failed. Error message: The group id '${groupId}' is not supported. Supported group ids: ${supported}.`);
}

/** BEHAVIOR.md: a private endpoint needs the account's custom subdomain. */
export function endpointWithoutSubdomain(accountId: string): ArmError {
  return new ArmError(400, 'PrivateEndpointBadRequest', `Call to Microsoft.CognitiveServices/accounts failed. Error message: Account ${accountId} does not have a custom subdomain. A custom subdomain name is required to create a private endpoint.`);
}

export function accountNotReady(accountId: string, state: unknown): ArmError {
  return new ArmError(400, 'AccountProvisioningStateInvalid', `Call to Microsoft.CognitiveServices/accounts failed. Error message: Account ${accountId} in state ${state}`);
}

export function accountNotFound(name: string, resourceGroup: string): ArmError {
  return new ArmError(
    404,
    'ResourceNotFound',
    `The Resource 'Microsoft.CognitiveServices/accounts/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export function connectionNotFound(name: string): ArmError {
  return new ArmError(404, 'PrivateEndpointConnectionNotFound', `Private endpoint connection '${name}' not found.`);
}
