/**
 * DeployIfNotExists remediation of the vendored built-ins through the emulator's deployments engine:
 * the definition's own embedded template (nested inner-scope deployment, reference(), uniqueString())
 * runs as the assignment's identity holding the roles the definition names, and compliance then
 * reads the deployed resources back.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { PolicyClient } from '@azure/arm-policy';
import { PolicyInsightsClient } from '@azure/arm-policyinsights';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { NetworkManagementClient } from '@azure/arm-network';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';

const SUB = `/subscriptions/${DEMO.subscriptionId}`;
const RG = `${SUB}/resourceGroups/${DEMO.resourceGroup}`;
const ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}`;
const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;
const SUBNET = `${RG}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}/subnets/${DEMO.subnet}`;
const DEFS = '/providers/Microsoft.Authorization/policyDefinitions';
const ROLE = (id: string) => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${id}`;

let emu: TestEmulator;
let policy: PolicyClient;
let insights: PolicyInsightsClient;
let auth: AuthorizationManagementClient;
let network: NetworkManagementClient;
let dns: PrivateDnsManagementClient;
let cognitive: CognitiveServicesManagementClient;
beforeAll(async () => {
  emu = await startTestEmulator();
  const opts = emu.clientOptions as never;
  policy = new PolicyClient(emu.owner, DEMO.subscriptionId, opts);
  insights = new PolicyInsightsClient(emu.owner, DEMO.subscriptionId, opts);
  auth = new AuthorizationManagementClient(emu.owner, DEMO.subscriptionId, opts);
  network = new NetworkManagementClient(emu.owner, DEMO.subscriptionId, opts);
  dns = new PrivateDnsManagementClient(emu.owner, DEMO.subscriptionId, opts);
  cognitive = new CognitiveServicesManagementClient(emu.owner, DEMO.subscriptionId, opts);
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(async () => {
  await emu.control('POST', 'reset');
  // a private endpoint needs the account's custom subdomain (guide step 2)
  await cognitive.accounts.beginUpdateAndWait(DEMO.resourceGroup, DEMO.account, { properties: { customSubDomainName: DEMO.account } });
});

/** Assigns a built-in with a system identity and grants that identity every role the definition names. */
async function assignWithRoles(guid: string, name: string, parameters: Record<string, { value: unknown }>) {
  const a = await policy.policyAssignments.create(SUB, name, { policyDefinitionId: `${DEFS}/${guid}`, identity: { type: 'SystemAssigned' }, location: 'eastus', parameters });
  const def = await policy.policyDefinitions.getBuiltIn(guid);
  const roles = (def.policyRule as any).then.details.roleDefinitionIds as string[];
  for (const [i, r] of roles.entries()) {
    await auth.roleAssignments.create(SUB, `0e6c1f0a-0000-4000-8000-00000000000${i}`.replace('0e6c1f0a', guid.slice(0, 8)), { roleDefinitionId: ROLE(r.split('/').pop()!), principalId: a.identity!.principalId!, principalType: 'ServicePrincipal' });
  }
  return a;
}

const COGNITIVE_SERVICES_CONTRIBUTOR = '25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68';

async function remediate(assignment: string, name: string) {
  await insights.remediations.createOrUpdateAtSubscription(name, { policyAssignmentId: assignment });
  const task = await insights.remediations.getAtSubscription(name);
  const deployments = [];
  for await (const d of insights.remediations.listDeploymentsAtSubscription(name)) deployments.push(d);
  return { task, deployments };
}

async function nonCompliant(assignmentName: string): Promise<number | undefined> {
  const summary = await insights.policyStates.summarizeForSubscriptionLevelPolicyAssignment('latest', DEMO.subscriptionId, assignmentName);
  return summary.value?.[0].results?.nonCompliantResources;
}

async function zone(name: string): Promise<string> {
  const z = await dns.privateZones.beginCreateOrUpdateAndWait(DEMO.resourceGroup, name, { location: 'global' });
  return z.id!;
}

