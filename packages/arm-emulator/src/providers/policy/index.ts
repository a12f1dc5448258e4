/**
 * Azure Policy (Microsoft.Authorization policy definitions, set definitions, assignments) and
 * Microsoft.PolicyInsights (policy states, remediations), with policy enforced on writes.
 */
import type { Provider } from '../provider.js';
import type { Route, Router } from '../../arm/router.js';
import { api, STATES_API, REMEDIATIONS_API } from './api.js';
import { deleteCustom, getBuiltIn, getCustom, listBuiltIn, listCustom, putCustom, type DefinitionKind } from './definitions.js';
import { deleteAssignment, getAssignment, listAssignments, putAssignment } from './assignments.js';
import { queryResults, summarize } from './policy-states.js';
import { deleteRemediation, getRemediation, listDeployments, listRemediations, putRemediation } from './remediations.js';
import { enforcePolicy } from './enforcement.js';
import { MANAGEMENT_GROUP, RESOURCE_GROUP, SUBSCRIPTION, requireManagementGroup } from './scopes.js';

/** A router whose routes under a management group first answer 404 ManagementGroupNotFound when the group does not exist. */
function inExistingManagementGroup(router: Router): Pick<Router, 'add'> {
  return {
    add: (route: Route) =>
      router.add({
        ...route,
        handler: (req, ctx) => {
          requireManagementGroup(req, ctx);
          return route.handler(req, ctx);
        },
      }),
  };
}
const SEGMENT: Record<DefinitionKind, string> = { definition: 'policyDefinitions', set: 'policySetDefinitions' };
const PARAM: Record<DefinitionKind, string> = { definition: '{policyDefinitionName}', set: '{policySetDefinitionName}' };

export const policyProvider: Provider = {
  name: 'Microsoft.Authorization/policy',
  writeGuards: [enforcePolicy],
  register(armRouter) {
    const router = inExistingManagementGroup(armRouter);
    for (const kind of ['definition', 'set'] as DefinitionKind[]) {
      const a = api(SEGMENT[kind]);
      const builtIn = `/providers/Microsoft.Authorization/${SEGMENT[kind]}`;
      router.add({ method: 'GET', template: builtIn, api: a, handler: listBuiltIn(kind) });
      router.add({ method: 'GET', template: `${builtIn}/${PARAM[kind]}`, api: a, handler: getBuiltIn(kind) });
      for (const scope of [SUBSCRIPTION, MANAGEMENT_GROUP]) {
        const base = `${scope}/providers/Microsoft.Authorization/${SEGMENT[kind]}`;
        router.add({ method: 'GET', template: base, api: a, handler: listCustom(kind) });
        router.add({ method: 'GET', template: `${base}/${PARAM[kind]}`, api: a, handler: getCustom(kind) });
        router.add({ method: 'PUT', template: `${base}/${PARAM[kind]}`, api: a, action: `Microsoft.Authorization/${SEGMENT[kind]}/write`, handler: putCustom(kind) });
        router.add({ method: 'DELETE', template: `${base}/${PARAM[kind]}`, api: a, action: `Microsoft.Authorization/${SEGMENT[kind]}/delete`, handler: deleteCustom(kind) });
      }
    }
    const assignmentsApi = api('policyAssignments');
    for (const scope of [SUBSCRIPTION, RESOURCE_GROUP, MANAGEMENT_GROUP]) {
      const base = `${scope}/providers/Microsoft.Authorization/policyAssignments`;
      router.add({ method: 'GET', template: base, api: assignmentsApi, handler: listAssignments });
      router.add({ method: 'GET', template: `${base}/{policyAssignmentName}`, api: assignmentsApi, handler: getAssignment });
      router.add({ method: 'PUT', template: `${base}/{policyAssignmentName}`, api: assignmentsApi, action: 'Microsoft.Authorization/policyAssignments/write', handler: putAssignment });
      router.add({ method: 'DELETE', template: `${base}/{policyAssignmentName}`, api: assignmentsApi, action: 'Microsoft.Authorization/policyAssignments/delete', handler: deleteAssignment });
    }
    const statesScopes = [
      SUBSCRIPTION,
      RESOURCE_GROUP,
      '/providers/Microsoft.Management/managementGroups/{managementGroupName}',
      `${SUBSCRIPTION}/providers/Microsoft.Authorization/policyAssignments/{policyAssignmentName}`,
      `${RESOURCE_GROUP}/providers/Microsoft.Authorization/policyAssignments/{policyAssignmentName}`,
    ];
    for (const scope of statesScopes) {
      router.add({ method: 'POST', template: `${scope}/providers/Microsoft.PolicyInsights/policyStates/{policyStatesResource}/queryResults`, api: STATES_API, handler: queryResults });
      router.add({ method: 'POST', template: `${scope}/providers/Microsoft.PolicyInsights/policyStates/{policyStatesSummaryResource}/summarize`, api: STATES_API, handler: summarize });
    }
    for (const scope of [SUBSCRIPTION, RESOURCE_GROUP, MANAGEMENT_GROUP]) {
      const base = `${scope}/providers/Microsoft.PolicyInsights/remediations`;
      router.add({ method: 'GET', template: base, api: REMEDIATIONS_API, handler: listRemediations });
      router.add({ method: 'GET', template: `${base}/{remediationName}`, api: REMEDIATIONS_API, handler: getRemediation });
      router.add({ method: 'PUT', template: `${base}/{remediationName}`, api: REMEDIATIONS_API, action: 'Microsoft.PolicyInsights/remediations/write', handler: putRemediation });
      router.add({ method: 'DELETE', template: `${base}/{remediationName}`, api: REMEDIATIONS_API, action: 'Microsoft.PolicyInsights/remediations/delete', handler: deleteRemediation });
      router.add({ method: 'POST', template: `${base}/{remediationName}/listDeployments`, api: REMEDIATIONS_API, handler: listDeployments });
    }
  },
};
