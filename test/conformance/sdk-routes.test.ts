/**
 * Every operation the product's SDK clients can send for the resource types it manages is routed
 * by the emulator with the api-version that SDK sends by default.
 */
import { describe, it, expect } from 'vitest';
import { Router, checkApiVersion } from '../../packages/arm-emulator/src/arm/router.js';
import { ArmError } from '../../packages/arm-emulator/src/arm/errors.js';
import { providers } from '../../packages/arm-emulator/src/providers/index.js';
import { DEMO } from '../support/emulator.js';
import { sdkOperations, type SdkOperation } from '../support/spec-sdk-operations.js';

/**
 * Operation groups the product uses and, per group, the SDK operations in scope. Left out: actions
 * the product never calls (listKeys, regenerateKey, failover, SAS, migrations, legal holds,
 * immutability policies, usages/skus/models, effective routes) and operations on other resource
 * providers' types (Microsoft.Compute scale-set and cloud-service NICs).
 */
const IN_SCOPE: [pkg: string, group: string, operations: string[]][] = [
  ['@azure/arm-cognitiveservices', 'accounts', ['create', 'update', 'delete', 'get', 'listByResourceGroup', 'list']],
  ['@azure/arm-cognitiveservices', 'privateEndpointConnections', ['list', 'get', 'createOrUpdate', 'delete']],
  ['@azure/arm-cognitiveservices', 'privateLinkResources', ['list']],
  ['@azure/arm-storage', 'storageAccounts', ['create', 'update', 'delete', 'getProperties', 'listByResourceGroup', 'list']],
  ['@azure/arm-storage', 'privateEndpointConnections', ['list', 'get', 'put', 'delete']],
  ['@azure/arm-storage', 'privateLinkResources', ['listByStorageAccount']],
  ['@azure/arm-storage', 'blobServices', ['list', 'getServiceProperties', 'setServiceProperties']],
  ['@azure/arm-storage', 'blobContainers', ['list', 'get']],
  ['@azure/arm-network', 'virtualNetworks', ['get', 'createOrUpdate', 'delete', 'updateTags', 'list', 'listAll']],
  ['@azure/arm-network', 'subnets', ['get', 'createOrUpdate', 'delete', 'list']],
  ['@azure/arm-network', 'privateEndpoints', ['get', 'createOrUpdate', 'delete', 'list', 'listBySubscription']],
  ['@azure/arm-network', 'privateDnsZoneGroups', ['get', 'createOrUpdate', 'delete', 'list']],
  ['@azure/arm-network', 'networkInterfaces', ['get', 'list', 'listAll']],
  ['@azure/arm-privatedns', 'privateZones', ['createOrUpdate', 'update', 'delete', 'get', 'list', 'listByResourceGroup']],
  ['@azure/arm-privatedns', 'virtualNetworkLinks', ['createOrUpdate', 'update', 'delete', 'get', 'list']],
  ['@azure/arm-privatedns', 'recordSets', ['createOrUpdate', 'update', 'delete', 'get', 'listByType', 'list']],
  ['@azure/arm-authorization', 'roleAssignments', ['listForSubscription', 'listForResourceGroup', 'listForResource', 'get', 'create', 'delete', 'listForScope', 'getById', 'deleteById']],
  ['@azure/arm-authorization', 'roleDefinitions', ['get', 'list', 'getById']],
  ['@azure/arm-authorization', 'permissions', ['listForResourceGroup', 'listForResource']],
  ['@azure/arm-resources', 'resourceGroups', ['checkExistence', 'createOrUpdate', 'delete', 'get', 'update', 'list']],
  ['@azure/arm-resources-subscriptions', 'subscriptions', ['get', 'list', 'listLocations']],
];

const SUB = DEMO.subscriptionId;
const RG = `subscriptions/${SUB}/resourceGroups/rg-docintel-demo`;
const GUID = '0a1b2c3d-0000-4000-8000-000000000001';
/** `{scope}`-style parameters take every scope the product uses: subscription, resource group, resource. */
const SCOPES = [`subscriptions/${SUB}`, RG, `${RG}/providers/Microsoft.Storage/storageAccounts/stdocinteldemo`];

