/**
 * Scenario files: the starting state of the emulator.
 * `{ tenantId, subscriptions, principals, resources, roleAssignments, extras }` where resources are
 * ARM objects as a GET returns them, each with its `id`.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { EmulatorState, type Principal, type Subscription } from './state.js';
import { keyOf, parseResourceId, resourceGroupScope } from './arm/ids.js';
import { managementGroupsFromShorthand } from './arm/management-groups.js';
import { builtInRoleByName } from './providers/authorization/builtin-roles.js';
import { demoScenario } from './demo.js';
import { estate } from './estate.js';

export interface ScenarioRoleAssignment {
  scope: string;
  principalId: string;
  /** built-in role name, or use roleDefinitionId */
  roleName?: string;
  roleDefinitionId?: string;
  principalType?: string;
  name?: string;
}

export interface Scenario {
  tenantId: string;
  subscriptions: (Partial<Subscription> & { subscriptionId: string })[];
  principals: Principal[];
  resources: Record<string, any>[];
  roleAssignments?: ScenarioRoleAssignment[];
  extras?: Record<string, unknown>;
  /** ARM request throttling (arm/throttling.ts): true or 'azure' for Azure's limits, or limits per operation type */
  throttling?: unknown;
}

export function loadScenario(source: string | Scenario): EmulatorState {
  const scenario: Scenario =
    typeof source === 'string'
      ? source === 'demo'
        ? demoScenario()
        : source === 'estate'
          ? estate().scenario
          : JSON.parse(readFileSync(source, 'utf8'))
      : structuredClone(source);
  return buildState(scenario);
}

export function buildState(s: Scenario): EmulatorState {
  const state = new EmulatorState(s.tenantId);
  for (const sub of s.subscriptions) {
    state.subscriptions.set(sub.subscriptionId.toLowerCase(), {
      subscriptionId: sub.subscriptionId,
      displayName: sub.displayName ?? sub.subscriptionId,
      state: sub.state ?? 'Enabled',
      tenantId: sub.tenantId ?? s.tenantId,
    });
  }
  for (const p of s.principals) state.addPrincipal({ ...p });
  for (const r of s.resources) state.put(structuredClone(r) as never);
  // A resource group named by a resource but not listed is created in that resource's region.
  for (const r of s.resources) {
    const p = parseResourceId(r.id);
    if (!p.subscriptionId || !p.resourceGroup) continue;
    const rgId = resourceGroupScope(p.subscriptionId, p.resourceGroup);
    if (state.get(rgId)) continue;
    state.put({
      id: rgId,
      name: p.resourceGroup,
      type: 'Microsoft.Resources/resourceGroups',
      location: r.location && r.location !== 'global' ? r.location : 'eastus',
      properties: { provisioningState: 'Succeeded' },
    });
  }
  for (const a of s.roleAssignments ?? []) {
    const sub = parseResourceId(a.scope).subscriptionId ?? s.subscriptions[0]?.subscriptionId;
    const guid = a.roleDefinitionId ? undefined : builtInRoleByName(a.roleName ?? '')?.name;
    if (!a.roleDefinitionId && !guid) throw new Error(`Scenario role assignment names unknown role '${a.roleName}'.`);
    const roleDefinitionId = a.roleDefinitionId ?? `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
    const name = a.name ?? uuidFrom(`${keyOf(a.scope)}|${a.principalId.toLowerCase()}|${roleDefinitionId.toLowerCase()}`);
    const scope = a.scope.replace(/\/$/, '') || '/';
    state.put({
      id: `${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
      name,
      type: 'Microsoft.Authorization/roleAssignments',
      properties: {
        roleDefinitionId,
        principalId: a.principalId,
        principalType: a.principalType ?? state.principals.get(a.principalId.toLowerCase())?.type ?? 'ServicePrincipal',
        scope,
        createdOn: '2026-01-01T00:00:00.0000000Z',
        updatedOn: '2026-01-01T00:00:00.0000000Z',
        createdBy: null,
        updatedBy: null,
        delegatedManagedIdentityResourceId: null,
        description: null,
        condition: null,
        conditionVersion: null,
      },
    });
  }
  const { managementGroups, ...extras } = structuredClone(s.extras ?? {});
  if (managementGroups) for (const g of managementGroupsFromShorthand(state, managementGroups as Record<string, string[]>)) state.put(g);
  state.extras = extras;
  state.scenarioThrottling = s.throttling;
  return state;
}

/** A name-based (v5-style) UUID, so re-loading a scenario gives the same names. */
export function uuidFrom(text: string): string {
  const h = createHash('sha1').update(text).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

