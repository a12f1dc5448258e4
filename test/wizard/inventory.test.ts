/**
 * `setup --inventory` in the order a user can trust: every account's preflight (its permissions, all
 * missing ones at once) before the one confirmation, the plan naming what will change and what is
 * refused, and nothing written before the answer.
 */
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { runCli } from '../support/cli.js';
import { TestHost } from '../support/test-host.js';
import { fleetScenario, inventoryJson } from '../support/fleet-scenario.js';

// Two accounts in one subscription; the caller is only Reader of the second's resource group.
const fleet = fleetScenario({ subscriptions: 1, accountsPerSubscription: 2 });
const [allowed, denied] = fleet.accounts;
const sub = allowed.subscriptionId;
fleet.scenario.roleAssignments = fleet.scenario.roleAssignments!.filter((r) => r.scope !== `/subscriptions/${sub}` || r.principalId !== DEMO.owner.objectId);
for (const a of fleet.accounts) {
  fleet.scenario.roleAssignments.push({ scope: `/subscriptions/${sub}/resourceGroups/${a.resourceGroup}`, principalId: DEMO.owner.objectId, roleName: a === denied ? 'Reader' : 'Owner' });
}
const inventory = join(mkdtempSync(join(tmpdir(), 'sd-inventory-order-')), 'two.json');
writeFileSync(inventory, inventoryJson(fleet.accounts));

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator({ scenario: fleet.scenario });
});
afterAll(async () => emu.stop());

const isWrite = (r: { method: string }) => r.method !== 'GET' && r.method !== 'HEAD';
const isPermissionRead = (r: { method: string; path: string }) => r.method === 'GET' && /\/providers\/Microsoft\.Authorization\/permissions$/i.test(r.path);

describe('setup --inventory asks once, after every account\'s preflight', () => {
  it('the plan shown at the prompt names the refused account with each missing permission; the prompt counts only the others; declining writes nothing', async () => {
    await emu.control('POST', 'reset');
    await emu.clearLog();
    let shown = '';
    let requestsAtPrompt: { method: string; path: string }[] = [];
    const host = new TestHost(true, {
      apply: async () => {
        shown = host.err;
        requestsAtPrompt = await emu.armRequests();
        return false;
      },
    });
    const run = await runCli(emu, 'setup', { inventory, output: 'json' }, { host });

    expect(run.code).toBe(3);
    expect(host.asked.map((a) => a.id)).toEqual(['apply']);
    expect(host.asked[0].message).toMatch(/ to 1 account\(s\)/);
    expect(shown).toMatch(/Plan: \d+ change\(s\) on 1 of 2 account\(s\); 1 refused by the preflight/);
    expect(shown).toMatch(new RegExp(`✗ ${denied.name}: refused, nothing will be written: AuthorizationFailed`));
    // every missing permission at once, each with the role that grants it
    const missing = shown.split('\n').filter((l) => /^\s+- Microsoft\.\S+ on .*: granted by /.test(l));
    expect(missing.length).toBeGreaterThan(1);
    expect(missing.every((l) => l.includes(`/resourceGroups/${denied.resourceGroup}`))).toBe(true);
    // both accounts' permissions were read before the question, and nothing was written then or after
    const permissionScopes = requestsAtPrompt.filter(isPermissionRead).map((r) => r.path.toLowerCase());
    for (const a of fleet.accounts) expect(permissionScopes.some((p) => p.includes(`/resourcegroups/${a.resourceGroup.toLowerCase()}/`)), a.name).toBe(true);
    expect((await emu.armRequests()).filter(isWrite)).toEqual([]);
  });

  it('with --yes the refused account is reported and never written, the other converges', async () => {
    await emu.control('POST', 'reset');
    await emu.clearLog();
    const run = await runCli(emu, 'setup', { inventory, yes: true, output: 'json' });
    expect(run.code).toBe(1);
    const byId = new Map(run.json().accounts.map((a: { id: string }) => [a.id, a]));
    expect(byId.get(denied.id)).toMatchObject({ status: 'failed', failedAt: 'preflight', error: { code: 'AuthorizationFailed' }, armRequests: { writes: 0 } });
    expect(byId.get(allowed.id)).toMatchObject({ status: 'converged' });
    expect((await emu.armRequests()).filter((r) => isWrite(r) && r.path.toLowerCase().includes(`/resourcegroups/${denied.resourceGroup.toLowerCase()}/`))).toEqual([]);
  });
});
