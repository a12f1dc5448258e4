/**
 * What a setup re-run over a converged state costs: no write, and no resource read twice — neither the
 * same path again nor an item read beside a list that already returned it. (How many reads per
 * resource is the bench's "re-run" row: `node bench/run.mjs rerun`.)
 */
import { it, expect } from 'vitest';
import { startTestEmulator, DEMO } from '../support/emulator.js';
import { demoScenario } from '../../packages/arm-emulator/src/index.js';
import { runCli, DEMO_TARGETS } from '../support/cli.js';

const lower = (p: string) => p.toLowerCase().replace(/\/+$/, '');

/** A path's segments after the subscription; an odd count ends in a type name (a list), an even one in a name (an item). */
function isList(path: string): boolean {
  const rest = lower(path).split('/').filter(Boolean).slice(2);
  const types = rest.filter((s, i) => i % 2 === 0 && s === 'providers').length;
  // `providers/Namespace` is one segment pair too many once per provider: drop them before counting
  return (rest.length - types * 2) % 2 === 1;
}

/** The item paths a list read returns in its answer: the items directly below it, or (a subscription-wide list) any of that type. */
function listCovers(list: string, item: string): boolean {
  const l = lower(list);
  const i = lower(item);
  if (i.startsWith(`${l}/`) && !i.slice(l.length + 1).includes('/')) return true;
  const wide = /^\/subscriptions\/[^/]+\/providers\/([^/]+\/[^/]+)$/.exec(l);
  return !!wide && i.startsWith(l.split('/providers/')[0]) && new RegExp(`^/subscriptions/[^/]+/resourcegroups/[^/]+/providers/${wide[1]}/[^/]+$`).test(i);
}

it('a second setup reads no resource twice and writes nothing', async () => {
  const emu = await startTestEmulator();
  try {
    expect((await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true })).code).toBe(0);
    await emu.clearLog();
    const again = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, output: 'json' });
    expect(again.code, again.err).toBe(0);
    const log = await emu.armRequests();
    expect(log.filter((r) => r.method !== 'GET')).toEqual([]);
    const paths = log.map((r) => lower(r.path));
    expect(paths.filter((p, i) => paths.indexOf(p) !== i)).toEqual([]);
    const lists = paths.filter(isList);
    const items = paths.filter((p) => !isList(p));
    expect(items.flatMap((item) => lists.filter((list) => listCovers(list, item)).map((list) => `${item} (also in ${list})`))).toEqual([]);
    expect(again.json().armRequests).toEqual({ reads: log.length, writes: 0 });
  } finally {
    await emu.stop();
  }
});

it('the helpers above tell an item from a list, and a list from the items it returns', () => {
  const rg = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/rg`;
  expect(isList(`${rg}/providers/Microsoft.Network/privateEndpoints/pe`)).toBe(false);
  expect(isList(`${rg}/providers/Microsoft.Network/privateEndpoints/pe/privateDnsZoneGroups`)).toBe(true);
  expect(isList(`${rg}/providers/Microsoft.Storage/storageAccounts/st/providers/Microsoft.Authorization/roleAssignments`)).toBe(true);
  expect(isList(`/subscriptions/${DEMO.subscriptionId}/providers/Microsoft.Storage/storageAccounts`)).toBe(true);
  expect(listCovers(`${rg}/providers/Microsoft.Network/privateEndpoints/pe/privateDnsZoneGroups`, `${rg}/providers/Microsoft.Network/privateEndpoints/pe/privateDnsZoneGroups/default`)).toBe(true);
  expect(listCovers(`/subscriptions/${DEMO.subscriptionId}/providers/Microsoft.Storage/storageAccounts`, `${rg}/providers/Microsoft.Storage/storageAccounts/st`)).toBe(true);
  expect(listCovers(`/subscriptions/${DEMO.subscriptionId}/providers/Microsoft.Storage/storageAccounts`, `${rg}/providers/Microsoft.Network/privateEndpoints/pe`)).toBe(false);
  expect(listCovers(`${rg}/providers/Microsoft.Network/privateEndpoints/pe/privateDnsZoneGroups`, `${rg}/providers/Microsoft.Network/privateEndpoints/pe`)).toBe(false);
});

it('a storage account named with --storage in another resource group of the subscription is still found', async () => {
  // The name is read in the account's resource group first (one read), then looked up in the subscription's list.
  const s = demoScenario();
  const demo = s.resources.find((r) => r.type === 'Microsoft.Storage/storageAccounts')!;
  const dataRg = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/rg-data`;
  const other = structuredClone(demo) as Record<string, any>;
  other.id = `${dataRg}/providers/Microsoft.Storage/storageAccounts/stdataelsewhere`;
  other.name = 'stdataelsewhere';
  s.resources.push({ id: dataRg, name: 'rg-data', type: 'Microsoft.Resources/resourceGroups', location: DEMO.location, properties: { provisioningState: 'Succeeded' } } as never, other as never);
  const emu = await startTestEmulator({ scenario: s });
  try {
    const run = await runCli(emu, 'setup', { ...DEMO_TARGETS, storage: 'stdataelsewhere', dryRun: true, output: 'json' });
    expect(run.code, run.err).toBe(0);
    const lockdown = run.json().steps.find((st: { id: string }) => st.id === 'storage-lockdown');
    expect(lockdown.changes.map((c: { resourceId: string }) => c.resourceId)).toContain(other.id);
    const missing = await runCli(emu, 'setup', { ...DEMO_TARGETS, storage: 'stnowhere', dryRun: true });
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/No storage account 'stnowhere' in subscription/);
  } finally {
    await emu.stop();
  }
});
