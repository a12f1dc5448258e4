/**
 * One scenario per broken variant of issue 4, each from a converged demo: exactly the expected check
 * fails with the expected fix, the live probes agree with the connections, and running the fix makes
 * validate pass again.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import { Cli, DEMO, IDS, check, failing, type ValidateJson } from '../support/cli.js';

const PROBE = { probe: true, probeBlob: `${DEMO.container}/${DEMO.sampleBlob}` };
const READER_GUID = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1';
const ACCOUNT_ZONE = 'privatelink.cognitiveservices.azure.com';

describe('validate: broken variants', () => {
  let cli: Cli;
  let auth: AuthorizationManagementClient;
  let dns: PrivateDnsManagementClient;
  let cog: CognitiveServicesManagementClient;

  beforeAll(async () => {
    cli = await Cli.start();
    const o = cli.emu.clientOptions;
    auth = new AuthorizationManagementClient(cli.emu.owner, DEMO.subscriptionId, o);
    dns = new PrivateDnsManagementClient(cli.emu.owner, DEMO.subscriptionId, o);
    cog = new CognitiveServicesManagementClient(cli.emu.owner, DEMO.subscriptionId, o);
  });
  afterAll(async () => {
    await cli.emu.stop();
  });
  beforeEach(async () => {
    await cli.emu.control('POST', 'reset');
    await cli.setup();
  });

  async function principalId(): Promise<string> {
    return (await cog.accounts.get(DEMO.resourceGroup, DEMO.account)).identity!.principalId!;
  }

  async function storageAssignments() {
    const pid = await principalId();
    const list = [];
    for await (const a of auth.roleAssignments.listForScope(IDS.storage, { filter: `principalId eq '${pid}'` })) list.push(a);
    return list;
  }

  async function removeStorageRoles(): Promise<void> {
    for (const a of await storageAssignments()) await auth.roleAssignments.deleteById(a.id!);
  }

  /** Validates with probes: exactly `id` fails, with a fix containing `fixPart`; returns that fix. */
  async function expectOnlyFailure(id: string, fixPart: string): Promise<string> {
    const { code, json } = await cli.validate(PROBE);
    expect(failing(json), describeFailures(json)).toEqual([id]);
    expect(code).toBe(1);
    const fix = check(json, id).fix!;
    expect(fix).toContain(fixPart);
    return fix;
  }

  async function expectPassAfter(fix: string): Promise<void> {
    await cli.runFix(fix);
    const { code, json } = await cli.validate(PROBE);
    expect(failing(json), describeFailures(json)).toEqual([]);
    expect(code).toBe(0);
  }

  function describeFailures(json: ValidateJson): string {
    return json.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`).join('\n');
  }

  function row(json: ValidateJson, from: RegExp) {
    return json.reachability.find((r) => from.test(r.from))!;
  }

  it('no identity: account.identity fails; identity then grant fixes it', async () => {
    await cli.patchState(IDS.account, (a) => {
      delete a.identity;
    });
    const fix = await expectOnlyFailure('account.identity', 'secure-docintel identity');
    expect(fix).toContain('secure-docintel grant');
    const { json } = await cli.validate();
    expect(check(json, 'storage.rbac').status).toBe('skip');
    expect(row(json, /managed identity/).ok).toBe(false);
    await expectPassAfter(fix);
  });

  it('role missing: storage.rbac fails; grant fixes it', async () => {
    await removeStorageRoles();
    const fix = await expectOnlyFailure('storage.rbac', 'secure-docintel grant');
    const { json } = await cli.validate(PROBE);
    expect(row(json, /managed identity/)).toMatchObject({ ok: false });
    expect(check(json, 'probe.identity.storage').message).toContain('ContentSourceNotAccessible');
    await expectPassAfter(fix);
  });

  it('role at the resource group scope: passes', async () => {
    await removeStorageRoles();
    await auth.roleAssignments.create(IDS.rg, '7d3c6d1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f', {
      roleDefinitionId: `/subscriptions/${DEMO.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${READER_GUID}`,
      principalId: await principalId(),
      principalType: 'ServicePrincipal',
    });
    const { code, json } = await cli.validate(PROBE);
    expect(failing(json), describeFailures(json)).toEqual([]);
    expect(code).toBe(0);
    expect(check(json, 'storage.rbac').message).toContain(`resource group ${DEMO.resourceGroup}`);
  });

  it('a custom role whose dataActions include blob read: passes (judged by dataActions, not by name)', async () => {
    await removeStorageRoles();
    const roleId = 'a1a1a1a1-b2b2-4c3c-8d4d-e5e5e5e5e5e5';
    // The emulator serves custom roles from its state (it has no PUT for role definitions yet).
    const defId = `/subscriptions/${DEMO.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
    await cli.emu.control('PUT', 'state', {
      resources: [{
        id: defId,
        name: roleId,
        type: 'Microsoft.Authorization/roleDefinitions',
        properties: {
          roleName: 'Training data reader',
          description: 'reads training blobs',
          type: 'CustomRole',
          permissions: [{ actions: [], notActions: [], dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*'], notDataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'] }],
          assignableScopes: [IDS.rg],
        },
      }],
    });
    await auth.roleAssignments.create(IDS.storage, 'b2b2b2b2-c3c3-4d4d-8e5e-f6f6f6f6f6f6', { roleDefinitionId: defId, principalId: await principalId(), principalType: 'ServicePrincipal' });
    const { code, json } = await cli.validate(PROBE);
    expect(failing(json), describeFailures(json)).toEqual([]);
    expect(code).toBe(0);
    expect(check(json, 'storage.rbac').message).toContain('Training data reader');
  });

  it('storage firewall Allow: storage.firewall fails; storage-lockdown fixes it', async () => {
    await cli.patchState(IDS.storage, (st) => {
      st.properties.networkAcls.defaultAction = 'Allow';
    });
    const fix = await expectOnlyFailure('storage.firewall', 'secure-docintel storage-lockdown');
    await expectPassAfter(fix);
  });

  it('bypass None without a resource-instance rule: storage.identity-access fails; storage-lockdown fixes it', async () => {
    await cli.patchState(IDS.storage, (st) => {
      st.properties.networkAcls.bypass = 'None';
      delete st.properties.networkAcls.resourceAccessRules;
    });
    const fix = await expectOnlyFailure('storage.identity-access', 'secure-docintel storage-lockdown');
    expect(fix).toContain('--access-rule resource-instance');
    const { json } = await cli.validate({ explain: 'ContentSourceNotAccessible' });
    expect(json.explain!.causes[0]).toMatchObject({ likelihood: 'confirmed', cause: expect.stringContaining('trusted-services') });
    await expectPassAfter(fix);
  });

  it('private endpoint Pending: account.private-endpoint fails; private-endpoint approves it', async () => {
    const state = await cli.state();
    const conn = state.resources.find((r) => r.id.toLowerCase().startsWith(`${IDS.account}/privateEndpointConnections/`.toLowerCase()));
    conn.properties.privateLinkServiceConnectionState = { status: 'Pending', description: 'Awaiting approval', actionsRequired: 'None' };
    await cli.emu.control('PUT', 'state', { resources: [conn] });
    const fix = await expectOnlyFailure('account.private-endpoint', 'secure-docintel private-endpoint');
    const { json } = await cli.validate();
    expect(row(json, /client in/)).toMatchObject({ ok: false });
    await expectPassAfter(fix);
  });

  it('zone not linked to the VNet: account.dns.link fails; private-endpoint links it', async () => {
    for await (const l of dns.virtualNetworkLinks.list(DEMO.resourceGroup, ACCOUNT_ZONE)) await dns.virtualNetworkLinks.beginDeleteAndWait(DEMO.resourceGroup, ACCOUNT_ZONE, l.name!);
    const fix = await expectOnlyFailure('account.dns.link', 'secure-docintel private-endpoint');
    const { json } = await cli.validate();
    expect(row(json, /client in/)).toMatchObject({ ok: false, reason: expect.stringContaining('not linked') });
    await expectPassAfter(fix);
  });

  it('A record pointing elsewhere: account.dns.record fails; recreating the zone group fixes it', async () => {
    await dns.recordSets.update(DEMO.resourceGroup, ACCOUNT_ZONE, 'A', DEMO.account, { aRecords: [{ ipv4Address: '10.10.1.250' }] });
    const fix = await expectOnlyFailure('account.dns.record', 'dns-zone-group delete');
    expect(fix).toContain('secure-docintel private-endpoint');
    await expectPassAfter(fix);
  });

  it('account public: account.network fails; private-endpoint restricts it', async () => {
    await cog.accounts.beginUpdateAndWait(DEMO.resourceGroup, DEMO.account, { properties: { networkAcls: { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] } } });
    const fix = await expectOnlyFailure('account.network', 'secure-docintel private-endpoint');
    const { json } = await cli.validate(PROBE);
    expect(row(json, /public client/)).toMatchObject({ ok: true });
    expect(check(json, 'probe.read.public').message).toContain('succeeded');
    await expectPassAfter(fix);
  });
});
