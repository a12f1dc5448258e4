/**
 * Undo reads whole lists: on Azure a list answers a page at a time with a `nextLink`, and what undo
 * keeps (a zone holding someone else's records or links, a set definition someone else assigned)
 * may be on any page. This emulator answers one item per page.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { NetworkManagementClient } from '@azure/arm-network';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { PolicyClient } from '@azure/arm-policy';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { runCli, DEMO_TARGETS, IDS, STATE_HOME } from '../support/cli.js';

const SUB = `/subscriptions/${DEMO.subscriptionId}`;
const INITIATIVE = `${SUB}/providers/Microsoft.Authorization/policySetDefinitions/secure-docintel-posture`;
const ZONE = 'privatelink.blob.core.windows.net';
const ZONE_ID = `${IDS.rg}/providers/Microsoft.Network/privateDnsZones/${ZONE}`;

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator({ pageSize: 1 });
});
afterAll(async () => emu.stop());

function stateHome(): NodeJS.ProcessEnv {
  return { SECURE_DOCINTEL_RETRY_DELAY_MS: '10', SECURE_DOCINTEL_REMEDIATION_WAIT_SECONDS: '5', XDG_STATE_HOME: mkdtempSync(join(STATE_HOME, 'undo-paging-')) };
}

const undo = (env: NodeJS.ProcessEnv, run: string) => runCli(emu, 'undo', { run, yes: true, output: 'json' }, { env });
const exists = async (id: string) => ((await emu.control('GET', 'state')) as { resources: { id: string }[] }).resources.some((r) => r.id.toLowerCase() === id.toLowerCase());

describe('undo reads every page of a list', () => {
  it('keeps a DNS zone the run made whose other record set and VNet link are past the first page', async () => {
    await emu.control('POST', 'reset');
    const env = stateHome();
    const r = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, allowStudio: true, output: 'json' }, { env });
    expect(r.code, r.err).toBe(0);
    const dns = new PrivateDnsManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    const net = new NetworkManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    // someone else's: a record for another app, and a link to another VNet (both listed after the run's own)
    await dns.recordSets.createOrUpdate(DEMO.resourceGroup, ZONE, 'A', 'zz-other-app', { ttl: 10, aRecords: [{ ipv4Address: '10.10.1.99' }] });
    const other = await net.virtualNetworks.beginCreateOrUpdateAndWait(DEMO.resourceGroup, 'zz-vnet-other', { location: 'eastus', addressSpace: { addressPrefixes: ['10.20.0.0/16'] } });
    await dns.virtualNetworkLinks.beginCreateOrUpdateAndWait(DEMO.resourceGroup, ZONE, 'zz-other-link', { location: 'global', virtualNetwork: { id: other.id }, registrationEnabled: false });

    const u = await undo(env, r.json().journal.id);
    expect(u.code, u.err).toBe(0);
    expect(u.json().undo.notes).toContain(`${ZONE_ID} is kept: it holds 1 record set(s) and 1 VNet link(s) the run did not make.`);
    expect(await exists(ZONE_ID)).toBe(true);
    expect(await exists(`${ZONE_ID}/A/zz-other-app`)).toBe(true);
  });

  it('keeps the set definition a policy run made when another assignment past the first page still uses it', async () => {
    await emu.control('POST', 'reset');
    const env = stateHome();
    const r = await runCli(emu, 'policy', { subscription: DEMO.subscriptionId, yes: true, location: 'eastus', output: 'json' }, { env });
    expect(r.code, r.err).toBe(0);
    const policies = new PolicyClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    // listed after the run's own assignment (and any other) by name
    const other = await policies.policyAssignments.create(SUB, 'zz-someone-else', { policyDefinitionId: INITIATIVE, parameters: { effect: { value: 'Audit' } } });

    const u = await undo(env, r.json().journal.id);
    expect(u.code, u.err).toBe(0);
    expect(u.json().undo.notes).toContain(`${INITIATIVE} is kept: it is still assigned (${other.id}); Azure refuses to delete an assigned set definition.`);
    expect(await exists(INITIATIVE)).toBe(true);
  });
});
