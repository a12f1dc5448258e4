/**
 * An Azure AI services (Foundry) account, kind AIServices — what the portal creates today — beside the demo
 * account: its private link resource advertises three zones, so its endpoint gets all three, each linked to the
 * VNet, in its one zone group, each with the A record of the host name it answers for; the run converges,
 * re-runs with 0 writes, and validates every zone. Hub zones and --dns-zone-resource-group work zone by zone.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { NetworkManagementClient } from '@azure/arm-network';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { ResourceManagementClient } from '@azure/arm-resources';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { demoScenario } from '../../packages/arm-emulator/src/index.js';
import { runCli, DEMO_TARGETS } from '../support/cli.js';
import { TestHost } from '../support/test-host.js';

const FOUNDRY = 'foundry-demo';
const RG_ID = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}`;
const VNET_ID = `${RG_ID}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}`;
const ZONES = ['privatelink.cognitiveservices.azure.com', 'privatelink.openai.azure.com', 'privatelink.services.ai.azure.com'];
const zoneIdIn = (rg: string, zone: string) => `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/privateDnsZones/${zone}`;

/** The demo scenario with an AIServices account added (the demo's own names stay as DESIGN.md fixes them). */
function foundryScenario() {
  const s = demoScenario();
  const demo = s.resources.find((r) => r.type === 'Microsoft.CognitiveServices/accounts')!;
  const foundry = structuredClone(demo) as Record<string, any>;
  foundry.id = `${RG_ID}/providers/Microsoft.CognitiveServices/accounts/${FOUNDRY}`;
  foundry.name = FOUNDRY;
  foundry.kind = 'AIServices';
  foundry.properties.endpoints = { 'Azure AI Model Inference API': `https://${DEMO.location}.api.cognitive.microsoft.com/` };
  s.resources.push(foundry as never);
  return s;
}

let emu: TestEmulator;
afterEach(async () => emu.stop());

const TARGETS = { ...DEMO_TARGETS, docintel: FOUNDRY };
const writesOf = async () => (await emu.armRequests()).filter((r) => r.method !== 'GET');

