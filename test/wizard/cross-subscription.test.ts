/**
 * Landing zones keep training data and networks in other subscriptions: the storage account and the
 * VNet in a second subscription, named by resource id or picked from a list grouped by subscription;
 * every write goes through its own subscription, the run converges, re-runs with 0 writes, and validates.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { StorageManagementClient } from '@azure/arm-storage';
import { NetworkManagementClient } from '@azure/arm-network';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { demoScenario } from '../../packages/arm-emulator/src/index.js';
import { runCli } from '../support/cli.js';
import { TestHost } from '../support/test-host.js';

const DATA_SUB = '55555555-5555-4555-8555-555555555555';
const DATA_RG = 'rg-data';
const home = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/`;
const away = `/subscriptions/${DATA_SUB}/resourceGroups/${DATA_RG}/providers/`;
const STORAGE_ID = `${away}Microsoft.Storage/storageAccounts/${DEMO.storage}`;
const VNET_ID = `${away}Microsoft.Network/virtualNetworks/${DEMO.vnet}`;

/** The demo with its storage account and VNet moved to a data subscription where the caller is Owner too. */
function dataSubscriptionScenario() {
  const s = demoScenario();
  const moved = JSON.parse(
    JSON.stringify(s).replaceAll(`${home}Microsoft.Storage/`, `${away}Microsoft.Storage/`).replaceAll(`${home}Microsoft.Network/`, `${away}Microsoft.Network/`).replaceAll(home.toLowerCase() + 'microsoft.storage/', away.toLowerCase() + 'microsoft.storage/'),
  );
  moved.subscriptions.push({ subscriptionId: DATA_SUB, displayName: 'Data subscription', state: 'Enabled', tenantId: DEMO.tenantId });
  moved.roleAssignments.push({ scope: `/subscriptions/${DATA_SUB}`, principalId: DEMO.owner.objectId, roleName: 'Owner', principalType: 'ServicePrincipal' });
  return moved;
}

let emu: TestEmulator;
afterEach(async () => emu.stop());

const TARGETS = { subscription: DEMO.subscriptionId, resourceGroup: DEMO.resourceGroup, docintel: DEMO.account, storage: STORAGE_ID, vnet: VNET_ID, subnet: DEMO.subnet };
const writesOf = async () => (await emu.armRequests()).filter((r) => r.method !== 'GET');

describe('storage account and VNet in another subscription', () => {
  it('converges with each write in its own subscription, re-runs with 0 writes, and validates', async () => {
    emu = await startTestEmulator({ scenario: dataSubscriptionScenario() });
    await emu.clearLog();
    const run = await runCli(emu, 'setup', { ...TARGETS, yes: true, output: 'json' });
    expect(run.code, run.err).toBe(0);
    const writes = await writesOf();
    const under = (sub: string) => writes.filter((w) => w.path.toLowerCase().startsWith(`/subscriptions/${sub}`)).map((w) => w.path);
    expect(under(DATA_SUB).some((p) => /storageAccounts\/stdocinteldemo$/i.test(p))).toBe(true);
    expect(under(DATA_SUB).some((p) => /storageAccounts\/stdocinteldemo\/providers\/Microsoft.Authorization\/roleAssignments/i.test(p))).toBe(true);
    expect(under(DATA_SUB).some((p) => /subnets\/snet-pe$/i.test(p))).toBe(true);
    expect(under(DATA_SUB).some((p) => /resourceGroups\/rg-data\/providers\/Microsoft.Network\/privateEndpoints\//i.test(p))).toBe(true);
    expect(under(DEMO.subscriptionId).every((p) => /CognitiveServices/i.test(p))).toBe(true);
    expect(run.json().validation?.ok ?? true).toBe(true);

    const storage = await new StorageManagementClient(emu.owner, DATA_SUB, emu.clientOptions).storageAccounts.getProperties(DATA_RG, DEMO.storage);
    expect(storage.networkRuleSet?.defaultAction).toBe('Deny');
    expect(storage.privateEndpointConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe('Approved');
    const subnet = await new NetworkManagementClient(emu.owner, DATA_SUB, emu.clientOptions).subnets.get(DATA_RG, DEMO.vnet, DEMO.subnet);
    expect(subnet.privateEndpointNetworkPolicies).toBe('Enabled');

    await emu.clearLog();
    const again = await runCli(emu, 'setup', { ...TARGETS, yes: true });
    expect(again.code, again.err).toBe(0);
    expect(await writesOf()).toEqual([]);
    expect(again.err).toMatch(/--storage \/subscriptions\/55555555-\S+\/storageAccounts\/stdocinteldemo --vnet \/subscriptions\/55555555-\S+\/virtualNetworks\/vnet-demo/);

    const validate = await runCli(emu, 'validate', { ...TARGETS, output: 'json' });
    expect(validate.code, validate.out).toBe(0);
    expect(validate.json().checks.filter((c: { status: string }) => c.status === 'fail')).toEqual([]);
  });

  it('the interactive pickers list storage accounts and VNets of every subscription, grouped by subscription', async () => {
    const scenario = dataSubscriptionScenario();
    // A second storage account in the home subscription, so there is a choice to make.
    const extra = structuredClone(scenario.resources.find((r: { type: string }) => r.type === 'Microsoft.Storage/storageAccounts'));
    extra.id = `${home}Microsoft.Storage/storageAccounts/sthome`;
    extra.name = 'sthome';
    scenario.resources.push(extra);
    emu = await startTestEmulator({ scenario });
    const host = new TestHost(true, { subscription: DEMO.subscriptionId, storage: STORAGE_ID });
    const run = await runCli(emu, 'setup', { dryRun: true, allowStudio: false, accessRule: 'trusted-services', role: 'reader', skipDns: true, allowIp: ['203.0.113.7'], customSubdomain: 'docintel-demo', disablePublicAccess: false }, { host });
    expect(run.code, run.err).toBe(0);
    const storage = host.asked.find((a) => a.id === 'storage')!;
    expect(storage.choices).toEqual([`${home}Microsoft.Storage/storageAccounts/sthome`, STORAGE_ID]);
    expect(storage.groups).toEqual([`Demo subscription (${DEMO.subscriptionId})`, `Data subscription (${DATA_SUB})`]);
    expect(run.err).toMatch(/Virtual network for the private endpoints: Data subscription \(5{8}-.*\) \/ vnet-demo/);
  });
});
