/**
 * Conformance with the Azure CLI: the guide's `az` commands, run by the real CLI against the
 * emulator, succeed and print what Azure would. Skipped locally when `az` is missing; required in CI.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { AzureCli, azureCliFor, EMULATOR_CLOUD } from '../support/azure-cli.js';

const az = azureCliFor('Azure CLI conformance');

const RG = DEMO.resourceGroup;
const SUB = `/subscriptions/${DEMO.subscriptionId}`;
const ACCOUNT_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}`;
const STORAGE_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;
const ZONE = 'privatelink.cognitiveservices.azure.com';
const PE = 'pe-docintel';

describe.skipIf(!az)('Azure CLI conformance', { timeout: 60_000 }, () => {
  let emu: TestEmulator;
  let owner: AzureCli;
  /** api-versions az sent, per command, for the report and for spotting unaccepted versions */
  const sent = new Map<string, Set<string>>();

  async function azOk(args: string[]): Promise<any> {
    await emu.clearLog();
    const result = await owner.run(args);
    const requests = await emu.armRequests();
    sent.set(args.slice(0, 3).join(' '), new Set(requests.map((r) => `${r.method} ${r.apiVersion} ${r.status}`)));
    expect(result.exitCode, `az ${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result.json;
  }

  beforeAll(async () => {
    emu = await startTestEmulator();
    owner = new AzureCli(az!, emu);
    await owner.login(DEMO.tenantId, DEMO.owner.clientId, DEMO.owner.secret);
  }, 60_000);

  afterAll(async () => {
    owner?.dispose();
    await emu?.stop();
    for (const [cmd, versions] of sent) console.info(`az ${cmd}: ${[...versions].join(', ')}`);
  });

  it('logs in as the demo service principal and shows its subscription', async () => {
    const account = await azOk(['account', 'show']);
    expect(account).toMatchObject({
      environmentName: EMULATOR_CLOUD,
      id: DEMO.subscriptionId,
      name: DEMO.subscriptionName,
      tenantId: DEMO.tenantId,
      user: { name: DEMO.owner.clientId, type: 'servicePrincipal' },
    });
    const list = await azOk(['account', 'list']);
    expect(list.map((s: { id: string }) => s.id)).toEqual([DEMO.subscriptionId]);
  });

  it('az cognitiveservices account show', async () => {
    const account = await azOk(['cognitiveservices', 'account', 'show', '-g', RG, '-n', DEMO.account]);
    expect(account).toMatchObject({ id: ACCOUNT_ID, kind: 'FormRecognizer', sku: { name: 'S0' } });
    expect(account.properties.publicNetworkAccess).toBe('Enabled');
  });

  let principalId: string;
  it('az cognitiveservices account identity assign', async () => {
    const identity = await azOk(['cognitiveservices', 'account', 'identity', 'assign', '-g', RG, '-n', DEMO.account]);
    expect(identity).toMatchObject({ type: 'SystemAssigned', tenantId: DEMO.tenantId });
    expect(identity.principalId).toMatch(/^[0-9a-f-]{36}$/);
    principalId = identity.principalId;
  });

  it('az storage account update --default-action Deny --bypass AzureServices', async () => {
    const account = await azOk(['storage', 'account', 'update', '-g', RG, '-n', DEMO.storage, '--default-action', 'Deny', '--bypass', 'AzureServices']);
    expect(account.networkRuleSet).toMatchObject({ defaultAction: 'Deny', bypass: 'AzureServices' });
  });

  it('az role assignment create --role "Storage Blob Data Reader" for the account identity', async () => {
    const assignment = await azOk([
      'role', 'assignment', 'create',
      '--assignee-object-id', principalId,
      '--assignee-principal-type', 'ServicePrincipal',
      '--role', 'Storage Blob Data Reader',
      '--scope', STORAGE_ID,
    ]);
    expect(assignment).toMatchObject({
      principalId,
      principalType: 'ServicePrincipal',
      scope: STORAGE_ID,
      roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1`,
      type: 'Microsoft.Authorization/roleAssignments',
    });
  });

  it('az cognitiveservices account update --custom-domain', async () => {
    const account = await azOk(['cognitiveservices', 'account', 'update', '-g', RG, '-n', DEMO.account, '--custom-domain', DEMO.account]);
    expect(account.properties.customSubDomainName).toBe(DEMO.account);
    expect(account.properties.endpoint).toBe(`https://${DEMO.account}.cognitiveservices.azure.com/`);
  });

  it('az network private-endpoint create --group-id account', async () => {
    const pe = await azOk([
      'network', 'private-endpoint', 'create', '-g', RG, '-n', PE,
      '--vnet-name', DEMO.vnet, '--subnet', DEMO.subnet,
      '--private-connection-resource-id', ACCOUNT_ID,
      '--group-id', 'account', '--connection-name', 'docintel-connection', '-l', DEMO.location,
    ]);
    expect(pe.provisioningState).toBe('Succeeded');
    expect(pe.privateLinkServiceConnections[0]).toMatchObject({
      name: 'docintel-connection',
      privateLinkServiceId: ACCOUNT_ID,
      groupIds: ['account'],
      privateLinkServiceConnectionState: { status: 'Approved' },
    });
    expect(pe.networkInterfaces).toHaveLength(1);
  });

  it('az network private-dns zone create', async () => {
    const zone = await azOk(['network', 'private-dns', 'zone', 'create', '-g', RG, '-n', ZONE]);
    expect(zone).toMatchObject({ name: ZONE, location: 'global', provisioningState: 'Succeeded' });
  });

  it('az network private-dns link vnet create --registration-enabled false', async () => {
    const link = await azOk(['network', 'private-dns', 'link', 'vnet', 'create', '-g', RG, '-z', ZONE, '-n', 'docintel-link', '-v', DEMO.vnet, '--registration-enabled', 'false']);
    expect(link).toMatchObject({ name: 'docintel-link', registrationEnabled: false, virtualNetworkLinkState: 'Completed', provisioningState: 'Succeeded' });
  });

  it('az network private-endpoint dns-zone-group create', async () => {
    const group = await azOk([
      'network', 'private-endpoint', 'dns-zone-group', 'create', '-g', RG,
      '--endpoint-name', PE, '-n', 'default', '--private-dns-zone', ZONE, '--zone-name', 'cognitiveservices',
    ]);
    expect(group.privateDnsZoneConfigs[0].recordSets[0]).toMatchObject({ recordType: 'A', fqdn: `${DEMO.account}.${ZONE}` });
  });

  it('fails the Reader caller\'s write with AuthorizationFailed', async () => {
    const reader = new AzureCli(az!, emu);
    try {
      await reader.login(DEMO.tenantId, DEMO.reader.clientId, DEMO.reader.secret);
      const result = await reader.run(['storage', 'account', 'update', '-g', RG, '-n', DEMO.storage, '--default-action', 'Allow']);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain('AuthorizationFailed');
      expect(result.stderr).toContain(`does not have authorization to perform action 'Microsoft.Storage/storageAccounts/write'`);
    } finally {
      reader.dispose();
    }
  });
});