describe('an Azure AI services (AIServices) account', () => {
  it('converges with all three zones linked and in its zone group, re-runs with 0 writes, and validates every zone', async () => {
    emu = await startTestEmulator({ scenario: foundryScenario() });
    const run = await runCli(emu, 'setup', { ...TARGETS, yes: true, output: 'json' });
    expect(run.code, run.err).toBe(0);
    expect(run.json().validation.ok).toBe(true);

    const net = new NetworkManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    const pe = await net.privateEndpoints.get(DEMO.resourceGroup, `pe-${FOUNDRY}-account`);
    const ip = pe.customDnsConfigs?.[0]?.ipAddresses?.[0];
    expect(ip).toMatch(/^10\.10\.1\.\d+$/);
    const groups = [];
    for await (const g of net.privateDnsZoneGroups.list(pe.name!, DEMO.resourceGroup)) groups.push(g);
    expect(groups).toHaveLength(1);
    expect(groups[0].privateDnsZoneConfigs?.map((c) => c.privateDnsZoneId)).toEqual(ZONES.map((z) => zoneIdIn(DEMO.resourceGroup, z)));

    const dns = new PrivateDnsManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    for (const z of ZONES) {
      const links = [];
      for await (const l of dns.virtualNetworkLinks.list(DEMO.resourceGroup, z)) links.push(l.virtualNetwork?.id);
      expect(links, z).toEqual([VNET_ID]);
      const record = await dns.recordSets.get(DEMO.resourceGroup, z, 'A', FOUNDRY);
      expect(record.fqdn, z).toBe(`${FOUNDRY}.${z}.`);
      expect(record.aRecords, z).toEqual([{ ipv4Address: ip }]);
    }

    await emu.clearLog();
    const again = await runCli(emu, 'setup', { ...TARGETS, yes: true });
    expect(again.code, again.err).toBe(0);
    expect(await writesOf()).toEqual([]);

    const validate = await runCli(emu, 'validate', { ...TARGETS, output: 'json' });
    expect(validate.code, validate.out).toBe(0);
    const checks: { id: string; status: string }[] = validate.json().checks;
    const dnsChecks = checks.filter((c) => c.id.startsWith('account.dns.')).map((c) => [c.id, c.status]);
    expect(dnsChecks).toEqual([
      ['account.dns.zone', 'pass'], ['account.dns.link', 'pass'], ['account.dns.record', 'pass'],
      ['account.dns.openai.zone', 'pass'], ['account.dns.openai.link', 'pass'], ['account.dns.openai.record', 'pass'],
      ['account.dns.services-ai.zone', 'pass'], ['account.dns.services-ai.link', 'pass'], ['account.dns.services-ai.record', 'pass'],
    ]);

    // One zone's record gone: validate names that zone, and private-endpoint writes it back.
    await dns.recordSets.delete(DEMO.resourceGroup, 'privatelink.openai.azure.com', 'A', FOUNDRY);
    const broken = await runCli(emu, 'validate', { ...TARGETS, output: 'json' });
    expect(broken.code).toBe(1);
    expect(broken.json().checks.filter((c: { status: string }) => c.status === 'fail').map((c: { id: string }) => c.id)).toEqual(['account.dns.openai.record']);
    expect((await runCli(emu, 'private-endpoint', { ...TARGETS, yes: true })).code).toBe(0);
    expect((await dns.recordSets.get(DEMO.resourceGroup, 'privatelink.openai.azure.com', 'A', FOUNDRY)).aRecords).toEqual([{ ipv4Address: ip }]);
  });

  it('reads the zones it needs from the account on a re-run, and finds a zone missing from the endpoint\'s zone group', async () => {
    emu = await startTestEmulator({ scenario: foundryScenario() });
    expect((await runCli(emu, 'setup', { ...TARGETS, yes: true })).code).toBe(0);
    // An AIServices account's zones are its requiredZoneNames (the docs' list has grown before): the re-run asks, once.
    await emu.clearLog();
    expect((await runCli(emu, 'setup', { ...TARGETS, yes: true })).code).toBe(0);
    const linkReads = (await emu.armRequests()).filter((r) => /\/accounts\/[^/]+\/privateLinkResources$/i.test(r.path));
    expect(linkReads.map((r) => r.path.split('/accounts/')[1])).toEqual([`${FOUNDRY}/privateLinkResources`]);

    // The zone group loses the openai zone (written by hand, or by a tool that knows one zone): validate names it, setup puts it back.
    const net = new NetworkManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    const pe = `pe-${FOUNDRY}-account`;
    const group = await net.privateDnsZoneGroups.get(DEMO.resourceGroup, pe, 'default');
    const kept = group.privateDnsZoneConfigs!.filter((c) => !c.privateDnsZoneId!.endsWith('/privatelink.openai.azure.com'));
    expect(kept).toHaveLength(2);
    await net.privateDnsZoneGroups.beginCreateOrUpdateAndWait(DEMO.resourceGroup, pe, 'default', { privateDnsZoneConfigs: kept.map((c) => ({ name: c.name, privateDnsZoneId: c.privateDnsZoneId })) });
    const broken = await runCli(emu, 'validate', { ...TARGETS, output: 'json' });
    expect(broken.code).toBe(1);
    expect(broken.json().checks.filter((c: { status: string }) => c.status === 'fail').map((c: { id: string }) => c.id)).toEqual(['account.dns.openai.record']);

    const repair = await runCli(emu, 'setup', { ...TARGETS, yes: true, output: 'json' });
    expect(repair.code, repair.err).toBe(0);
    expect(repair.json().validation.ok).toBe(true);
    const groups = [];
    for await (const g of net.privateDnsZoneGroups.list(pe, DEMO.resourceGroup)) groups.push(g);
    expect(groups[0].privateDnsZoneConfigs?.map((c) => c.privateDnsZoneId).sort()).toEqual(ZONES.map((z) => zoneIdIn(DEMO.resourceGroup, z)).sort());
    await emu.clearLog();
    expect((await runCli(emu, 'setup', { ...TARGETS, yes: true })).code).toBe(0);
    expect(await writesOf()).toEqual([]);
  });

  it('reuses a hub zone already linked to the VNet for one of the three, and makes the other two in the named group', async () => {
    emu = await startTestEmulator({ scenario: foundryScenario() });
    const resources = new ResourceManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    await resources.resourceGroups.createOrUpdate('rg-hub', { location: DEMO.location });
    await resources.resourceGroups.createOrUpdate('rg-dns', { location: DEMO.location });
    const dns = new PrivateDnsManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    await dns.privateZones.beginCreateOrUpdateAndWait('rg-hub', 'privatelink.openai.azure.com', { location: 'global' });
    await dns.virtualNetworkLinks.beginCreateOrUpdateAndWait('rg-hub', 'privatelink.openai.azure.com', 'hub-link', { location: 'global', virtualNetwork: { id: VNET_ID }, registrationEnabled: false });

    const run = await runCli(emu, 'setup', { ...TARGETS, yes: true, dnsZoneResourceGroup: 'rg-dns', output: 'json' });
    expect(run.code, run.err).toBe(0);
    expect(run.json().validation.ok).toBe(true);
    const net = new NetworkManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    const groups = [];
    for await (const g of net.privateDnsZoneGroups.list(`pe-${FOUNDRY}-account`, DEMO.resourceGroup)) groups.push(g);
    expect(groups[0].privateDnsZoneConfigs?.map((c) => c.privateDnsZoneId)).toEqual([
      zoneIdIn('rg-dns', 'privatelink.cognitiveservices.azure.com'),
      zoneIdIn('rg-hub', 'privatelink.openai.azure.com'),
      zoneIdIn('rg-dns', 'privatelink.services.ai.azure.com'),
    ]);
    const inVnetGroup = [];
    for await (const z of dns.privateZones.listByResourceGroup(DEMO.resourceGroup)) inVnetGroup.push(z.name);
    expect(inVnetGroup).toEqual([]);
    expect((await dns.recordSets.get('rg-hub', 'privatelink.openai.azure.com', 'A', FOUNDRY)).aRecords?.length).toBe(1);

    await emu.clearLog();
    expect((await runCli(emu, 'setup', { ...TARGETS, yes: true, dnsZoneResourceGroup: 'rg-dns' })).code).toBe(0);
    expect(await writesOf()).toEqual([]);
  });

  it('is offered by the interactive account picker beside the Document Intelligence account', async () => {
    emu = await startTestEmulator({ scenario: foundryScenario() });
    const host = new TestHost(true, { docintel: FOUNDRY });
    const { docintel: _, ...rest } = DEMO_TARGETS;
    const run = await runCli(emu, 'setup', { ...rest, dryRun: true, allowStudio: false, accessRule: 'trusted-services', role: 'reader', skipDns: true, allowIp: ['203.0.113.7'], customSubdomain: FOUNDRY, disablePublicAccess: false }, { host });
    expect(run.code, run.err).toBe(0);
    expect(host.asked.find((a) => a.id === 'docintel')?.choices).toEqual([DEMO.account, FOUNDRY]);
  });
});
