/**
 * The errors Microsoft.Resources (resource groups, deployments) answers, with Azure's codes, statuses
 * and wording. Evidence for each is in BEHAVIOR.md "Microsoft.Resources" and
 * "`Microsoft.Resources/deployments` (resource-group scope)", which name the emulator's own limits.
 * A missing resource group is ARM's `resourceGroupNotFound` (src/arm/errors.ts).
 */
import { ArmError, invalidRequestContent } from '../../arm/errors.js';
import type { TemplateError } from '../../template/template.js';

/** ARM's naming rule for resource groups (1–90 characters, no trailing period). */
export function invalidResourceGroupName(name: string): ArmError {
  return new ArmError(
    400,
    'InvalidResourceGroupName',
    `The resource group name '${name}' is invalid. It can include alphanumeric, underscore, parentheses, hyphen, period (except at end), and Unicode characters that match the allowed characters.`,
  );
}

/** A resource group cannot move: a PUT or PATCH naming another location. */
export function resourceGroupInOtherLocation(requested: unknown, existing: unknown): ArmError {
  return new ArmError(409, 'InvalidResourceGroupLocation', `Invalid resource group location '${requested}'. The Resource group already exists in location '${existing}'.`);
}

export function deploymentNotFound(name: string): ArmError {
  return new ArmError(404, 'DeploymentNotFound', `Deployment '${name}' could not be found.`);
}

export function deploymentOperationNotFound(operationId: string): ArmError {
  return new ArmError(404, 'DeploymentOperationNotFound', `Deployment operation '${operationId}' could not be found.`);
}

export function invalidDeploymentName(name: string): ArmError {
  return new ArmError(400, 'InvalidDeploymentName', `The deployment name '${name}' is invalid. It can include alphanumeric, underscore, parentheses, hyphen, period (except at end), and must be 1 to 64 characters long.`);
}

/** A deployment body without `properties` or `properties.mode` (ARM's deserialization wording, with its closing period). */
export function deploymentPropertyMissing(property: 'properties' | 'mode'): ArmError {
  return invalidRequestContent(`The request content was invalid and could not be deserialized: 'Required property '${property}' not found in JSON.'.`);
}

/** BEHAVIOR.md deployments: inline templates only (an emulator limit). */
export function templateLinkNotSupported(): ArmError {
  return new ArmError(400, 'InvalidTemplate', "Deployment template validation failed: 'This emulator deploys inline templates only; send the template in 'properties.template'.'.");
}

export function templateMissing(): ArmError {
  return new ArmError(400, 'InvalidDeployment', "The deployment must have either 'template' or 'templateLink' specified.");
}

/** BEHAVIOR.md deployments: inline parameters only (an emulator limit). */
export function parametersLinkNotSupported(): ArmError {
  return new ArmError(400, 'InvalidDeployment', "This emulator takes inline parameters only ('properties.parameters').");
}

/** BEHAVIOR.md deployments: `400 InvalidDeploymentMode`, an emulator limit. */
export function modeNotSupported(mode: unknown): ArmError {
  return new ArmError(
    400,
    'InvalidDeploymentMode',
    `The deployment mode '${mode}' is not supported by this emulator: only 'Incremental' is (Complete mode would delete every resource of the group the template does not name).`,
  );
}

export function deploymentActive(name: string): ArmError {
  return new ArmError(409, 'DeploymentActive', `The deployment '${name}' cannot be saved, because this would overwrite an existing deployment which is still active.`);
}

/** A template the engine refuses before it runs: the template engine's own code and message. */
export function templateRefused(e: TemplateError): ArmError {
  return new ArmError(400, e.code, e.message);
}
