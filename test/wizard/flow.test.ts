/**
 * The wizard as people and pipelines use it: the interactive flow driven through its prompts,
 * non-interactive input errors, JSON output, dry-run, a caller without rights, and transient faults.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { runCli, DEMO_TARGETS } from '../support/cli.js';
import { TestHost } from '../support/test-host.js';
import { buildProgram } from '../../src/cli/main.js';
import { ResourceManagementClient } from '@azure/arm-resources';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';

/** The options commander parses from a printed `secure-docintel <command> …` line (simple shell quoting). */
async function parsePrinted(line: string): Promise<{ command: string; options: Record<string, unknown> }> {
  const words = [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
  expect(words[0]).toBe('secure-docintel');
  const program = buildProgram();
  let parsed: { command: string; options: Record<string, unknown> } | undefined;
  for (const cmd of program.commands) cmd.action((options: Record<string, unknown>) => void (parsed = { command: cmd.name(), options }));
  await program.parseAsync(words.slice(1), { from: 'user' });
  return parsed!;
}

function printedRepeat(err: string): string {
  const i = err.indexOf('Repeat this run in a pipeline');
  expect(i, err).toBeGreaterThan(0);
  return err.slice(i).split('\n')[1].trim();
}

// One emulator for the file, back to the demo state (no faults, an empty request log) before each test.
let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());
beforeEach(async () => {
  await emu.control('POST', 'reset');
});

const writesOf = async () => (await emu.armRequests()).filter((r) => r.method !== 'GET');

const CONFIRM_ALL = { 'confirm-shared': true, 'confirm-permanent': true, 'confirm-lockout': true, apply: true };
const GUIDE_CHOICES = ['allowStudio', 'accessRule', 'role', 'dnsZones', 'publicAccess', 'allowIps', 'customSubdomain'];

