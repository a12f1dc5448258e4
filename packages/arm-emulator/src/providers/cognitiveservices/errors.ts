/** The errors Microsoft.CognitiveServices answers, with Azure's codes and wording (see BEHAVIOR.cognitiveservices.md). */
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

export function invalidProperty(code: string, message: string): ArmError {
  return new ArmError(400, code, message);
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
