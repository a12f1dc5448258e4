import type { ApiVersionPolicy } from '../../arm/router.js';

/** The api-versions Microsoft.Authorization serves here, and who sends them. */
// 2022-04-01: @azure/arm-authorization 9 and the spec; 2020-04-01-preview (assignments) and
// 2018-01-01-preview (definitions): Azure CLI 2.45; the others are older clients' still-served versions.
export const VERSIONS = ['2015-07-01', '2018-01-01-preview', '2018-09-01-preview', '2020-04-01-preview', '2020-08-01-preview', '2020-10-01-preview', '2022-04-01'];
export const ASSIGNMENTS_API: ApiVersionPolicy = { versions: VERSIONS, style: 'provider', typeName: 'roleAssignments' };
export const DEFINITIONS_API: ApiVersionPolicy = { versions: VERSIONS, style: 'provider', typeName: 'roleDefinitions' };
export const PERMISSIONS_API: ApiVersionPolicy = { versions: VERSIONS, style: 'provider', typeName: 'permissions' };
