/**
 * The guide's prerequisite "an Azure virtual network in the same region": when there is none, the
 * wizard offers to create it (interactive) or --create-vnet does (scripts), with address defaults
 * that overlap nothing, and the run converges.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { NetworkManagementClient } from '@azure/arm-network';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { demoScenario } from '../../packages/arm-emulator/src/index.js';
import { runCli, DEMO_TARGETS } from '../support/cli.js';
import { TestHost } from '../support/test-host.js';

let emu: TestEmulator;
afterEach(async () => emu.stop());

/** The demo without its VNet, plus one in another region that takes 10.0.0.0/16. */
function withoutVnetInRegion() {
  const s = demoScenario();
  const demoVnet = s.resources.find((r) => r.type === 'Microsoft.Network/virtualNetworks')!;
  s.resources = s.resources.filter((r) => r !== demoVnet);
  const westId = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/rg-west/providers/Microsoft.Network/virtualNetworks/vnet-west`;
  s.resources.push({
    id: westId,
    name: 'vnet-west',
    type: 'Microsoft.Network/virtualNetworks',
    location: 'westus',
    properties: { provisioningState: 'Succeeded', addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [] },
  });
  return s;
}

const { vnet: _v, subnet: _s, ...NO_NETWORK } = DEMO_TARGETS;
const writesOf = async () => (await emu.armRequests()).filter((r) => r.method !== 'GET');
const network = () => new NetworkManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);

describe('no virtual network in the region', () => {
  it('interactive: offers to create one with non-overlapping defaults before the guide choices, and the run converges', async () => {
    emu = await startTestEmulator({ scenario: withoutVnetInRegion() });
    const host = new TestHost(true, { resourceGroup: DEMO.resourceGroup, createVnet: true, 'confirm-shared': true, 'confirm-permanent': true, 'confirm-lockout': true, apply: true });
    const run = await runCli(emu, 'setup', {}, { host });
    expect(run.code, run.err).toBe(0);
    const ids = host.asked.map((a) => a.id);
    expect(ids.slice(0, 7)).toEqual(['resourceGroup', 'location', 'createVnet', 'vnetName', 'vnetAddressPrefix', 'subnetName', 'subnetAddressPrefix']);
    const asked = (id: string) => host.asked.find((a) => a.id === id)!;
    expect(asked('location').default).toBe('eastus');
    expect(asked('location').choices).toEqual(['eastus', 'westus']);
    expect(asked('vnetAddressPrefix').default).toBe('10.1.0.0/16');
    expect(asked('subnetAddressPrefix').default).toBe('10.1.0.0/24');
    expect(ids.indexOf('subnetAddressPrefix')).toBeLessThan(ids.indexOf('allowStudio'));
    expect(run.err).toMatch(/\+ virtualNetworks\/vnet-docintel {2}virtualNetwork: location=eastus addressPrefixes=10\.1\.0\.0\/16/);

    const subnet = await network().subnets.get(DEMO.resourceGroup, 'vnet-docintel', 'snet-pe');
    expect(subnet.addressPrefix).toBe('10.1.0.0/24');
    expect(subnet.privateEndpointNetworkPolicies).toBe('Enabled');
    expect(subnet.privateEndpoints).toHaveLength(2);
    expect(run.out).toMatch(/All checks passed|passed/);
  });

  it('declining the offer stops with exit 2 and writes nothing', async () => {
    emu = await startTestEmulator({ scenario: withoutVnetInRegion() });
    await emu.clearLog();
    const run = await runCli(emu, 'setup', {}, { host: new TestHost(true, { resourceGroup: DEMO.resourceGroup, createVnet: false }) });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--create-vnet/);
    expect(await writesOf()).toEqual([]);
  });

  it('scripts: --create-vnet creates the VNet and subnet once; the same command again makes 0 writes', async () => {
    emu = await startTestEmulator({ scenario: withoutVnetInRegion() });
    const flags = { ...NO_NETWORK, createVnet: 'vnet-new', yes: true };
    const run = await runCli(emu, 'setup', flags);
    expect(run.code, run.err).toBe(0);
    const vnet = await network().virtualNetworks.get(DEMO.resourceGroup, 'vnet-new');
    expect(vnet.addressSpace?.addressPrefixes).toEqual(['10.1.0.0/16']);
    expect(vnet.subnets?.map((s) => [s.name, s.addressPrefix, s.privateEndpointNetworkPolicies])).toEqual([['snet-pe', '10.1.0.0/24', 'Enabled']]);
    await emu.clearLog();
    const again = await runCli(emu, 'setup', flags);
    expect(again.code, again.err).toBe(0);
    expect(await writesOf()).toEqual([]);
  });

  it('scripts: an address space that overlaps an existing one is refused with exit 2 before any write', async () => {
    emu = await startTestEmulator({ scenario: withoutVnetInRegion() });
    await emu.clearLog();
    const run = await runCli(emu, 'setup', { ...NO_NETWORK, createVnet: 'vnet-new', vnetAddressPrefix: '10.0.128.0/17', yes: true });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/overlaps an existing address space \(10\.0\.0\.0\/16\)/);
    expect(await writesOf()).toEqual([]);
  });

  it('a VNet without a subnet gets one added, in a free range of its space', async () => {
    emu = await startTestEmulator();
    await network().subnets.beginDeleteAndWait(DEMO.resourceGroup, DEMO.vnet, DEMO.subnet);
    const host = new TestHost(true, { createSubnet: true, 'confirm-shared': true, 'confirm-permanent': true, 'confirm-lockout': true, apply: true });
    const run = await runCli(emu, 'private-endpoint', { ...NO_NETWORK, vnet: DEMO.vnet, allowStudio: false, skipDns: false, customSubdomain: 'docintel-demo', disablePublicAccess: false, allowIp: [] }, { host });
    expect(run.code, run.err).toBe(0);
    expect(host.asked.find((a) => a.id === 'subnetAddressPrefix')!.default).toBe('10.10.0.0/24');
    const subnet = await network().subnets.get(DEMO.resourceGroup, DEMO.vnet, 'snet-pe');
    expect(subnet.privateEndpoints).toHaveLength(2);
  });
});
