/** Microsoft.Authorization: role definitions and role assignments at any scope. */
import type { Provider } from '../provider.js';
import { ASSIGNMENTS_API, DEFINITIONS_API, PERMISSIONS_API } from './api.js';
import { scopeTemplates } from './scopes.js';
import { getRoleDefinition, listRoleDefinitions } from './role-definitions.js';
import { listPermissions } from './permissions.js';
import { createRoleAssignment, deleteRoleAssignment, getRoleAssignment, listRoleAssignments } from './role-assignments.js';


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
