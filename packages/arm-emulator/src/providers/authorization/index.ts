/** Microsoft.Authorization: role definitions and role assignments at any scope. */
import type { Provider } from '../provider.js';
import type { ApiVersionPolicy } from '../../arm/router.js';
import { scopeTemplates } from './scopes.js';
import { getRoleDefinition, listRoleDefinitions } from './role-definitions.js';
import { listPermissions } from './permissions.js';
import { createRoleAssignment, deleteRoleAssignment, getRoleAssignment, listRoleAssignments } from './role-assignments.js';

// 2022-04-01: @azure/arm-authorization 9 and the spec; 2020-04-01-preview (assignments) and
// 2018-01-01-preview (definitions): Azure CLI 2.45; the others are older clients' still-served versions.
const VERSIONS = ['2015-07-01', '2018-01-01-preview', '2018-09-01-preview', '2020-04-01-preview', '2020-08-01-preview', '2020-10-01-preview', '2022-04-01'];
const ASSIGNMENTS_API: ApiVersionPolicy = { versions: VERSIONS, style: 'provider', typeName: 'roleAssignments' };
const DEFINITIONS_API: ApiVersionPolicy = { versions: VERSIONS, style: 'provider', typeName: 'roleDefinitions' };
const PERMISSIONS_API: ApiVersionPolicy = { versions: VERSIONS, style: 'provider', typeName: 'permissions' };

export const authorizationProvider: Provider = {
  name: 'Microsoft.Authorization',
  register(router) {
    for (const scope of scopeTemplates()) {
      const definitions = `${scope}/providers/Microsoft.Authorization/roleDefinitions`;
      router.add({ method: 'GET', template: definitions, api: DEFINITIONS_API, handler: listRoleDefinitions });
      router.add({ method: 'GET', template: `${definitions}/{roleDefinitionId}`, api: DEFINITIONS_API, handler: getRoleDefinition });

      // The caller's own permissions: at a subscription, resource group or resource (not the tenant root).
      if (scope) router.add({ method: 'GET', template: `${scope}/providers/Microsoft.Authorization/permissions`, api: PERMISSIONS_API, handler: listPermissions });

      const assignments = `${scope}/providers/Microsoft.Authorization/roleAssignments`;
      router.add({ method: 'GET', template: assignments, api: ASSIGNMENTS_API, handler: listRoleAssignments });
      router.add({ method: 'GET', template: `${assignments}/{roleAssignmentName}`, api: ASSIGNMENTS_API, handler: getRoleAssignment });
      router.add({
        method: 'PUT',
        template: `${assignments}/{roleAssignmentName}`,
        api: ASSIGNMENTS_API,
        action: 'Microsoft.Authorization/roleAssignments/write',
        handler: createRoleAssignment,
      });
      router.add({
        method: 'DELETE',
        template: `${assignments}/{roleAssignmentName}`,
        api: ASSIGNMENTS_API,
        action: 'Microsoft.Authorization/roleAssignments/delete',
        handler: deleteRoleAssignment,
      });
    }
  },
};
