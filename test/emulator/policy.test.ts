/**
 * The emulator's Azure Policy and Policy Insights through the official SDK clients: built-ins served
 * read-only as vendored, assignments with an identity (the spec example's request), remediation that
 * acts as that identity (so its roles decide), DeployIfNotExists handed to Microsoft.Resources/deployments.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { PolicyClient } from '@azure/arm-policy';
import { PolicyInsightsClient } from '@azure/arm-policyinsights';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { RestError } from '@azure/core-rest-pipeline';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';

const SUB = `/subscriptions/${DEMO.subscriptionId}`;
const RG = `${SUB}/resourceGroups/${DEMO.resourceGroup}`;
const ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}`;
const BUILTINS = new URL('../../packages/arm-emulator/src/providers/policy/builtins/', import.meta.url);
const EXAMPLES = new URL('./policy-examples/', import.meta.url);
const MODIFY = '47ba1dd7-28d9-4b07-a8d5-9813bed64e0c';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';

let emu: TestEmulator;
let policy: PolicyClient;
let insights: PolicyInsightsClient;
let auth: AuthorizationManagementClient;
beforeAll(async () => {
  emu = await startTestEmulator();
  policy = new PolicyClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
  insights = new PolicyInsightsClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
  auth = new AuthorizationManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(async () => {
  await emu.control('POST', 'reset');
});

/** Paths of an object's leaves, `[]` for array items, as a set for shape comparison. */
function shape(v: unknown, at = ''): string[] {
  if (Array.isArray(v)) return v.length ? [...new Set(v.flatMap((x) => shape(x, `${at}[]`)))] : [at];
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => shape(x, `${at}.${k}`));
  return [at];
}

async function assign(definitionId: string, name: string, withIdentity = true) {
  return policy.policyAssignments.create(SUB, name, { policyDefinitionId: definitionId, ...(withIdentity ? { identity: { type: 'SystemAssigned' }, location: 'eastus' } : {}) });
}

describe('built-in definitions', () => {
  it('serves each vendored definition at /providers/Microsoft.Authorization/policyDefinitions/{guid} as its file says', async () => {
    const files = readdirSync(BUILTINS).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(10);
    for (const f of files) {
      const vendored = JSON.parse(readFileSync(new URL(f, BUILTINS), 'utf8'));
      const d = await policy.policyDefinitions.getBuiltIn(vendored.name);
      expect(d.id).toBe(vendored.id);
      expect(d.displayName).toBe(vendored.properties.displayName);
      expect(d.policyType).toBe('BuiltIn');
      expect(d.policyRule).toEqual(vendored.properties.policyRule);
    }
  });

  it('refuses writes to a built-in and answers PolicyDefinitionNotFound for an unknown one', async () => {
    const put = await fetchJson('PUT', `/providers/Microsoft.Authorization/policyDefinitions/${MODIFY}?api-version=2024-05-01`, { properties: { policyRule: { if: {}, then: {} } } });
    expect([put.status, put.body.error.code]).toEqual([405, 'MethodNotAllowed']);
    const missing = await policy.policyDefinitions.getBuiltIn('00000000-0000-0000-0000-000000000000').catch((e) => e);
    expect(missing).toBeInstanceOf(RestError);
    expect([missing.statusCode, missing.code]).toEqual([404, 'PolicyDefinitionNotFound']);
  });
});

describe('assignments', () => {
  it("answers the spec example's request with an identity that has a principal, in the example's shape", async () => {
    const example = JSON.parse(readFileSync(new URL('createPolicyAssignmentWithIdentity.json', EXAMPLES), 'utf8'));
    await policy.policyDefinitions.createOrUpdate('ResourceNaming', { policyRule: { if: { not: { field: 'name', like: "[concat(parameters('prefix'), '*', parameters('suffix'))]" } }, then: { effect: 'deny' } }, parameters: { prefix: { type: 'String' }, suffix: { type: 'String' } } });
    const body = JSON.parse(JSON.stringify(example.parameters.parameters).replaceAll('ae640e6b-ba3e-4256-9d62-2993eecfa6f2', DEMO.subscriptionId));
    const res = await fetchJson('PUT', `${SUB}/providers/Microsoft.Authorization/policyAssignments/EnforceNaming?api-version=2024-05-01`, body);
    expect(res.status).toBe(201);
    const missing = shape(example.responses['201'].body).filter((p) => !shape(res.body).includes(p) && p !== '.properties.definitionVersion');
    expect(missing).toEqual([]);
    const state = await emu.control('GET', 'state');
    expect(state.principals.some((p: any) => p.objectId === res.body.identity.principalId && p.type === 'ServicePrincipal')).toBe(true);
  });

  it('refuses an assignment missing a parameter without default (MissingPolicyParameter)', async () => {
    const e = await assign(`/providers/Microsoft.Authorization/policyDefinitions/c4bc6f10-cb41-49eb-b000-d5ab82e2a091`, 'dns').catch((x) => x);
    expect([e.statusCode, e.code]).toEqual([400, 'MissingPolicyParameter']);
    expect(e.message).toContain('privateDnsZoneId');
  });
});

