/**
 * The preflight: before the first write, every change command reads the caller's effective
 * permissions at each scope its plan writes, and checks that the places named by flags exist. A
 * caller missing rights is told every missing permission with its role in one message (exit 1); a
 * named resource group that does not exist is bad input (exit 2); either way nothing is written. A
 * caller who may not approve private endpoint connections on a target gets, with consent, a manual
 * connection left Pending and the command its owner runs to approve it.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { runCli, DEMO_TARGETS } from '../support/cli.js';
import { demoScenario, type Scenario } from '../../packages/arm-emulator/src/index.js';

const SUB = `/subscriptions/${DEMO.subscriptionId}`;
const RG = `${SUB}/resourceGroups/${DEMO.resourceGroup}`;
const HUB_RG = `${SUB}/resourceGroups/rg-hub`;
const ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}`;
const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;
const SUBNET = `${RG}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}/subnets/${DEMO.subnet}`;
const PE_WRITER = 'c0ffee00-2222-4333-8444-555566667777';
const ACCOUNT_ADMIN_NO_APPROVAL = 'c0ffee00-2222-4333-8444-555566668888';

interface Caller {
  clientId: string;
  objectId: string;
  secret: string;
  roles: { scope: string; roleName?: string; roleDefinitionId?: string }[];
}

function caller(n: number, roles: Caller['roles']): Caller {
  const hex = String(n).padStart(2, '0');
  return { clientId: `7c7c7c${hex}-0000-4000-8000-00000000000a`, objectId: `7c7c7c${hex}-0000-4000-8000-00000000000b`, secret: `secret-${hex}`, roles: [{ scope: SUB, roleName: 'Reader' }, ...roles] };
}

const CALLERS = {
  /** may create endpoints and DNS, but not join the VNet's subnet */
  noVnet: caller(1, [
    { scope: RG, roleName: 'Cognitive Services Contributor' },
    { scope: RG, roleName: 'Storage Account Contributor' },
    { scope: RG, roleName: 'Private DNS Zone Contributor' },
    { scope: RG, roleName: 'Role Based Access Control Administrator' },
    { scope: RG, roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${PE_WRITER}` },
  ]),
  /** Network Contributor in the spoke, nothing in the hub's resource group */
  noHub: caller(2, [
    { scope: RG, roleName: 'Cognitive Services Contributor' },
    { scope: RG, roleName: 'Storage Account Contributor' },
    { scope: RG, roleName: 'Network Contributor' },
    { scope: RG, roleName: 'Role Based Access Control Administrator' },
  ]),
  /** everything for the account and the network, nothing on storage (so no approval right there) */
  noApproval: caller(3, [
    { scope: RG, roleName: 'Cognitive Services Contributor' },
    { scope: RG, roleName: 'Network Contributor' },
  ]),
  /** everything, but may not approve connections on the account (so its restriction must wait for the owner) */
  noAccountApproval: caller(5, [
    { scope: RG, roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ACCOUNT_ADMIN_NO_APPROVAL}` },
    { scope: RG, roleName: 'Storage Account Contributor' },
    { scope: RG, roleName: 'Network Contributor' },
  ]),
  /** may change both accounts and the network, but not assign roles */
  noRbac: caller(4, [
    { scope: RG, roleName: 'Cognitive Services Contributor' },
    { scope: RG, roleName: 'Storage Account Contributor' },
    { scope: RG, roleName: 'Network Contributor' },
  ]),
};

function scenario(): Scenario {
  const s = demoScenario();
  s.resources.push(
    { id: HUB_RG, name: 'rg-hub', type: 'Microsoft.Resources/resourceGroups', location: DEMO.location, properties: { provisioningState: 'Succeeded' } },
    {
      id: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${PE_WRITER}`,
      name: PE_WRITER,
      type: 'Microsoft.Authorization/roleDefinitions',
      properties: {
        roleName: 'Private endpoint writer (custom)',
        type: 'CustomRole',
        assignableScopes: [SUB],
        permissions: [{ actions: ['*/read', 'Microsoft.Network/privateEndpoints/*'], notActions: [], dataActions: [], notDataActions: [] }],
      },
    },
    {
      id: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ACCOUNT_ADMIN_NO_APPROVAL}`,
      name: ACCOUNT_ADMIN_NO_APPROVAL,
      type: 'Microsoft.Authorization/roleDefinitions',
      properties: {
        roleName: 'Account admin without approval (custom)',
        type: 'CustomRole',
        assignableScopes: [SUB],
        permissions: [{ actions: ['Microsoft.CognitiveServices/*'], notActions: ['Microsoft.CognitiveServices/accounts/privateEndpointConnectionsApproval/action'], dataActions: [], notDataActions: [] }],
      },
    },
  );
  for (const c of Object.values(CALLERS)) {
    s.principals.push({ objectId: c.objectId, appId: c.clientId, displayName: `caller ${c.clientId}`, type: 'ServicePrincipal', secret: c.secret });
    for (const r of c.roles) s.roleAssignments!.push({ ...r, principalId: c.objectId, principalType: 'ServicePrincipal' });
  }
  return s;
}

