/**
 * The errors Microsoft.Network's private DNS zones answer, with Azure's codes, statuses and wording.
 * Evidence for each is in BEHAVIOR.md "Microsoft.Network and private DNS" ("Private DNS zones" and
 * "Known deviations / unverified wording", which names the messages not confirmed against Azure).
 */
import { ArmError, type ArmErrorDetail } from '../../arm/errors.js';

/** BEHAVIOR.md "Private DNS zones": location must be `global`. */
export function locationNotGlobal(location: unknown, type: string): ArmError {
  return new ArmError(400, 'LocationNotAvailableForResourceType', `The provided location '${location ?? ''}' is not available for resource type '${type}'. List of available regions for the resource type is 'global'.`);
}

/** BEHAVIOR.md "Private DNS zones": `If-None-Match: *` on an existing resource (wording `unverified`). */
export function existsAlready(what: string): ArmError {
  return new ArmError(412, 'PreconditionFailed', `The ${what} exists already.`);
}

/** BEHAVIOR.md "Private DNS zones": `If-Match` on a missing resource (wording `unverified`). */
export function doesNotExist(what: string): ArmError {
  return new ArmError(412, 'PreconditionFailed', `The ${what} does not exist.`);
}

/** BEHAVIOR.md "Private DNS zones": a mismatched `If-Match` (wording `unverified`). */
export function etagMismatch(what: string): ArmError {
  return new ArmError(412, 'PreconditionFailed', `The ${what} has been modified (etag mismatch).`);
}

/** BEHAVIOR.md "Known deviations": zone delete with links (ARM's generic wording). */
export function zoneHasLinks(): ArmError {
  return new ArmError(409, 'CannotDeleteResource', 'Can not delete resource before nested resources are deleted.');
}

/** Record types other than A, AAAA, CNAME, MX, PTR, SOA, SRV, TXT (wording `unverified`). */
export function recordTypeNotSupported(type: string, supported: string[]): ArmError {
  return new ArmError(400, 'BadRequest', `The record type '${type}' is not supported. Supported types: ${supported.join(', ')}.`);
}

/** BEHAVIOR.md "Known deviations": record set 404 wording `unverified`. */
export function recordSetNotFound(name: string, resourceGroup: string, subscriptionId: string): ArmError {
  return new ArmError(404, 'NotFound', `The resource record '${name}' does not exist in resource group '${resourceGroup}' of subscription '${subscriptionId}'.`);
}

/** The SOA record set is the zone's own: named `@`, never deleted (wording `unverified`). */
export function soaNameNotApex(): ArmError {
  return new ArmError(400, 'BadRequest', "The name of an SOA record set must be '@'.");
}

export function soaNotDeletable(): ArmError {
  return new ArmError(400, 'BadRequest', 'The SOA record set cannot be deleted.');
}

/** BEHAVIOR.md "Known deviations": missing children answer `NotFound`. */
export function linkNotFound(name: string): ArmError {
  return new ArmError(404, 'NotFound', `The resource '${name}' could not be found.`);
}

/** BEHAVIOR.md "Known deviations": a missing VNet for a link (400 `BadRequest`, wording `unverified`). */
export function linkWithoutNetwork(): ArmError {
  return new ArmError(400, 'BadRequest', 'The virtual network ID must be specified for a virtual network link.');
}

export function linkedNetworkMissing(vnetId: string): ArmError {
  return new ArmError(400, 'BadRequest', `Virtual network '${vnetId}' does not exist.`);
}

/** BEHAVIOR.md "Private DNS zones": one link per network and zone (409 `Conflict`, wording `unverified`). */
export function networkLinkedAlready(zoneName: string, vnetId: string): ArmError {
  return new ArmError(409, 'Conflict', `Private zone '${zoneName}' is already linked to the virtual network '${vnetId}'.`);
}

export function invalidResolutionPolicy(value: unknown, allowed: string[]): ArmError {
  return new ArmError(400, 'BadRequest', `The value '${value}' is not valid for resolutionPolicy. Allowed values: ${allowed.join(', ')}.`);
}

/**
 * How a link's operation fails when the network is linked to another zone of the same name
 * (BEHAVIOR.md "One zone of a name per network": Azure/ARO-RP#796, MicrosoftDocs/azure-aks-docs#212).
 */
export function overlappingNamespaces(zoneName: string, otherZoneName: string): ArmErrorDetail {
  return {
    code: 'BadRequest',
    message: `A virtual network cannot be linked to multiple zones with overlapping namespaces. You tried to link virtual network with '${zoneName}' and '${otherZoneName}' zones.`,
  };
}
