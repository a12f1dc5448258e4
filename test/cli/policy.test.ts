/**
 * `secure-docintel policy` against the emulator: it assigns the guide's initiative of built-in
 * definitions, gives the assignment's identity exactly the roles the definitions name, remediates
 * (Modify: public network access disabled, where the user chose it) and reports compliance; a
 * second run writes nothing; with --effect deny a non-compliant write is refused with Azure's error.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { RestError } from '@azure/core-rest-pipeline';
import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import { runCli, DEMO, IDS } from '../support/cli.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { TestHost } from '../support/test-host.js';

const SUB = `/subscriptions/${DEMO.subscriptionId}`;
const ASSIGNMENT = `${SUB}/providers/Microsoft.Authorization/policyAssignments/secure-docintel`;
const INITIATIVE = `${SUB}/providers/Microsoft.Authorization/policySetDefinitions/secure-docintel-posture`;
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(async () => {
  await emu.control('POST', 'reset');
});

const env = { SECURE_DOCINTEL_RETRY_DELAY_MS: '10', SECURE_DOCINTEL_REMEDIATION_WAIT_SECONDS: '5' };
const policy = (options: Record<string, unknown>) => runCli(emu, 'policy', { subscription: DEMO.subscriptionId, yes: true, ...options }, { env });

async function state(): Promise<{ resources: any[]; principals: any[] }> {
  return emu.control('GET', 'state');
}
const byId = (s: { resources: any[] }, id: string) => s.resources.find((r) => r.id.toLowerCase() === id.toLowerCase());
/** ARM writes in the request log (the read-only Policy Insights POSTs are reads). */
async function writes() {
  return (await emu.armRequests()).filter((r) => r.method !== 'GET' && !/\/(queryResults|summarize|listDeployments)$/i.test(r.path));
}

