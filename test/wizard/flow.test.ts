/**
 * The wizard as people and pipelines use it: the interactive flow driven through its prompts,
 * non-interactive input errors, JSON output, dry-run, a caller without rights, and transient faults.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { runCli, DEMO_TARGETS } from '../support/cli.js';
import { TestHost } from '../support/test-host.js';

let emu: TestEmulator;
beforeEach(async () => {
  emu = await startTestEmulator();
});
afterEach(async () => emu.stop());

const writesOf = async () => (await emu.armRequests()).filter((r) => r.method !== 'GET');

describe('interactive setup', () => {
  it('lists what exists, shows the plan, asks the permanent and lock-out confirmations, applies, and converges', async () => {
    const host = new TestHost(true, {
      'confirm-permanent': true,
      'confirm-lockout': true,
      'confirm-shared': true,
      apply: true,
    });
    const run = await runCli(emu, 'setup', {}, { host });
    expect(run.code, run.err).toBe(0);
    const ids = host.asked.map((a) => a.id);
    expect(ids.slice(0, 7)).toEqual(['subscription', 'resourceGroup', 'docintel', 'storage', 'location', 'vnet', 'subnet']);
    expect(host.asked.find((a) => a.id === 'location')!.default).toBe(DEMO.location);
    const storagePrompt = host.asked.find((a) => a.id === 'storage')!;
    expect(storagePrompt.choices).toHaveLength(1);
    expect(String(storagePrompt.default)).toMatch(/stdocinteldemo$/);
    expect(ids).toContain('confirm-permanent-properties.customSubDomainName');
    expect(ids).toContain('confirm-lockout-properties.networkAcls.defaultAction');
    expect(ids[ids.length - 1]).toBe('apply');
    expect(run.err).toMatch(/Step 1\/6 Set up the managed identity/);
    expect(run.err).toMatch(/Step 6\/6 Validate the deployment/);
    expect(run.err).toMatch(/customSubDomainName: — → docintel-demo {2}\[permanent\]/);

    await emu.clearLog();
    const again = await runCli(emu, 'setup', DEMO_TARGETS, { host: new TestHost(true, {}) });
    expect(again.code, again.err + again.out).toBe(0);
    expect(await writesOf()).toEqual([]);
  });

  it('declining the permanent subdomain exits 3 and writes nothing', async () => {
    const host = new TestHost(true, { 'confirm-shared': true, 'confirm-permanent': false });
    await emu.clearLog();
    const run = await runCli(emu, 'setup', DEMO_TARGETS, { host });
    expect(run.code).toBe(3);
    expect(await writesOf()).toEqual([]);
  });
});

describe('non-interactive input', () => {
  it('names every missing flag and env var, exits 2 and writes nothing', async () => {
    await emu.clearLog();
    const run = await runCli(emu, 'setup', { subscription: DEMO.subscriptionId });
    expect(run.code).toBe(2);
    for (const flag of ['--resource-group', 'SECURE_DOCINTEL_RESOURCE_GROUP', '--docintel', '--storage', '--vnet', '--subnet']) expect(run.err).toContain(flag);
    expect(await writesOf()).toEqual([]);
  });

  it('rejects a wrong-kind resource id and an invalid storage IP before touching Azure', async () => {
    await emu.clearLog();
    const bad = await runCli(emu, 'setup', { ...DEMO_TARGETS, docintel: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/x/providers/Microsoft.Storage/storageAccounts/y`, allowIp: ['10.0.0.0/24'] });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--docintel .* is not a Microsoft.CognitiveServices\/accounts resource id/);
    expect(bad.err).toMatch(/private or reserved range/);
    expect(await emu.armRequests()).toEqual([]);
  });
});

describe('output', () => {
  it('--dry-run writes nothing, and its plan equals what apply then does', async () => {
    await emu.clearLog();
    const plan = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, dryRun: true, output: 'json' });
    expect(plan.code).toBe(0);
    expect(await writesOf()).toEqual([]);
    const planned = plan.json();
    expect(planned.dryRun).toBe(true);
    expect(planned.steps.map((s: { status: string }) => s.status)).toEqual(['planned', 'planned', 'planned', 'planned', 'planned']);
    const applied = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, output: 'json' });
    expect(applied.code, applied.err).toBe(0);
    const doc = applied.json();
    expect(doc.command).toBe('setup');
    expect(doc.steps.map((s: { status: string }) => s.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    const strip = (steps: any[]) => steps.map((s) => s.changes.map((c: any) => `${c.action} ${c.resourceId} ${c.property}`));
    expect(strip(doc.steps)).toEqual(strip(planned.steps));
    expect(doc.armRequests.writes).toBe((await writesOf()).length);
    expect(doc.armRequests.reads).toBeGreaterThan(0);
  });
});

describe('a caller without rights', () => {
  it('the Reader gets AuthorizationFailed with the role it needs, and exit 1', async () => {
    const run = await runCli(emu, 'identity', { ...DEMO_TARGETS, yes: true }, { caller: 'reader' });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/AuthorizationFailed/);
    expect(run.err).toMatch(/Cognitive Services Contributor/);
    expect(run.err).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('transient faults', () => {
  it('PrincipalNotFound while the identity replicates is retried until it succeeds', async () => {
    await runCli(emu, 'identity', { ...DEMO_TARGETS, yes: true });
    await emu.control('POST', 'faults', { method: 'PUT', path: 'roleAssignments', status: 400, code: 'PrincipalNotFound', message: 'Principal not found (injected).', count: 2 });
    const run = await runCli(emu, 'grant', { ...DEMO_TARGETS, yes: true });
    expect(run.code, run.err).toBe(0);
    const puts = (await emu.armRequests()).filter((r) => r.method === 'PUT' && /roleAssignments/i.test(r.path));
    expect(puts.map((p) => p.status)).toEqual([400, 400, 201]);
  });

  it('429 with Retry-After is honoured before the write is retried', async () => {
    await emu.control('POST', 'faults', { method: 'PATCH', path: 'storageAccounts/stdocinteldemo$', status: 429, retryAfter: 1, count: 1 });
    const started = Date.now();
    const run = await runCli(emu, 'storage-lockdown', { ...DEMO_TARGETS, yes: true });
    expect(run.code, run.err).toBe(0);
    const patches = (await emu.armRequests()).filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.status)).toEqual([429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });
});