const ENV = { SECURE_DOCINTEL_RETRY_DELAY_MS: '10', SECURE_DOCINTEL_REPLICATION_WAIT_SECONDS: '5' };
const yes = { ...DEMO_TARGETS, yes: true };

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator({ scenario: scenario() });
});
afterAll(async () => emu.stop());
beforeEach(async () => {
  await emu.control('POST', 'reset');
});

function as(c: Caller) {
  return { env: { ...ENV, AZURE_CLIENT_ID: c.clientId, AZURE_CLIENT_SECRET: c.secret } };
}

async function writes(): Promise<string[]> {
  return (await emu.armRequests()).filter((r) => r.method !== 'GET' && r.method !== 'HEAD').map((r) => `${r.method} ${r.path}`);
}

/** One message (one `Error:`), exit 1, each expected action named with its role, nothing written. */
async function expectRefused(command: string, c: Caller, options: Record<string, unknown>, missing: { action: string; scope: string; role: RegExp }[]): Promise<void> {
  await emu.clearLog();
  const run = await runCli(emu, command, { ...yes, ...options }, as(c));
  expect(run.code, run.err).toBe(1);
  expect(run.err.match(/^Error: /gm), run.err).toHaveLength(1);
  expect(run.err).toMatch(/Nothing was written/);
  const lines = run.err.split('\n');
  for (const m of missing) {
    const line = lines.find((l) => l.includes(m.action) && l.toLowerCase().includes(`on ${m.scope.toLowerCase()} `));
    expect(line, `${command}: ${m.action} on ${m.scope}\n${run.err}`).toBeDefined();
    expect(line).toMatch(m.role);
  }
  expect(await writes()).toEqual([]);
}

describe('no Network Contributor on the VNet', () => {
  const missing = [{ action: 'Microsoft.Network/virtualNetworks/subnets/join/action', scope: SUBNET, role: /Network Contributor/ }];
  it('private-endpoint: exit 1, the subnet join named with its role, nothing written', async () => {
    await expectRefused('private-endpoint', CALLERS.noVnet, {}, missing);
  });
  it('setup: the same, and not even the steps the caller could do are written', async () => {
    await expectRefused('setup', CALLERS.noVnet, {}, missing);
  });
  it('validate --explain LinkedAuthorizationFailed confirms the same cause from the same permission reads', async () => {
    const run = await runCli(emu, 'validate', { ...DEMO_TARGETS, output: 'json', explain: 'LinkedAuthorizationFailed' }, as(CALLERS.noVnet));
    const causes = run.json().explain.causes as { likelihood: string; cause: string }[];
    expect(causes.find((c) => c.cause.includes('subnets/join/action'))?.likelihood, run.err).toBe('confirmed');
    expect(causes.find((c) => c.cause.includes('privateDnsZones/join/action'))?.likelihood ?? 'ruled-out').toBe('ruled-out');
  });
});