describe('policy assigns, remediates and reports compliance', () => {
  it('assigns the initiative with an identity holding the Modify definition\'s role, disables public access on the existing account, and reports it compliant', async () => {
    const r = await policy({ disablePublicAccess: true, location: 'eastus', output: 'json' });
    expect(r.code, r.err).toBe(0);
    const doc = r.json();
    expect(doc.command).toBe('policy');
    expect(doc.steps.map((s: any) => [s.id, s.status])).toEqual([
      ['policy-initiative', 'applied'],
      ['policy-assignment', 'applied'],
      ['policy-roles', 'applied'],
      ['policy-remediation', 'applied'],
    ]);
    const s = await state();
    const assignment = byId(s, ASSIGNMENT);
    expect(assignment.identity.type).toBe('SystemAssigned');
    expect(assignment.location).toBe('eastus');
    expect(assignment.properties.policyDefinitionId).toBe(INITIATIVE);
    expect(assignment.properties.parameters).toEqual({ effect: { value: 'Audit' } });
    const refs = byId(s, INITIATIVE).properties.policyDefinitions.map((d: any) => d.policyDefinitionReferenceId);
    expect(refs).toEqual(['cognitive-managed-identity', 'storage-restrict-network', 'storage-trusted-services', 'ai-restrict-network', 'ai-private-link', 'storage-private-link', 'cognitive-disable-public-access']);

    // exactly the roles the definitions name: 47ba1dd7's roleDefinitionIds is Contributor, at the assignment's scope
    const grants = s.resources.filter((x) => x.type === 'Microsoft.Authorization/roleAssignments' && x.properties.principalId === assignment.identity.principalId);
    expect(grants.map((g) => [g.properties.scope, g.properties.roleDefinitionId.split('/').pop(), g.properties.principalType])).toEqual([[SUB, CONTRIBUTOR, 'ServicePrincipal']]);
    const roleChange = doc.steps[2].changes[0];
    expect(roleChange.resourceId).toBe(grants[0].id);

    expect(byId(s, IDS.account).properties.publicNetworkAccess).toBe('Disabled');
    const remediation = s.resources.find((x) => x.type === 'Microsoft.PolicyInsights/remediations');
    expect(remediation.properties).toMatchObject({ policyAssignmentId: ASSIGNMENT, policyDefinitionReferenceId: 'cognitive-disable-public-access', provisioningState: 'Succeeded', deploymentStatus: { totalDeployments: 1, successfulDeployments: 1, failedDeployments: 0 } });
    expect(doc.steps[3].changes[0].resourceId).toBe(remediation.id);

    const c = doc.compliance.policies;
    const of = (ref: string) => c.find((p: any) => p.referenceId === ref);
    expect(of('cognitive-disable-public-access')).toMatchObject({ compliant: 1, nonCompliant: 0 });
    expect(of('ai-restrict-network')).toMatchObject({ compliant: 1, nonCompliant: 0 });
    // the demo's account has no identity and its storage is open: the audit definitions say so
    expect(of('cognitive-managed-identity')).toMatchObject({ nonCompliant: 1, nonCompliantResources: [IDS.account] });
    expect(of('storage-restrict-network')).toMatchObject({ nonCompliant: 1, nonCompliantResources: [IDS.storage] });
    expect(of('storage-private-link')).toMatchObject({ nonCompliant: 1 });
  });

  it('a second run writes nothing and says every step is unchanged', async () => {
    expect((await policy({ disablePublicAccess: true, location: 'eastus' })).code).toBe(0);
    await emu.clearLog();
    const r = await policy({ disablePublicAccess: true, location: 'eastus', output: 'json' });
    expect(r.code, r.err).toBe(0);
    expect(r.json().steps.map((s: any) => s.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(r.json().armRequests.writes).toBe(0);
    expect(await writes()).toEqual([]);
    // what is non-compliant is asked once, for the remediation plan and the compliance report alike
    expect((await emu.armRequests()).filter((x) => /\/policyStates\/latest\/queryResults$/i.test(x.path))).toHaveLength(1);
  });

  it('--dry-run --detailed-exitcode plans every write, exits 4 and writes nothing', async () => {
    await emu.clearLog();
    const r = await policy({ disablePublicAccess: true, location: 'eastus', dryRun: true, detailedExitcode: true, output: 'json' });
    expect(r.code, r.err).toBe(4);
    const changes = r.json().steps.flatMap((s: any) => s.changes).filter((c: any) => c.action !== 'no-op');
    expect(changes.map((c: any) => c.resourceId.split('/providers/')[1]?.split('/').slice(0, 2).join('/'))).toEqual([
      'Microsoft.Authorization/policySetDefinitions',
      'Microsoft.Authorization/policyAssignments',
      'Microsoft.Authorization/roleAssignments',
      'Microsoft.PolicyInsights/remediations',
    ]);
    expect(await writes()).toEqual([]);
  });

  it('text output shows the plan and the compliance of each definition', async () => {
    const r = await policy({});
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('Define the initiative of built-in policies');
    expect(r.out).toMatch(/Compliance of .*secure-docintel: \d+ of \d+ resource\(s\) non-compliant/);
    expect(r.out).toMatch(/✗ storage-restrict-network \(audit\): 0 compliant, 1 non-compliant/);
    // Audit/Deny only: no identity, no roles, no remediation
    const assignment = byId(await state(), ASSIGNMENT);
    expect(assignment.identity).toBeUndefined();
  });

  it('a caller without the rights is told every missing permission with its role before anything is written', async () => {
    await emu.clearLog();
    const r = await runCli(emu, 'policy', { subscription: DEMO.subscriptionId, disablePublicAccess: true, location: 'eastus', yes: true, output: 'json' }, { env, caller: 'reader' });
    expect(r.code).toBe(1);
    expect(r.json().error.code).toBe('AuthorizationFailed');
    const message = r.json().error.message;
    for (const action of ['Microsoft.Authorization/policySetDefinitions/write', 'Microsoft.Authorization/policyAssignments/write', 'Microsoft.Authorization/roleAssignments/write', 'Microsoft.PolicyInsights/remediations/write']) {
      expect(message).toContain(`${action} on ${SUB}`);
    }
    expect(message).toContain('Resource Policy Contributor (or Owner)');
    expect(await writes()).toEqual([]);
  });

  it('a remediating initiative without --location is bad input: exit 2, nothing written', async () => {
    await emu.clearLog();
    const r = await policy({ disablePublicAccess: true });
    expect(r.code).toBe(2);
    expect(r.err).toContain('--location');
    expect(await writes()).toEqual([]);
  });
});

describe('policy, the lock-out of disabling public access', () => {
  it('without --yes a pipeline is refused with exit 2 naming the [lockout] remediation, and nothing is written', async () => {
    await emu.control('POST', 'reset');
    await emu.clearLog();
    const r = await runCli(emu, 'policy', { subscription: DEMO.subscriptionId, disablePublicAccess: true, location: 'eastus' }, { env });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\[lockout\] Remediate 'Configure Cognitive Services accounts to disable public network access/);
    expect((await emu.armRequests()).filter((e) => e.method !== 'GET' && !/queryResults|summarize/.test(e.path))).toEqual([]);
  });
});

describe('policy, interactive', () => {
  it('asks the effect, the Modify definition and the identity\'s region, shows the plan, confirms the lock-out, and applies what was answered', async () => {
    const host = new TestHost(true, { policyEffect: 'audit', policyDisablePublicAccess: true, policyLocation: 'westeurope', 'confirm-lockout-remediation[cognitive-disable-public-access]': true, apply: true });
    const r = await runCli(emu, 'policy', { subscription: DEMO.subscriptionId }, { host, env });
    expect(r.code, r.err).toBe(0);
    // turning public access off on every account in scope is a lock-out, asked on its own
    expect(host.asked.map((a) => a.id)).toEqual(['policyEffect', 'policyDisablePublicAccess', 'policyLocation', 'confirm-lockout-remediation[cognitive-disable-public-access]', 'apply']);
    const assignment = byId(await state(), ASSIGNMENT);
    expect([assignment.properties.parameters.effect.value, assignment.location]).toEqual(['Audit', 'westeurope']);
    expect(byId(await state(), IDS.account).properties.publicNetworkAccess).toBe('Disabled');
  });
});

describe('policy --effect deny with remediation', () => {
  it('a remediation that another Deny member refuses fails the run naming it and what to do; with --effect audit it remediates', async () => {
    const first = await policy({ effect: 'deny', disablePublicAccess: true, location: 'eastus', output: 'json' });
    expect(first.code).toBe(1);
    expect(first.json().error.code).toBe('RemediationFailed');
    // the Deny member that refused it: the account has no managed identity (guide step 1)
    expect(first.json().error.message).toMatch(/RequestDisallowedByPolicy .*fe3fd216-4f83-4fc1-8984-2bbec80a3418/);
    expect(first.json().error.fix).toContain('--effect audit');
    expect(byId(await state(), IDS.account).properties.publicNetworkAccess).toBe('Enabled');

    const again = await policy({ effect: 'audit', disablePublicAccess: true, location: 'eastus', output: 'json' });
    expect(again.code, again.err).toBe(0);
    expect(again.json().steps.map((s: any) => s.status)).toEqual(['unchanged', 'applied', 'unchanged', 'applied']);
    expect(byId(await state(), IDS.account).properties.publicNetworkAccess).toBe('Disabled');
  });
});

describe('policy --management-group', () => {
  it('defines and assigns the initiative at the group and reads the compliance of the subscriptions below it', async () => {
    const group = '/providers/Microsoft.Management/managementGroups/mg-platform';
    // the group, with the demo subscription below it, and the demo owner as Owner there
    const contributor = `${group}/providers/Microsoft.Authorization/roleAssignments/7c1e5b0a-2d3f-4e5a-8b6c-9d0e1f2a3b4c`;
    await emu.control('PUT', 'state', {
      resources: [
        { id: group, type: 'Microsoft.Management/managementGroups', name: 'mg-platform', properties: { displayName: 'Platform', children: [{ id: SUB, type: '/subscriptions', name: DEMO.subscriptionId }] } },
        { id: contributor, type: 'Microsoft.Authorization/roleAssignments', name: contributor.split('/').pop(), properties: { scope: group, principalId: DEMO.owner.objectId, principalType: 'ServicePrincipal', roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635' } },
      ],
    });
    const r = await runCli(emu, 'policy', { managementGroup: 'mg-platform', yes: true, output: 'json' }, { env });
    expect(r.code, r.err).toBe(0);
    const doc = r.json();
    expect(doc.scope).toBe(group);
    expect(doc.steps.filter((s: any) => s.status === 'applied').flatMap((s: any) => s.changes.map((c: any) => c.resourceId))).toEqual([
      `${group}/providers/Microsoft.Authorization/policySetDefinitions/secure-docintel-posture`,
      `${group}/providers/Microsoft.Authorization/policyAssignments/secure-docintel`,
    ]);
    const identity = doc.compliance.policies.find((p: any) => p.referenceId === 'cognitive-managed-identity');
    expect(identity.nonCompliantResources).toEqual([IDS.account]);
  });

  it('refuses a group name that cannot be one, before anything is read or written', async () => {
    const r = await runCli(emu, 'policy', { managementGroup: 'mg/../x', yes: true }, { env });
    expect(r.code).toBe(2);
    expect(r.err).toContain('--management-group');
  });
});

describe('policy --effect deny', () => {
  it('makes Azure refuse a new account open to the internet with RequestDisallowedByPolicy, and admit a compliant one', async () => {
    expect((await policy({ effect: 'deny' })).code).toBe(0);
    const cog = new CognitiveServicesManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    const open = { location: 'eastus', kind: 'FormRecognizer', sku: { name: 'S0' }, identity: { type: 'SystemAssigned' as const }, properties: { customSubDomainName: 'di-open-1' } };
    const err = await cog.accounts.beginCreateAndWait(DEMO.resourceGroup, 'di-open', open).catch((e) => e);
    expect(err).toBeInstanceOf(RestError);
    expect(err.statusCode).toBe(403);
    expect(err.code).toBe('RequestDisallowedByPolicy');
    const body = JSON.parse(err.response.bodyAsText);
    expect(body.error.target).toBe('di-open');
    expect(body.error.message).toMatch(/^Resource 'di-open' was disallowed by policy\. Policy identifiers: '\[.*"policyAssignment":\{"name":"secure-docintel"/);
    expect(body.error.additionalInfo.map((i: any) => [i.type, i.info.policyDefinitionReferenceId, i.info.policyDefinitionEffect])).toEqual([['PolicyViolation', 'ai-restrict-network', 'deny']]);

    const closed = { ...open, properties: { customSubDomainName: 'di-closed-1', publicNetworkAccess: 'Disabled' } };
    const made = await cog.accounts.beginCreateAndWait(DEMO.resourceGroup, 'di-closed', closed);
    expect(made.properties?.publicNetworkAccess).toBe('Disabled');
  });
});
