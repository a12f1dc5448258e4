/**
 * The guide's "Enable network policies for all private endpoints in this subnet": setup enables
 * them (keeping everything else on the subnet), --keep-subnet-policies leaves the subnet alone,
 * and validate warns when they are not enabled.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { NetworkManagementClient } from '@azure/arm-network';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { runCli, DEMO_TARGETS } from '../support/cli.js';
import { TestHost } from '../support/test-host.js';

// One emulator for the file, back to the demo state (no faults, an empty request log) before each test.
let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());
beforeEach(async () => {
  await emu.control('POST', 'reset');
});

const network = () => new NetworkManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
const readSubnet = () => network().subnets.get(DEMO.resourceGroup, DEMO.vnet, DEMO.subnet);
const subnetWrites = async () => (await emu.armRequests()).filter((r) => r.method !== 'GET' && /\/virtualNetworks\//i.test(r.path));
const policyCheck = (run: { json(): any }) => run.json().checks.find((c: { id: string }) => c.id === 'network.subnet-policies');

describe('subnet network policies for private endpoints', () => {
  it('after setup the subnet has privateEndpointNetworkPolicies Enabled, everything else on it kept, and validate passes the check', async () => {
    await network().subnets.beginCreateOrUpdateAndWait(DEMO.resourceGroup, DEMO.vnet, DEMO.subnet, {
      addressPrefix: DEMO.subnetPrefix,
      serviceEndpoints: [{ service: 'Microsoft.Storage', locations: [DEMO.location] }],
    });
    expect((await readSubnet()).privateEndpointNetworkPolicies).toBe('Disabled');
    const run = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true });
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/privateEndpointNetworkPolicies: Disabled → Enabled {2}\[shared\]/);
    const subnet = await readSubnet();
    expect(subnet.privateEndpointNetworkPolicies).toBe('Enabled');
    expect(subnet.addressPrefix).toBe(DEMO.subnetPrefix);
    expect(subnet.serviceEndpoints?.map((s) => s.service)).toEqual(['Microsoft.Storage']);
    expect(subnet.privateEndpoints).toHaveLength(2);

    const validate = await runCli(emu, 'validate', { ...DEMO_TARGETS, output: 'json' });
    expect(policyCheck(validate).status).toBe('pass');
  });

  it('validate warns when they are Disabled, with the fix, and still exits by the other checks only', async () => {
    await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, keepSubnetPolicies: true });
    const validate = await runCli(emu, 'validate', { ...DEMO_TARGETS, output: 'json' });
    expect(validate.code).toBe(0);
    const check = policyCheck(validate);
    expect(check.status).toBe('warn');
    expect(check.message).toMatch(/privateEndpointNetworkPolicies Disabled/);
    expect(check.fix).toMatch(/^secure-docintel private-endpoint .*--subnet snet-pe/);
  });

  it('--keep-subnet-policies writes nothing to the subnet', async () => {
    await emu.clearLog();
    const run = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, keepSubnetPolicies: true });
    expect(run.code, run.err).toBe(0);
    expect(await subnetWrites()).toEqual([]);
    expect((await readSubnet()).privateEndpointNetworkPolicies).toBe('Disabled');
  });

  it('is a confirmation of its own: asked interactively, and refused in scripts without --yes', async () => {
    const host = new TestHost(true, { 'confirm-permanent': true, 'confirm-lockout': true, 'confirm-shared': false });
    await emu.clearLog();
    const declined = await runCli(emu, 'setup', DEMO_TARGETS, { host });
    expect(declined.code).toBe(3);
    expect(host.asked.map((a) => a.id)).toContain('confirm-shared-privateEndpointNetworkPolicies');
    expect(host.asked.find((a) => a.id === 'confirm-shared-privateEndpointNetworkPolicies')!.message).toMatch(/every private endpoint in it/);
    expect(await subnetWrites()).toEqual([]);

    const script = await runCli(emu, 'private-endpoint', DEMO_TARGETS);
    expect(script.code).toBe(2);
    expect(script.err).toMatch(/\[shared\] Enable network policies/);
  });
});