const SAMPLE: Record<string, string> = {
  subscriptionId: SUB,
  resourceGroupName: 'rg-docintel-demo',
  resourceProviderNamespace: 'Microsoft.Storage',
  resourceType: 'storageAccounts',
  resourceName: 'stdocinteldemo',
  parentResourcePath: '',
  recordType: 'A',
  relativeRecordSetName: 'docintel-demo',
  privateZoneName: 'privatelink.cognitiveservices.azure.com',
  roleAssignmentName: GUID,
  roleDefinitionId: GUID,
  roleId: `subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${GUID}`,
};

function concretePaths(template: string): string[] {
  const withScope = template.includes('{scope}') ? SCOPES.map((s) => template.replace('{scope}', s))
    : template.includes('{roleAssignmentId}') ? SCOPES.map((s) => template.replace('{roleAssignmentId}', `${s}/providers/Microsoft.Authorization/roleAssignments/${GUID}`))
      : [template];
  return withScope.map((t) => t.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? `${name.toLowerCase()}-1`).replace(/\/+/g, '/'));
}

/** Why the emulator would not serve this request, or undefined when it routes it. */
function routingProblem(router: Router, op: SdkOperation, path: string): string | undefined {
  const { route, methods } = router.match(op.method, path);
  if (!route) return methods.length ? `method not allowed (routes ${methods.join(', ')})` : 'no route';
  try {
    checkApiVersion({ apiVersion: op.apiVersion, path }, route.api);
  } catch (e) {
    if (e instanceof ArmError) return `${e.code}: api-version ${op.apiVersion} not accepted (accepts ${route.api.versions.join(', ')})`;
    throw e;
  }
  return undefined;
}

describe('SDK routing coverage', () => {
  const router = new Router();
  for (const p of providers) p.register(router);
  const operations = IN_SCOPE.flatMap(([pkg, group, names]) => {
    const found = sdkOperations(pkg, [group]);
    const missing = names.filter((n) => !found.some((o) => o.name === n));
    if (missing.length) throw new Error(`${pkg} ${group} has no operation(s) ${missing.join(', ')}: update IN_SCOPE`);
    return found.filter((o) => names.includes(o.name));
  });

  it('finds the operations of every group in the installed SDK packages', () => {
    expect(operations.length).toBe(IN_SCOPE.reduce((n, [, , names]) => n + names.length, 0));
    for (const op of operations) expect(op.apiVersion, `${op.packageName} ${op.group}.${op.name}`).toMatch(/^\d{4}-\d{2}-\d{2}(-preview)?$/);
  });

  it('routes every in-scope SDK operation with the api-version the SDK sends', () => {
    const failures: string[] = [];
    for (const op of operations) {
      for (const path of concretePaths(op.template)) {
        const problem = routingProblem(router, op, path);
        if (problem) failures.push(`${op.packageName} ${op.group}.${op.name}: ${op.method} ${path}?api-version=${op.apiVersion} → ${problem}`);
      }
    }
    const routed = operations.filter((op) => concretePaths(op.template).every((p) => !routingProblem(router, op, p))).length;
    process.stdout.write(`[sdk-routes] SDK operations routed: ${routed}/${operations.length}\n`);
    expect(failures).toEqual([]);
  });

  it('does not route what Azure does not serve', () => {
    const op: SdkOperation = { packageName: 'none', group: 'none', name: 'none', method: 'GET', template: '', apiVersion: '2025-09-01' };
    expect(routingProblem(router, op, `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accountz/x`)).toBe('no route');
    expect(routingProblem(router, { ...op, apiVersion: '1999-01-01' }, `/subscriptions/${SUB}/resourcegroups/rg`)).toMatch(/not accepted/);
  });
});
