/**
 * The Azure CLI's conventions, in-process against the emulator: subscription by name, enum values in
 * any case, setup's JSON with its validation, the JSON error document, and --detailed-exitcode.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { Writable } from 'node:stream';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { runCli, DEMO_TARGETS } from '../support/cli.js';
import { TestHost } from '../support/test-host.js';
import { demoScenario } from '../../packages/arm-emulator/src/demo.js';
import { runCommand } from '../../src/commands/index.js';
import { NonInteractiveHost } from '../../src/io/stream-host.js';

const OTHER = '55555555-5555-5555-5555-555555555555';
let emu: TestEmulator;

beforeAll(async () => {
  // a second subscription the owner can read, with the demo's name in other letters
  const scenario = demoScenario();
  scenario.subscriptions.push({ subscriptionId: OTHER, displayName: 'DEMO Subscription', state: 'Enabled', tenantId: DEMO.tenantId } as never);
  scenario.roleAssignments!.push({ scope: `/subscriptions/${OTHER}`, principalId: DEMO.owner.objectId, roleName: 'Reader', principalType: 'ServicePrincipal' } as never);
  emu = await startTestEmulator({ scenario });
}, 60_000);
afterAll(async () => emu.stop());
beforeEach(async () => {
  await emu.control('POST', 'reset');
  await emu.clearLog();
});

const writes = async () => (await emu.armRequests()).filter((r) => r.method !== 'GET');
const { subscription: _id, ...BY_NAME } = DEMO_TARGETS;

describe('--subscription by name', () => {
  it('an ambiguous name exits 2 naming both candidates with their ids, and writes nothing', async () => {
    const run = await runCli(emu, 'identity', { ...BY_NAME, subscription: 'demo subscription', yes: true });
    expect(run.code).toBe(2);
    expect(run.err).toContain(`Demo subscription (${DEMO.subscriptionId})`);
    expect(run.err).toContain(`DEMO Subscription (${OTHER})`);
    expect(run.err).toMatch(/Fix: Pass the subscription id/);
    expect(await writes()).toEqual([]);
  });

  it('an unknown name exits 2 listing the subscriptions the caller can see', async () => {
    const run = await runCli(emu, 'identity', { ...BY_NAME, subscription: 'Production', yes: true });
    expect(run.code).toBe(2);
    expect(run.err).toContain("--subscription 'Production' is neither a subscription id (a GUID) nor the name");
    expect(run.err).toContain(`- Demo subscription (${DEMO.subscriptionId})`);
    expect(await writes()).toEqual([]);
  });

  it('a unique name is that subscription: identity converges there', async () => {
    // the Reader sees only the demo subscription, so its name is unique for it
    const plan = await runCli(emu, 'identity', { ...BY_NAME, subscription: 'demo SUBSCRIPTION', dryRun: true, output: 'json' }, { caller: 'reader' });
    expect(plan.code, plan.err).toBe(0);
    expect(plan.json().steps[0].changes[0].resourceId).toContain(`/subscriptions/${DEMO.subscriptionId}/`);
  });
});

describe('enum values in any case', () => {
  it('--role Reader, --access-rule Resource-Instance, --cloud azurecloud and --output JSON are accepted', async () => {
    const lockdown = await runCli(emu, 'storage-lockdown', { ...DEMO_TARGETS, accessRule: 'Resource-Instance', cloud: 'azurecloud', output: 'JSON', dryRun: true });
    expect(lockdown.code, lockdown.err).toBe(0);
    const changes = lockdown.json().steps[0].changes.map((c: { property: string }) => c.property);
    expect(changes.join(' ')).toMatch(/resourceAccessRules/);
    await runCli(emu, 'identity', { ...DEMO_TARGETS, yes: true });
    const grant = await runCli(emu, 'grant', { ...DEMO_TARGETS, role: 'Reader', output: 'Json', dryRun: true });
    expect(grant.code, grant.err).toBe(0);
    expect(JSON.stringify(grant.json())).toContain('Storage Blob Data Reader');
  });
});

describe('--dry-run --detailed-exitcode', () => {
  it('exits 4 while changes are pending and 0 once converged, writing nothing', async () => {
    const pending = await runCli(emu, 'identity', { ...DEMO_TARGETS, dryRun: true, detailedExitcode: true });
    expect(pending.code, pending.err).toBe(4);
    expect(await writes()).toEqual([]);
    expect((await runCli(emu, 'identity', { ...DEMO_TARGETS, yes: true })).code).toBe(0);
    await emu.clearLog();
    const converged = await runCli(emu, 'identity', { ...DEMO_TARGETS, dryRun: true, detailedExitcode: true, output: 'json' });
    expect(converged.code, converged.err).toBe(0);
    expect(converged.json().steps.map((s: { status: string }) => s.status)).toEqual(['unchanged']);
    expect(await writes()).toEqual([]);
  });

  it('without --dry-run is refused with exit 2 before anything is read', async () => {
    const run = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, detailedExitcode: true });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--detailed-exitcode only applies to --dry-run/);
    expect(await emu.armRequests()).toEqual([]);
  });

  it('plain --dry-run still exits 0 with changes pending', async () => {
    expect((await runCli(emu, 'identity', { ...DEMO_TARGETS, dryRun: true })).code).toBe(0);
  });
});

describe('JSON output', () => {
  it('setup --output json carries the validation document as "validation"', async () => {
    const run = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, output: 'json' });
    expect(run.code, run.err).toBe(0);
    const doc = run.json();
    expect(doc.command).toBe('setup');
    expect(doc.validation.ok).toBe(true);
    expect(doc.validation.checks.length).toBeGreaterThan(5);
    expect(doc.validation.reachability.length).toBeGreaterThan(0);
    expect(doc.error).toBeUndefined();
  });

  const errorOnly = (out: string) => {
    const doc = JSON.parse(out);
    expect(Object.keys(doc)).toEqual(['error']);
    return doc.error;
  };

  it('a usage error prints only { error: { code, message, fix } } on stdout, exit 2', async () => {
    const run = await runCli(emu, 'setup', { subscription: DEMO.subscriptionId, output: 'json' });
    expect(run.code).toBe(2);
    const error = errorOnly(run.out);
    expect(error.code).toBe('MissingInput');
    expect(error.message).toContain('--resource-group');
    expect(error.fix).toMatch(/flags or environment variables/);
  });

  it('bad flags found before any host exists still print the error document', async () => {
    const out: string[] = [];
    const stdout = new Writable({ write: (c, _e, cb) => (out.push(String(c)), cb()) });
    const host = new NonInteractiveHost({ stdout, stderr: new Writable({ write: (_c, _e, cb) => cb() }) });
    const code = await runCommand('setup', { ...DEMO_TARGETS, allowIp: ['10.0.0.1'], output: 'json', nonInteractive: true }, { host, env: {} });
    expect(code).toBe(2);
    expect(errorOnly(out.join('')).message).toMatch(/--allow-ip/);
  });

  it('grant before the identity exists: a usage error with the fix to run identity first', async () => {
    const run = await runCli(emu, 'grant', { ...DEMO_TARGETS, output: 'json' });
    expect(run.code).toBe(2);
    expect(errorOnly(run.out).fix).toMatch(/secure-docintel identity/);
  });

  it('declining a confirmation prints { error: { code: "Declined" } }, exit 3', async () => {
    // declining the permanent subdomain offers another name or a partial run; stopping declines the run
    const host = new TestHost(true, { 'confirm-shared-privateEndpointNetworkPolicies': true, 'confirm-permanent': false, subdomainDeclined: 'stop' });
    const run = await runCli(emu, 'setup', { ...DEMO_TARGETS, output: 'json' }, { host });
    expect(run.code, run.err + run.out).toBe(3);
    expect(errorOnly(run.out).code).toBe('Declined');
    expect(await writes()).toEqual([]);
  });

  it('a missing permission, found by the preflight before any write: the error document with AuthorizationFailed and the role, exit 1', async () => {
    const run = await runCli(emu, 'identity', { ...DEMO_TARGETS, yes: true, output: 'json' }, { caller: 'reader' });
    expect(run.code).toBe(1);
    const error = errorOnly(run.out);
    expect(error.code).toBe('AuthorizationFailed');
    expect(`${error.message} ${error.fix ?? ''}`).toMatch(/Cognitive Services Contributor/);
    expect(await writes()).toEqual([]);
  });

  it('an Azure failure during a step: the change document with the failed step and the ARM error code as "error", exit 1', async () => {
    await emu.control('POST', 'faults', { method: 'PATCH', path: '/accounts/docintel-demo$', status: 400, code: 'InvalidRequest', message: 'Refused (injected).', count: 1 });
    const run = await runCli(emu, 'identity', { ...DEMO_TARGETS, yes: true, output: 'json' });
    expect(run.code).toBe(1);
    const doc = run.json();
    expect(doc.steps[0].status).toBe('failed');
    expect(doc.error.code).toBe('InvalidRequest');
  });
});
