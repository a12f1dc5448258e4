/**
 * `secure-docintel policy` with the DeployIfNotExists members against the emulator: --vnet/--subnet
 * adds "Configure Cognitive Services accounts with private endpoints" (db630ad5), and
 * --dns-zone-resource-group the zone-group definitions (c4bc6f10, 75973700); their remediation runs
 * the definitions' own templates in the emulator's deployments engine as the assignment's identity.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { runCli, DEMO } from '../support/cli.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(async () => {
  await emu.control('POST', 'reset');
  // the guide's step 2 (a private endpoint needs the account's custom subdomain), done before policy
  const cognitive = new CognitiveServicesManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
  await cognitive.accounts.beginUpdateAndWait(DEMO.resourceGroup, DEMO.account, { properties: { customSubDomainName: DEMO.account } });
});

const env = { SECURE_DOCINTEL_RETRY_DELAY_MS: '10', SECURE_DOCINTEL_REMEDIATION_WAIT_SECONDS: '5' };
const policy = (options: Record<string, unknown>) => runCli(emu, 'policy', { subscription: DEMO.subscriptionId, yes: true, location: 'eastus', output: 'json', ...options }, { env });
const state = async (): Promise<{ resources: any[] }> => emu.control('GET', 'state');

describe('policy with the DeployIfNotExists definitions', () => {
  it('--vnet/--subnet: the remediation creates the account\'s approved private endpoint, then --dns-zone-resource-group writes its zone group', async () => {
    const first = await policy({ vnet: DEMO.vnet, subnet: DEMO.subnet, resourceGroup: DEMO.resourceGroup });
    expect(first.code, first.err + first.out).toBe(0);
    let s = await state();
    const endpoints = s.resources.filter((r) => r.type === 'Microsoft.Network/privateEndpoints');
    expect(endpoints.map((e) => e.name)).toEqual([expect.stringMatching(new RegExp(`^pe-${DEMO.account}-[a-z2-7]{13}$`))]);
    expect(endpoints[0].properties.privateLinkServiceConnections[0].properties.privateLinkServiceConnectionState.status).toBe('Approved');
    const compliance = (r: typeof first, ref: string) => r.json().compliance.policies.find((p: any) => p.referenceId === ref);
    expect(compliance(first, 'cognitive-private-endpoint')).toMatchObject({ policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/db630ad5-52e9-4f4d-9c44-53912fe40053', compliant: 1, nonCompliant: 0 });

    const dns = new PrivateDnsManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    for (const zone of ['privatelink.cognitiveservices.azure.com', 'privatelink.blob.core.windows.net']) {
      await dns.privateZones.beginCreateOrUpdateAndWait(DEMO.resourceGroup, zone, { location: 'global' });
    }
    const second = await policy({ vnet: DEMO.vnet, subnet: DEMO.subnet, resourceGroup: DEMO.resourceGroup, dnsZoneResourceGroup: DEMO.resourceGroup });
    expect(second.code, second.err + second.out).toBe(0);
    s = await state();
    const groups = s.resources.filter((r) => /\/privateDnsZoneGroups\//i.test(r.id));
    expect(groups.map((g) => g.id)).toEqual([`${endpoints[0].id}/privateDnsZoneGroups/deployedByPolicy`]);
    const zoneId = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.Network/privateDnsZones/privatelink.cognitiveservices.azure.com`;
    expect(groups[0].properties.privateDnsZoneConfigs.map((c: any) => c.properties.privateDnsZoneId.toLowerCase())).toEqual([zoneId.toLowerCase()]);
    expect(compliance(second, 'cognitive-private-dns')).toMatchObject({ policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/c4bc6f10-cb41-49eb-b000-d5ab82e2a091', compliant: 1, nonCompliant: 0 });
    expect(compliance(second, 'cognitive-private-endpoint')).toMatchObject({ compliant: 1, nonCompliant: 0 });

    // converged: a third run writes nothing
    await emu.clearLog();
    const third = await policy({ vnet: DEMO.vnet, subnet: DEMO.subnet, resourceGroup: DEMO.resourceGroup, dnsZoneResourceGroup: DEMO.resourceGroup });
    expect(third.code, third.err).toBe(0);
    expect(third.json().steps.map((x: any) => x.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(third.json().armRequests.writes).toBe(0);
    // one Policy Insights query for what is non-compliant, not one per remediating member and one more for the report
    const queries = (await emu.armRequests()).filter((x) => /\/policyStates\/latest\/queryResults$/i.test(x.path));
    expect(queries).toHaveLength(1);
    expect(third.json().compliance.policies.filter((p: any) => /^(cognitive-private-endpoint|cognitive-private-dns)$/.test(p.referenceId))).toHaveLength(2);
  });
});