describe('remediation acts as the assignment identity', () => {
  it('fails with the identity\'s AuthorizationFailed until it holds the role the definition names, then applies Modify', async () => {
    const a = await assign(`/providers/Microsoft.Authorization/policyDefinitions/${MODIFY}`, 'no-public');
    const first = await insights.remediations.createOrUpdateAtSubscription('r1', { policyAssignmentId: a.id! });
    expect(first.provisioningState).toBe('Accepted');
    const failed = await insights.remediations.getAtSubscription('r1');
    expect(failed.provisioningState).toBe('Failed');
    const deployments = [];
    for await (const d of insights.remediations.listDeploymentsAtSubscription('r1')) deployments.push(d);
    expect(deployments.map((d) => [d.remediatedResourceId, d.status, d.error?.code])).toEqual([[ACCOUNT, 'Failed', 'AuthorizationFailed']]);

    await auth.roleAssignments.create(SUB, '5d8b6b8e-1f2a-4c3b-9d4e-5f6a7b8c9d0e', { roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${CONTRIBUTOR}`, principalId: a.identity!.principalId!, principalType: 'ServicePrincipal' });
    await insights.remediations.createOrUpdateAtSubscription('r2', { policyAssignmentId: a.id! });
    const done = await insights.remediations.getAtSubscription('r2');
    expect([done.provisioningState, done.deploymentStatus?.successfulDeployments]).toEqual(['Succeeded', 1]);
    const state = await emu.control('GET', 'state');
    expect(state.resources.find((r: any) => r.id === ACCOUNT).properties.publicNetworkAccess).toBe('Disabled');
    const summary = await insights.policyStates.summarizeForSubscriptionLevelPolicyAssignment('latest', DEMO.subscriptionId, 'no-public');
    expect(summary.value?.[0].results?.nonCompliantResources).toBe(0);
  });

  it("answers the remediation spec example's request in its shape (Accepted first)", async () => {
    const example = JSON.parse(readFileSync(new URL('Remediations_CreateSubscriptionScope.json', EXAMPLES), 'utf8'));
    const a = await assign(`/providers/Microsoft.Authorization/policyDefinitions/${MODIFY}`, 'b101830944f246d8a14088c5');
    const res = await fetchJson('PUT', `${SUB}/providers/Microsoft.PolicyInsights/remediations/storageRemediation?api-version=2024-10-01`, { properties: { policyAssignmentId: a.id } });
    expect(res.status).toBe(201);
    expect(res.body.properties.provisioningState).toBe(example.responses['201'].body.properties.provisioningState);
    expect(shape(example.responses['201'].body).filter((p) => !shape(res.body).includes(p))).toEqual([]);
  });

  it('refuses to remediate an Audit definition', async () => {
    const a = await assign('/providers/Microsoft.Authorization/policyDefinitions/34c877ad-507e-4c82-993e-3452a6e0ad3c', 'audit-only');
    const e = await insights.remediations.createOrUpdateAtSubscription('r', { policyAssignmentId: a.id! }).catch((x) => x);
    expect([e.statusCode, e.code]).toEqual([400, 'InvalidCreateRemediationRequest']);
  });

  it("hands a DeployIfNotExists definition's embedded deployment to Microsoft.Resources/deployments in the resource's group", async () => {
    const subnet = `${RG}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}/subnets/${DEMO.subnet}`;
    const a = await policy.policyAssignments.create(SUB, 'pe', { policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/db630ad5-52e9-4f4d-9c44-53912fe40053', identity: { type: 'SystemAssigned' }, location: 'eastus', parameters: { privateEndpointSubnetId: { value: subnet } } });
    await insights.remediations.createOrUpdateAtSubscription('pe', { policyAssignmentId: a.id! });
    const deployments = [];
    for await (const d of insights.remediations.listDeploymentsAtSubscription('pe')) deployments.push(d);
    expect(deployments).toHaveLength(1);
    expect(deployments[0].remediatedResourceId).toBe(ACCOUNT);
    expect(deployments[0].deploymentId).toMatch(new RegExp(`^${RG}/providers/Microsoft.Resources/deployments/PolicyDeployment_[0-9a-f]{20}$`));
  });
});

async function fetchJson(method: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const token = await emu.owner.getToken('https://management.azure.com/.default');
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(`${emu.url}${path}`, { method, ca: emu.caCert, headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('management groups', () => {
  const MG = '/providers/Microsoft.Management/managementGroups/mg-platform';
  const NOWHERE = '/providers/Microsoft.Management/managementGroups/mg-nowhere';
  /** The demo owner as Owner at a group scope (placed directly: role assignments at a group are not served). */
  const ownerAt = (scope: string, name: string) => ({
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: { scope, principalId: DEMO.owner.objectId, principalType: 'ServicePrincipal', roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635' },
  });
  const placeGroup = () =>
    emu.control('PUT', 'state', {
      resources: [
        { id: MG, name: 'mg-platform', type: 'Microsoft.Management/managementGroups', properties: { displayName: 'Platform', children: [{ id: SUB, type: '/subscriptions', name: DEMO.subscriptionId }] } },
        ownerAt(MG, '7c1e5b0a-2d3f-4e5a-8b6c-9d0e1f2a3b4c'),
      ],
    });
  const codeOf = (p: Promise<unknown>) => p.then(() => 'no error', (e: RestError) => `${e.statusCode} ${e.code}`);

  it('an assignment at a group covers the resources of the subscriptions below it, in policy states at the group', async () => {
    await placeGroup();
    await policy.policyAssignments.create(MG, 'modify-at-group', { policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${MODIFY}`, identity: { type: 'SystemAssigned' }, location: 'eastus' });
    const states = [];
    for await (const s of insights.policyStates.listQueryResultsForManagementGroup('latest', 'mg-platform')) states.push(s);
    expect(states.length).toBeGreaterThan(0);
    expect(states.every((s) => s.resourceId?.toLowerCase().startsWith(`${SUB}/`.toLowerCase()))).toBe(true);
    expect(new Set(states.map((s) => s.policyAssignmentId))).toEqual(new Set([`${MG}/providers/microsoft.authorization/policyassignments/modify-at-group`.toLowerCase()]));
  });

  it('every kind of policy route under a group that does not exist answers 404 ManagementGroupNotFound', async () => {
    // a right there, so authorization lets the write through to the group check
    await emu.control('PUT', 'state', { resources: [ownerAt(NOWHERE, '5b9f0c1d-4e2a-4f6b-9c8d-7e6f5a4b3c2d')] });
    const first = <T>(it: AsyncIterable<T>) => it[Symbol.asyncIterator]().next();
    expect(await codeOf(first(policy.policyDefinitions.listByManagementGroup('mg-nowhere')))).toBe('404 ManagementGroupNotFound');
    expect(await codeOf(policy.policySetDefinitions.getAtManagementGroup('mg-nowhere', 'x'))).toBe('404 ManagementGroupNotFound');
    expect(await codeOf(policy.policyAssignments.create(NOWHERE, 'a', { policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${MODIFY}` }))).toBe('404 ManagementGroupNotFound');
    expect(await codeOf(first(insights.policyStates.listQueryResultsForManagementGroup('latest', 'mg-nowhere')))).toBe('404 ManagementGroupNotFound');
    expect(await codeOf(first(insights.remediations.listForManagementGroup('mg-nowhere')))).toBe('404 ManagementGroupNotFound');
    // the same routes answer once the group exists
    await placeGroup();
    expect(await codeOf(first(policy.policyDefinitions.listByManagementGroup('mg-platform')))).toBe('no error');
    expect(await codeOf(first(insights.remediations.listForManagementGroup('mg-platform')))).toBe('no error');
  });
});