describe('no Private DNS Zone Contributor on the hub', () => {
  const missing = [
    { action: 'Microsoft.Network/privateDnsZones/write', scope: HUB_RG, role: /Private DNS Zone Contributor/ },
    { action: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks/write', scope: HUB_RG, role: /Private DNS Zone Contributor/ },
    { action: 'Microsoft.Network/privateDnsZones/join/action', scope: HUB_RG, role: /Private DNS Zone Contributor/ },
  ];
  it('private-endpoint --dns-zone-resource-group rg-hub: every missing DNS permission in one message', async () => {
    await expectRefused('private-endpoint', CALLERS.noHub, { dnsZoneResourceGroup: 'rg-hub' }, missing);
  });
  it('setup --dns-zone-resource-group rg-hub: the same', async () => {
    await expectRefused('setup', CALLERS.noHub, { dnsZoneResourceGroup: 'rg-hub' }, missing);
  });
});

describe('no role-assignment write on storage', () => {
  const missing = [{ action: 'Microsoft.Authorization/roleAssignments/write', scope: STORAGE, role: /Owner, User Access Administrator or Role Based Access Control Administrator/ }];
  it('grant: exit 1 naming the roles that may assign, nothing written', async () => {
    expect((await runCli(emu, 'identity', yes, { env: ENV })).code).toBe(0);
    await expectRefused('grant', CALLERS.noRbac, {}, missing);
  });
  it('setup: the same, before the identity is turned on', async () => {
    await expectRefused('setup', CALLERS.noRbac, {}, missing);
    const state = await emu.control('GET', 'state');
    const account = state.resources.find((r: { id: string }) => r.id.toLowerCase() === ACCOUNT.toLowerCase());
    expect(account.identity?.type ?? 'None').toBe('None');
  });
});

describe('a DNS resource group that does not exist', () => {
  for (const command of ['private-endpoint', 'setup']) {
    it(`${command}: exit 2, the message names --dns-zone-resource-group and the group, nothing written`, async () => {
      await emu.clearLog();
      const run = await runCli(emu, command, { ...yes, dnsZoneResourceGroup: 'rg-missing' }, { env: ENV });
      expect(run.code, run.err).toBe(2);
      expect(run.err).toMatch(/rg-missing/);
      expect(run.err).toMatch(/--dns-zone-resource-group/);
      expect(run.err).not.toMatch(/--resource-group <|Check --resource-group/);
      expect(await writes()).toEqual([]);
    });
  }
});

describe('no approval right on a target', () => {
  it('asks for consent in a non-interactive run without --yes, writing nothing', async () => {
    await emu.clearLog();
    const run = await runCli(emu, 'private-endpoint', DEMO_TARGETS, as(CALLERS.noApproval));
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/\[approval\]/);
    expect(await writes()).toEqual([]);
  });

  it('with --yes: a manual connection left Pending, the approve command printed, and validate shows Pending with that fix', async () => {
    const run = await runCli(emu, 'private-endpoint', yes, as(CALLERS.noApproval));
    expect(run.code, run.err).toBe(0);
    const state = await emu.control('GET', 'state');
    const conn = state.resources.find((r: any) => r.type === 'Microsoft.Storage/storageAccounts/privateEndpointConnections');
    expect(conn.properties.privateLinkServiceConnectionState.status).toBe('Pending');
    const pe = state.resources.find((r: any) => r.id.toLowerCase().endsWith('/privateendpoints/pe-stdocinteldemo-blob'));
    expect(pe.properties.manualPrivateLinkServiceConnections).toHaveLength(1);
    expect(pe.properties.manualPrivateLinkServiceConnections[0].properties.requestMessage).toMatch(/secure-docintel/);
    const approve = `az network private-endpoint-connection approve --id ${conn.id}`;
    expect(run.err).toContain(approve);

    const validate = await runCli(emu, 'validate', { ...DEMO_TARGETS, output: 'json' }, as(CALLERS.noApproval));
    const check = validate.json().checks.find((c: any) => c.id === 'storage.private-endpoint');
    expect(check).toMatchObject({ status: 'fail' });
    expect(check.message).toMatch(/Pending/);
    expect(check.fix).toContain(approve);

    // The target's owner approves (a caller with the right approves a Pending connection), and validate passes.
    const owner = await runCli(emu, 'private-endpoint', yes);
    expect(owner.code, owner.err).toBe(0);
    const after = await runCli(emu, 'validate', { ...DEMO_TARGETS, output: 'json' });
    expect(after.json().checks.find((c: any) => c.id === 'storage.private-endpoint')).toMatchObject({ status: 'pass' });
  });
});

describe('no approval right on the account', () => {
  it("leaves the account's connection Pending and its network as it was (make before break), and says why and who approves", async () => {
    const before = (await emu.control('GET', 'state')).resources.find((r: any) => r.id.toLowerCase() === ACCOUNT.toLowerCase()).properties;
    const run = await runCli(emu, 'private-endpoint', yes, as(CALLERS.noAccountApproval));
    expect(run.code, run.err).toBe(0);
    const state = await emu.control('GET', 'state');
    const conn = state.resources.find((r: any) => r.type === 'Microsoft.CognitiveServices/accounts/privateEndpointConnections');
    expect(conn.properties.privateLinkServiceConnectionState.status).toBe('Pending');
    const account = state.resources.find((r: any) => r.id.toLowerCase() === ACCOUNT.toLowerCase()).properties;
    expect([account.networkAcls ?? null, account.publicNetworkAccess]).toEqual([before.networkAcls ?? null, before.publicNetworkAccess]);
    expect(account.customSubDomainName).toBe(DEMO.account);
    expect(run.err).toMatch(/The account's network restriction was NOT written: the connection of pe-docintel-demo-account to docintel-demo is Pending, not Approved/);
    expect(run.err).toContain(`az network private-endpoint-connection approve --id ${conn.id}`);
  });
});