describe('interactive setup', () => {
  it('prints single-answer targets, asks each guide choice with its explanation, shows the plan, confirms, applies, and converges', async () => {
    const host = new TestHost(true, CONFIRM_ALL);
    const run = await runCli(emu, 'setup', {}, { host });
    expect(run.code, run.err).toBe(0);
    const ids = host.asked.map((a) => a.id);
    // The demo has one of each target: nothing to ask, each answer printed.
    for (const printed of [/Subscription: Demo subscription \(2{8}-.*\(the only one\)/, /Resource group of the Document Intelligence account: rg-docintel-demo/, /Document Intelligence account: docintel-demo/, /Storage account with the training data: Demo subscription .* \/ stdocinteldemo/, /Virtual network for the private endpoints: Demo subscription .* \/ vnet-demo/, /Subnet for the private endpoints: snet-pe/]) {
      expect(run.err).toMatch(printed);
    }
    expect(ids.slice(0, GUIDE_CHOICES.length)).toEqual(GUIDE_CHOICES);
    for (const explanation of [/Studio stops working: analyze and labeling get AccessDenied/, /trusted-services: the exception/, /resource-instance: a resource instance rule/, /Storage Blob Data Contributor also lets it write/, /Azure Policy \(DeployIfNotExists\)/, /Disabled: only the private endpoint/, /need their public IPv4 address/, /it is permanent/]) {
      expect(run.err).toMatch(explanation);
    }
    const asked = (id: string) => host.asked.find((a) => a.id === id)!;
    expect(asked('allowStudio').default).toBe(false);
    expect(asked('accessRule').default).toBe('trusted-services');
    expect(asked('role').default).toBe('reader');
    expect(asked('publicAccess').default).toBe(false);
    expect(asked('customSubdomain').default).toBe('docintel-demo');
    expect(asked('dnsZones').choices).toEqual([{ kind: 'vnet' }, { kind: 'skip' }]);
    expect(ids.slice(GUIDE_CHOICES.length)).toEqual([
      'confirm-shared-privateEndpointNetworkPolicies',
      'confirm-permanent-properties.customSubDomainName',
      'confirm-lockout-properties.networkAcls.defaultAction',
      'apply',
    ]);
    expect(run.err).toMatch(/Step 1\/6 Set up the managed identity/);
    expect(run.err).toMatch(/Step 6\/6 Validate the deployment/);
    expect(run.err).toMatch(/customSubDomainName: — → docintel-demo {2}\[permanent\]/);

    // The end of the run says what comes next.
    expect(run.err).toMatch(/What next\n {2}Endpoint: https:\/\/docintel-demo\.cognitiveservices\.azure\.com\/ — inside vnet-demo/);
    expect(run.err).toMatch(/on a VM in vnet-demo\/snet-pe .*\n {4}secure-docintel validate --subscription 2{8}-\S+ --resource-group rg-docintel-demo --docintel docintel-demo --storage stdocinteldemo --vnet vnet-demo --subnet snet-pe --probe/);
    expect(run.err).toMatch(/Studio: not allowed — .*run again with --allow-studio/);
    const repeat = printedRepeat(run.err);
    expect(repeat).toMatch(/^secure-docintel setup --subscription .* --access-rule trusted-services --role reader --custom-subdomain docintel-demo --arm-endpoint https:\/\/127\.0\.0\.1:\d+ --ca-cert \S+ --non-interactive --yes$/);

    // Run as printed, through the real option parser: nothing left to write.
    const printed = await parsePrinted(repeat);
    expect(printed.command).toBe('setup');
    await emu.clearLog();
    const again = await runCli(emu, printed.command, printed.options);
    expect(again.code, again.err + again.out).toBe(0);
    expect(await writesOf()).toEqual([]);
  });

  it('DNS zones in a hub are listed and offered first; the printed command carries every answer: Studio, rule, role, hub, IPs, subdomain', async () => {
    const resources = new ResourceManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    await resources.resourceGroups.createOrUpdate('rg-hub-dns', { location: DEMO.location });
    const dns = new PrivateDnsManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions);
    for (const zone of ['privatelink.cognitiveservices.azure.com', 'privatelink.blob.core.windows.net', 'privatelink.vaultcore.azure.net']) {
      await dns.privateZones.beginCreateOrUpdateAndWait('rg-hub-dns', zone, { location: 'global' });
    }
    await emu.clearLog();
    const host = new TestHost(true, { ...CONFIRM_ALL, resourceGroup: DEMO.resourceGroup, allowStudio: true, accessRule: 'resource-instance', role: 'contributor', allowIps: '203.0.113.7', customSubdomain: 'di-demo-x' });
    const run = await runCli(emu, 'setup', {}, { host });
    expect(run.code, run.err).toBe(0);
    const dnsQuestion = host.asked.find((a) => a.id === 'dnsZones')!;
    expect(dnsQuestion.choices![0]).toEqual({ kind: 'existing', subscriptionId: DEMO.subscriptionId, resourceGroup: 'rg-hub-dns' });
    expect(dnsQuestion.default).toEqual(dnsQuestion.choices![0]);
    expect((await writesOf()).filter((w) => w.method === 'PUT' && /privateDnsZones\/[^/]+$/i.test(w.path))).toEqual([]);
    const repeat = printedRepeat(run.err);
    expect(repeat).toContain('--allow-studio --access-rule resource-instance --role contributor --allow-ip 203.0.113.7 --dns-zone-resource-group rg-hub-dns --custom-subdomain di-demo-x');
    expect(run.err).toMatch(/Studio: allowed \(20\.3\.165\.95 on both firewalls/);
    const printed = await parsePrinted(repeat);
    await emu.clearLog();
    const again = await runCli(emu, printed.command, printed.options);
    expect(again.code, again.err).toBe(0);
    expect(await writesOf()).toEqual([]);
  });

  it('with Studio access, public access is not asked (one answer keeps the Studio working) and the answers reach the plan', async () => {
    const host = new TestHost(true, { ...CONFIRM_ALL, allowStudio: true, accessRule: 'resource-instance', allowIps: '203.0.113.7, 198.51.100.0/24', customSubdomain: 'di-demo-x' });
    const run = await runCli(emu, 'setup', { dryRun: true }, { host });
    expect(run.code, run.err).toBe(0);
    const ids = host.asked.map((a) => a.id);
    expect(ids).not.toContain('publicAccess');
    expect(run.err).toMatch(/Public network access of 'docintel-demo': selected networks and private endpoints — the only answer with Studio access/);
    expect(host.asked.find((a) => a.id === 'role')!.default).toBe('contributor');
    expect(run.err).toMatch(/networkAcls.resourceAccessRules/);
    expect(run.err).toMatch(/ipRules: 203\.0\.113\.7/);
    expect(run.err).toMatch(/ipRules: 198\.51\.100\.0\/24/);
    expect(run.err).toMatch(/ipRules: 20\.3\.165\.95/);
    expect(run.err).toMatch(/cors\.corsRules/);
    expect(run.err).toMatch(/customSubDomainName: — → di-demo-x/);
  });

  it('--output json, interactive: the plan it asks about is shown on stderr, stdout stays one JSON document', async () => {
    const host = new TestHost(true, CONFIRM_ALL);
    const run = await runCli(emu, 'setup', { ...DEMO_TARGETS, output: 'json' }, { host });
    expect(run.code, run.err).toBe(0);
    const plan = run.err.indexOf('Step 5/6 Configure private endpoints');
    expect(plan).toBeGreaterThan(-1);
    expect(host.asked.map((a) => a.id)).toContain('apply');
    expect(run.json().command).toBe('setup');
  });

  it('flags answer their questions: only the rest is asked', async () => {
    const host = new TestHost(true, {});
    const run = await runCli(emu, 'setup', { ...DEMO_TARGETS, allowStudio: true, accessRule: 'trusted-services', role: 'reader', skipDns: true, allowIp: ['203.0.113.7'], customSubdomain: 'docintel-demo', dryRun: true }, { host });
    expect(run.code, run.err).toBe(0);
    expect(host.asked).toEqual([]);
  });

  it('declining the permanent subdomain offers another name, the steps before the endpoints, or stopping (exit 3, nothing written)', async () => {
    const host = new TestHost(true, { 'confirm-shared': true, 'confirm-permanent': false, subdomainDeclined: 'stop' });
    await emu.clearLog();
    const run = await runCli(emu, 'setup', DEMO_TARGETS, { host });
    expect(run.code).toBe(3);
    expect(host.asked.find((a) => a.id === 'subdomainDeclined')!.choices).toEqual(['rename', 'before', 'stop']);
    expect(await writesOf()).toEqual([]);
  });

  it('declining, then another name: the plan and the confirmation show the new name, and it is the one set', async () => {
    const answers = [false, true];
    const host = new TestHost(true, { ...CONFIRM_ALL, 'confirm-permanent': () => answers.shift(), subdomainDeclined: 'rename', customSubdomain: 'di-demo-2' });
    const run = await runCli(emu, 'setup', { ...DEMO_TARGETS, customSubdomain: 'docintel-demo' }, { host });
    expect(run.code, run.err).toBe(0);
    const permanent = host.asked.filter((a) => a.id === 'confirm-permanent-properties.customSubDomainName');
    expect(permanent.map((a) => /subdomain '([^']+)'/.exec(a.message)![1])).toEqual(['docintel-demo', 'di-demo-2']);
    expect(run.err).toMatch(/Endpoint: https:\/\/di-demo-2\.cognitiveservices\.azure\.com\//);
  });

  it('declining, then the steps before the endpoints: identity, storage and role applied, no endpoint, the subnet untouched, and how to finish', async () => {
    const host = new TestHost(true, { 'confirm-shared': true, 'confirm-permanent': false, subdomainDeclined: 'before', apply: true });
    await emu.clearLog();
    const run = await runCli(emu, 'setup', DEMO_TARGETS, { host });
    expect(run.code, run.err).toBe(0);
    const writes = (await writesOf()).map((w) => w.path);
    expect(writes.some((p) => /accounts\/docintel-demo$/i.test(p))).toBe(true);
    expect(writes.some((p) => /roleAssignments/i.test(p))).toBe(true);
    expect(writes.some((p) => /privateEndpoints|virtualNetworks|privateDnsZones/i.test(p))).toBe(false);
    expect(run.err).toMatch(/Stopped before the private endpoints/);
    expect(run.err).toMatch(/secure-docintel private-endpoint --subscription \S+ --resource-group rg-docintel-demo --docintel docintel-demo --storage stdocinteldemo --vnet vnet-demo --subnet snet-pe .*--custom-subdomain <name>/);
    expect(run.err).not.toMatch(/Validate the deployment/);
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
    const run = await runCli(emu, 'storage-lockdown', { ...DEMO_TARGETS, yes: true });
    expect(run.code, run.err).toBe(0);
    const patches = (await emu.armRequests()).filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.status)).toEqual([429, 200]);
    // by the emulator's clock: the retry came Retry-After (1 s) after the 429
    expect(Date.parse(patches[1].time) - Date.parse(patches[0].time)).toBeGreaterThanOrEqual(1000);
  });
});
