/**
 * The errors Microsoft.Network answers, with Azure's codes, statuses and wording. Evidence for each is
 * in BEHAVIOR.md "Microsoft.Network and private DNS" (virtual networks and subnets, private endpoints,
 * approval right, zone groups; wording marked `unverified` under "Known deviations / unverified wording").
 */
import { ArmError, type ArmErrorDetail } from '../../arm/errors.js';
import type { ArmRequest } from '../../arm/router.js';

/** A region outside the ones the emulator serves (ARM's wording for a tracked resource). */
export function locationNotAvailable(location: unknown, type: string, locations: string[]): ArmError {
  return new ArmError(
    400,
    'LocationNotAvailableForResourceType',
    `The provided location '${location}' is not available for resource type '${type}'. List of available regions for the resource type is '${locations.join(',')}'.`,
  );
}

/** A PUT of an existing network naming another location (ARM's wording, as storage's). */
export function resourceInOtherLocation(name: string, existingLocation: string, resourceGroup: string, requestedLocation: string): ArmError {
  return new ArmError(
    400,
    'InvalidResourceLocation',
    `The resource '${name}' already exists in location '${existingLocation}' in resource group '${resourceGroup}'. A resource with the same name cannot be created in location '${requestedLocation}'. Please select a new resource name.`,
  );
}

/** NRP's `InvalidRequestFormat`: "Cannot parse the request. …" (wording of each case `unverified`). */
export function invalidRequestFormat(detail: string): ArmError {
  return new ArmError(400, 'InvalidRequestFormat', `Cannot parse the request. ${detail}`);
}

export function emptyAddressSpace(vnetName: string): ArmError {
  return new ArmError(400, 'InvalidAddressSpace', `Virtual network ${vnetName} must have at least one address prefix in its address space.`);
}

/** BEHAVIOR.md "Virtual networks and subnets": CIDR format. */
export function invalidAddressPrefix(prefix: string, vnetName: string): ArmError {
  return new ArmError(400, 'InvalidAddressPrefixFormat', `Address prefix ${prefix} of resource ${vnetName} is not formatted correctly. It should follow CIDR notation, for example 10.0.0.0/24.`);
}

export function invalidSubnet(subnetName: string, vnetName: string): ArmError {
  return new ArmError(400, 'NetcfgInvalidSubnet', `Subnet '${subnetName}' is not valid in virtual network '${vnetName}'.`);
}

/** BEHAVIOR.md "Virtual networks and subnets": subnet inside the address space. */
export function subnetOutsideVnet(subnetName: string, vnetName: string): ArmError {
  return new ArmError(400, 'NetcfgSubnetRangeOutsideVnet', `Subnet '${subnetName}' is not valid because its IP address range is outside the IP address range of virtual network '${vnetName}'.`);
}

/** BEHAVIOR.md "Virtual networks and subnets": no overlap. */
export function subnetsOverlap(subnetName: string, vnetName: string): ArmError {
  return new ArmError(400, 'NetcfgSubnetRangesOverlap', `Subnet '${subnetName}' is not valid because its IP address range overlaps with that of an existing subnet in virtual network '${vnetName}'.`);
}

/** BEHAVIOR.md "Virtual networks and subnets": `InUseSubnetCannotBeDeleted`. */
export function subnetInUse(subnetName: string, user: string | undefined): ArmError {
  return new ArmError(
    400,
    'InUseSubnetCannotBeDeleted',
    `Subnet ${subnetName} is in use by ${user} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.`,
  );
}

/** BEHAVIOR.md "Known deviations": missing children answer `NotFound` with NRP-style messages. */
export function notFound(id: string): ArmError {
  return new ArmError(404, 'NotFound', `Resource ${id} not found.`);
}

/** ARM's answer for a nested resource whose parent is missing (zone groups of a missing endpoint). */
export function parentNotFound(name: string): ArmError {
  return new ArmError(404, 'ParentResourceNotFound', `Can not perform requested operation on nested resource. Parent resource '${name}' not found.`);
}

/** BEHAVIOR.md "Private endpoints" and "Private DNS zone groups": a subnet, network or zone that is missing or in another region. */
export function invalidReference(referenced: string, by: string, missing: string): ArmError {
  return new ArmError(
    400,
    'InvalidResourceReference',
    `Resource ${referenced} referenced by resource ${by} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`,
    [{ code: 'NotFound', message: `Resource ${missing} not found.` }],
  );
}

/** BEHAVIOR.md "Private endpoints": the target is not a registered private link target. */
export function targetTypeNotSupported(type: string): ArmError {
  return new ArmError(400, 'PrivateEndpointCreationNotAllowedAsResourceTypeNotSupported', `Private endpoint cannot be created for resource type '${type}'.`);
}

/** BEHAVIOR.md "Private endpoints": a group id the target does not offer (wording `unverified`). */
export function invalidGroupId(targetType: string, groupIds: string[], valid: string[]): ArmError {
  return new ArmError(400, 'PrivateEndpointBadRequest', `Call to ${targetType} failed. Error message: The group id '${groupIds.join(',')}' is not valid. Valid group ids: ${valid.join(', ')}.`);
}

export function privateAddressNotInSubnet(address: string, subnetPrefix: string): ArmError {
  return new ArmError(400, 'PrivateIPAddressNotInSubnet', `Private static IP address ${address} does not belong to the range of subnet prefix ${subnetPrefix} or is already in use.`);
}

export function subnetFull(subnetName: string, subnetPrefix: unknown): ArmError {
  return new ArmError(400, 'SubnetIsFull', `Subnet ${subnetName} with address prefix ${subnetPrefix} does not have enough capacity for 1 IP addresses.`);
}

/** BEHAVIOR.md "Known deviations": `CannotChangeSubnetOfPrivateEndpoint` (wording `unverified`). */
export function subnetOfEndpointFixed(endpointId: string): ArmError {
  return new ArmError(400, 'CannotChangeSubnetOfPrivateEndpoint', `Subnet of private endpoint ${endpointId} cannot be changed.`);
}

/** BEHAVIOR.md "Private DNS zone groups": one per private endpoint (docs private-endpoint-dns.md; status `unverified`). */
export function secondZoneGroup(endpointName: string): ArmError {
  return new ArmError(400, 'MoreThanOnePrivateDnsZoneGroupPerPrivateEndpointNotAllowed', `Cannot create more than one private dns zone groups in the private endpoint ${endpointName}.`);
}

/** BEHAVIOR.md "Approval right" (Azure/azure-sdk-for-go#14306, MicrosoftDocs/azure-docs#96892): a write joining a resource the caller may not join. */
export function linkedAuthorizationFailed(req: ArmRequest, action: string, linkedAction: string, linkedScope: string): ArmError {
  const caller = req.caller!;
  return new ArmError(
    403,
    'LinkedAuthorizationFailed',
    `The client '${caller.appId ?? caller.objectId}' with object id '${caller.objectId}' has permission to perform action '${action}' on scope '${req.path}'; however, it does not have permission to perform action '${linkedAction}' on the linked scope(s) '${linkedScope}' or the linked scope(s) are invalid.`,
  );
}

/**
 * How an endpoint's operation fails while another endpoint's operation on the same storage account runs
 * (BEHAVIOR.md "One storage account, one endpoint operation at a time": Azure/bicep-registry-modules#6001).
 */
export function storageAccountBusy(): ArmErrorDetail {
  return {
    code: 'StorageAccountOperationInProgress',
    message: 'Call to Microsoft.Storage/storageAccounts failed. Error message: An operation is currently performing on this storage account that requires exclusive access.',
  };
}