describe('DeployIfNotExists remediation', () => {
  it('db630ad5 creates an approved private endpoint for the account through a nested deployment, and the account is then compliant', async () => {
    const a = await assignWithRoles('db630ad5-52e9-4f4d-9c44-53912fe40053', 'pe', { privateEndpointSubnetId: { value: SUBNET } });
    expect(await nonCompliant('pe')).toBe(1);
    const { task, deployments } = await remediate(a.id!, 'pe');
    expect([task.provisioningState, task.deploymentStatus?.successfulDeployments], JSON.stringify(deployments)).toEqual(['Succeeded', 1]);
    expect(deployments.map((d) => [d.remediatedResourceId, d.status])).toEqual([[ACCOUNT, 'Succeeded']]);

    const endpoints = [];
    for await (const pe of network.privateEndpoints.list(DEMO.resourceGroup)) endpoints.push(pe);
    expect(endpoints).toHaveLength(1);
    const pe = endpoints[0];
    // the template's name: 'pe-' + the account name (≤ 50 chars) + '-' + uniqueString(deployment().name)
    expect(pe.name).toMatch(new RegExp(`^pe-${DEMO.account}-[a-z2-7]{13}$`));
    // its location is the subnet's virtual network's, read through reference(..., 'Full').location
    const vnet = await network.virtualNetworks.get(DEMO.resourceGroup, DEMO.vnet);
    expect(pe.location).toBe(vnet.location);
    expect(pe.subnet?.id).toBe(SUBNET);
    expect(pe.privateLinkServiceConnections?.map((c) => [c.privateLinkServiceId, c.groupIds, c.privateLinkServiceConnectionState?.status])).toEqual([[ACCOUNT, ['account'], 'Approved']]);
    // the outer and the nested deployment both ended Succeeded
    const outer = await emu.control('GET', 'state');
    const deps = outer.resources.filter((r: any) => r.type === 'Microsoft.Resources/deployments');
    expect(deps.map((d: any) => [d.name === pe.name || d.name.startsWith('PolicyDeployment_'), d.properties.provisioningState])).toEqual([[true, 'Succeeded'], [true, 'Succeeded']]);

    expect(await nonCompliant('pe')).toBe(0);
  });

  it("db630ad5's nested write is authorised as the assignment's identity: without Network Contributor the deployment fails on what the identity may not read, and nothing is created", async () => {
    const a = await policy.policyAssignments.create(SUB, 'pe-short', { policyDefinitionId: `${DEFS}/db630ad5-52e9-4f4d-9c44-53912fe40053`, identity: { type: 'SystemAssigned' }, location: 'eastus', parameters: { privateEndpointSubnetId: { value: SUBNET } } });
    await auth.roleAssignments.create(SUB, '3f1c2b7a-5d4e-4f6a-9b8c-7d6e5f4a3b2c', { roleDefinitionId: ROLE(COGNITIVE_SERVICES_CONTRIBUTOR), principalId: a.identity!.principalId!, principalType: 'ServicePrincipal' });
    const { task, deployments } = await remediate(a.id!, 'pe-short');
    expect(task.provisioningState).toBe('Failed');
    expect(deployments.map((d) => [d.status, d.error?.code])).toEqual([['Failed', 'DeploymentFailed']]);
    // reference() of the subnet's virtual network (the nested deployment's subnetLocation) is read as the identity
    const error = JSON.stringify(deployments[0].error);
    expect(error).toContain(`The client '${a.identity!.principalId!}' does not have authorization to perform action 'Microsoft.Network/virtualNetworks/read'`);
    const endpoints = [];
    for await (const pe of network.privateEndpoints.list(DEMO.resourceGroup)) endpoints.push(pe);
    expect(endpoints).toEqual([]);
  });

  it('c4bc6f10 writes the deployedByPolicy zone group on the account\'s private endpoint, with the A record, and the endpoint is then compliant', async () => {
    const zoneId = await zone('privatelink.cognitiveservices.azure.com');
    await network.privateEndpoints.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-account', {
      location: DEMO.location,
      subnet: { id: SUBNET },
      privateLinkServiceConnections: [{ name: 'pe-account', privateLinkServiceId: ACCOUNT, groupIds: ['account'] }],
    });
    const a = await assignWithRoles('c4bc6f10-cb41-49eb-b000-d5ab82e2a091', 'dns', { privateDnsZoneId: { value: zoneId } });
    expect(await nonCompliant('dns')).toBe(1);
    const { task, deployments } = await remediate(a.id!, 'dns');
    expect([task.provisioningState, deployments.map((d) => d.status)], JSON.stringify(deployments)).toEqual(['Succeeded', ['Succeeded']]);
    const group = await network.privateDnsZoneGroups.get(DEMO.resourceGroup, 'pe-account', 'deployedByPolicy');
    expect(group.privateDnsZoneConfigs?.map((c) => [c.name, c.privateDnsZoneId])).toEqual([['privatelink-cognitiveservices-azure-com', zoneId]]);
    const records = [];
    for await (const r of dns.recordSets.listByType(DEMO.resourceGroup, 'privatelink.cognitiveservices.azure.com', 'A')) records.push(r.name);
    expect(records).toEqual([DEMO.account]);
    expect(await nonCompliant('dns')).toBe(0);
  });

  it('75973700 writes the deployedByPolicy zone group on a blob private endpoint, and the endpoint is then compliant', async () => {
    const zoneId = await zone('privatelink.blob.core.windows.net');
    await network.privateEndpoints.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'pe-blob', {
      location: DEMO.location,
      subnet: { id: SUBNET },
      privateLinkServiceConnections: [{ name: 'pe-blob', privateLinkServiceId: STORAGE, groupIds: ['blob'] }],
    });
    const a = await assignWithRoles('75973700-529f-4de2-b794-fb9b6781b6b0', 'blob-dns', { privateDnsZoneId: { value: zoneId } });
    expect(await nonCompliant('blob-dns')).toBe(1);
    const { task, deployments } = await remediate(a.id!, 'blob-dns');
    expect([task.provisioningState, deployments.map((d) => d.status)], JSON.stringify(deployments)).toEqual(['Succeeded', ['Succeeded']]);
    const group = await network.privateDnsZoneGroups.get(DEMO.resourceGroup, 'pe-blob', 'deployedByPolicy');
    expect(group.privateDnsZoneConfigs?.map((c) => [c.name, c.privateDnsZoneId])).toEqual([['privateDnsZone', zoneId]]);
    const records = [];
    for await (const r of dns.recordSets.listByType(DEMO.resourceGroup, 'privatelink.blob.core.windows.net', 'A')) records.push(r.name);
    expect(records).toEqual([DEMO.storage]);
    expect(await nonCompliant('blob-dns')).toBe(0);
  });
});
