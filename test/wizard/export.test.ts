/**
 * `export --format arm` on the demo: refused before setup; after setup a template that validates against
 * the deployment template schema (resources against its generic resource definition) and each body
 * against the vendored REST spec of its api-version; deployed through Microsoft.Resources/deployments
 * into a fresh demo emulator (PUT, poll, operations) it makes `validate` pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AjvModule from 'ajv';
import { Cli, DEMO, IDS, runCli } from '../support/cli.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { specCatalog } from '../support/spec-validator.js';
import { sdkOperations } from '../support/spec-sdk-operations.js';
import { armRequest, deployTemplate, type DeploymentRun } from '../support/deployments.js';
import { deterministicGuid } from '../../src/azure/deterministic-name.js';
import { DATA_ROLES } from '../../src/posture/roles.js';

const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as typeof AjvModule.default;
const SCHEMAS = resolve(import.meta.dirname, '../azure-specs/schemas');

/** The SDK operation groups whose PUTs make the template's resource types. */
const SDK_PUTS: [string, string[]][] = [
  ['@azure/arm-cognitiveservices', ['accounts']],
  ['@azure/arm-storage', ['storageAccounts', 'blobServices']],
  ['@azure/arm-network', ['subnets', 'privateEndpoints', 'privateDnsZoneGroups']],
  ['@azure/arm-privatedns', ['privateZones', 'virtualNetworkLinks']],
  ['@azure/arm-authorization', ['roleAssignments']],
];
/** `/…/providers/Microsoft.Network/privateDnsZones/{z}/virtualNetworkLinks/{l}` → `microsoft.network/privatednszones/virtualnetworklinks` */
function typeOfTemplate(template: string): string {
  const parts = template.split('/providers/').pop()!.split('/');
  return [parts[0], ...parts.slice(1).filter((_, i) => i % 2 === 0)].join('/').toLowerCase();
}

/**
 * The 2019-04-01 template schema (draft-04) in ajv 8: `id` read as `$id`; its `resource` definition,
 * a oneOf over every provider schema (not vendored), replaced by its own generic `resourceBase`.
 */
function templateValidator() {
  const load = (p: string) => JSON.parse(readFileSync(join(SCHEMAS, p), 'utf8'));
  const toDraft7 = (s: any): any => {
    if (Array.isArray(s)) return s.map(toDraft7);
    if (!s || typeof s !== 'object') return s;
    const out: any = {};
    for (const [k, v] of Object.entries(s)) {
      if (k === '$schema') continue;
      out[k === 'id' && typeof v === 'string' ? '$id' : k] = k === 'properties' || k === 'definitions' ? Object.fromEntries(Object.entries(v as object).map(([n, x]) => [n, toDraft7(x)])) : toDraft7(v);
    }
    return out;
  };
  const template = toDraft7(load('2019-04-01/deploymentTemplate.json'));
  template.definitions.resource = { $ref: '#/definitions/resourceBase' };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(toDraft7(load('common/definitions.json')));
  return ajv.compile(template);
}

function bodyOf(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (!['apiVersion', 'type', 'name', 'dependsOn', 'scope', 'comments'].includes(k)) out[k] = v;
  return out;
}

let cli: Cli;
let dir: string;
beforeAll(async () => {
  cli = await Cli.start();
  dir = mkdtempSync(join(tmpdir(), 'sdi-export-'));
});
afterAll(async () => {
  await cli.emu.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('export before setup', () => {
  beforeAll(async () => {
    await cli.emu.control('POST', 'reset');
  });

  it('refuses a posture that does not pass validate, naming the failing checks and setup as the fix, exit 1', async () => {
    const r = await cli.run('export', { format: 'arm', output: 'json' });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.code).toBe('PostureNotConverged');
    expect(doc.error.message).toContain('account.identity');
    expect(doc.error.fix).toContain('secure-docintel setup');
  });

  it('refuses --format bicep with exit 2 and the Bicep route as the fix, before any ARM request', async () => {
    await cli.emu.clearLog();
    const r = await cli.run('export', { format: 'bicep' });
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toMatch(/--format 'bicep' is not supported/);
    expect(r.stderr + r.stdout).toContain('az bicep decompile');
    expect(await cli.emu.armRequests()).toEqual([]);
  });
});

describe('export after setup, deployed into a fresh demo', () => {
  let template: any;
  let fresh: TestEmulator;
  beforeAll(async () => {
    await cli.emu.control('POST', 'reset');
    await cli.setup({ allowStudio: true });
    const file = join(dir, 'template.json');
    const r = await cli.run('export', { format: 'arm', outputFile: file });
    if (r.code !== 0) throw new Error(`export failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
    template = JSON.parse(readFileSync(file, 'utf8'));
    fresh = await startTestEmulator();
  });
  afterAll(async () => {
    await fresh?.stop();
  });
  /**
   * The template deployed into the fresh demo, once: each test that reads `fresh` asks for it (in
   * whatever order they run), and none of them changes what it made.
   */
  let deployment: Promise<DeploymentRun> | undefined;
  const deployedIntoFresh = () => (deployment ??= deployTemplate(fresh, 'secure-docintel', template));

  it('refuses targets spread over resource groups (a DNS hub) with exit 2: the template is one resource-group deployment', async () => {
    const r = await cli.run('export', { format: 'arm', dnsZoneResourceGroup: 'rg-dns-hub' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not in the account's resource group 'rg-docintel-demo'");
    expect(r.stdout).toBe('');
  });

  it('with --output-file and -o json, prints one JSON document naming the file and the resources written to it', async () => {
    const file = join(dir, 'again.json');
    const r = await cli.run('export', { format: 'arm', outputFile: file, output: 'json' });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ command: 'export', format: 'arm', outputFile: file });
    expect(doc.resources).toHaveLength(template.resources.length);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(template);
  });

  it('prints the same template on stdout without --output-file', async () => {
    const r = await cli.run('export', { format: 'arm' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(template);
  });

  it('validates against the deployment template schema 2019-04-01', () => {
    const validate = templateValidator();
    expect(validate(template), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(template.$schema).toBe('https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#');
    expect(String(template.metadata.fullDefinitions)).toMatch(/full PUT.*what-if.*bicep decompile/s);
  });

  it('holds every piece of the posture, and parameters for the names that differ per environment', () => {
    const types = template.resources.map((r: { type: string }) => r.type);
    for (const t of ['Microsoft.CognitiveServices/accounts', 'Microsoft.Storage/storageAccounts', 'Microsoft.Storage/storageAccounts/blobServices', 'Microsoft.Network/virtualNetworks/subnets', 'Microsoft.Authorization/roleAssignments']) expect(types).toContain(t);
    for (const t of ['Microsoft.Network/privateEndpoints', 'Microsoft.Network/privateDnsZones', 'Microsoft.Network/privateDnsZones/virtualNetworkLinks', 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups']) {
      expect(types.filter((x: string) => x === t)).toHaveLength(2);
    }
    expect(Object.keys(template.parameters)).toEqual(expect.arrayContaining(['accountName', 'storageAccountName', 'virtualNetworkName', 'subnetName', 'accountLocation', 'endpointLocation']));
    const account = template.resources.find((r: { type: string }) => r.type === 'Microsoft.CognitiveServices/accounts');
    // the complete definition as read, not the network settings alone
    expect(account.sku).toEqual({ name: 'S0' });
    expect(account.kind).toBe('FormRecognizer');
    expect(account.identity.type).toContain('SystemAssigned');
    expect(account.properties.networkAcls.defaultAction).toBe('Deny');
    expect(account.properties.networkAcls.ipRules).toContainEqual({ value: '20.3.165.95' });
    const storage = template.resources.find((r: { type: string }) => r.type === 'Microsoft.Storage/storageAccounts');
    expect(storage.properties.networkAcls.bypass).toContain('AzureServices');
    expect(storage.properties.networkAcls.defaultAction).toBe('Deny');
    expect(storage.sku.name).toBeTruthy();
    expect(JSON.stringify(template)).not.toContain(DEMO.subscriptionId);
  });

  it('writes each resource at the api-version the product\'s SDK client sends for it (the one setup proved)', () => {
    const sent = new Map<string, string>();
    for (const [pkg, groups] of SDK_PUTS) for (const op of sdkOperations(pkg, groups)) if (op.method === 'PUT') sent.set(typeOfTemplate(op.template), op.apiVersion);
    for (const r of template.resources) expect(r.apiVersion, r.type).toBe(sent.get(String(r.type).toLowerCase()));
    // the two the spec's newest would differ from: @azure/arm-network 36.0.0 and @azure/arm-privatedns 3.2.0
    expect(template.resources.find((r: { type: string }) => r.type === 'Microsoft.Network/privateEndpoints').apiVersion).toBe('2025-05-01');
    expect(template.resources.find((r: { type: string }) => r.type === 'Microsoft.Network/privateDnsZones').apiVersion).toBe('2020-06-01');
  });

  it('sends each resource body within the vendored REST spec of its api-version', async () => {
    const catalog = specCatalog();
    const rg = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}`;
    const checkedAgainstNewer = new Set<string>();
    for (const r of template.resources) {
      const names = String(r.name).startsWith('[') ? ['n1', 'n2'] : String(r.name).split('/');
      const segs = String(r.type).split('/');
      const path = `${r.scope ? IDS.storage : rg}/providers/${[segs[0], ...segs.slice(1).flatMap((s: string, i: number) => [s, names[i] ?? 'x'])].join('/')}`;
      const puts = catalog.operations.filter((o) => o.method === 'PUT' && o.pattern.test(path)).sort((a, b) => b.literalSegments - a.literalSegments);
      const op = puts.find((o) => o.apiVersion === r.apiVersion) ?? puts[0];
      expect(op, `no PUT in the vendored specs for ${r.type}`).toBeDefined();
      if (op.apiVersion !== r.apiVersion) checkedAgainstNewer.add(`${r.type} ${r.apiVersion} → ${op.apiVersion}`);
      const schema = op!.parameters.find((p) => p.in === 'body')?.schema;
      expect(catalog.check(schema!, 'request', bodyOf(r)), `${r.type} body`).toEqual([]);
    }
    // The specs of the versions @azure/arm-network 36.0.0 and @azure/arm-privatedns 3.2.0 send are not
    // vendored (test/azure-specs holds Network 2026-01-01 and Private DNS 2024-06-01): those bodies are
    // checked against the newer ones. Exactly these, so a version that loses its spec shows here.
    expect([...checkedAgainstNewer].sort()).toEqual([
      'Microsoft.Network/privateDnsZones 2020-06-01 → 2024-06-01',
      'Microsoft.Network/privateDnsZones/virtualNetworkLinks 2020-06-01 → 2024-06-01',
      'Microsoft.Network/privateEndpoints 2025-05-01 → 2026-01-01',
      'Microsoft.Network/privateEndpoints/privateDnsZoneGroups 2025-05-01 → 2026-01-01',
      'Microsoft.Network/virtualNetworks/subnets 2025-05-01 → 2026-01-01',
    ]);
  });

  it('deploys through Microsoft.Resources/deployments into a fresh demo, and validate then passes', async () => {
    const result = await deployedIntoFresh();
    expect(result.put.status).toBe(201);
    expect(result.put.body.properties.provisioningState).toBe('Accepted');
    expect(result.final.properties.provisioningState).toBe('Succeeded');
    const ops = result.operations.map((o: any) => [o.properties.targetResource.resourceType, o.properties.provisioningState]);
    expect(ops).toHaveLength(template.resources.length);
    expect(ops.every(([, s]: string[]) => s === 'Succeeded')).toBe(true);
    // each resource was written through its own provider, by the deploying caller
    const log = (await fresh.control('GET', 'requests?kind=deployment')).value as { method: string; path: string; status: number }[];
    expect(log.filter((e) => e.method === 'PUT')).toHaveLength(template.resources.length);

    const v = await runCli(fresh, 'validate', { subscription: DEMO.subscriptionId, resourceGroup: DEMO.resourceGroup, docintel: DEMO.account, storage: DEMO.storage, vnet: DEMO.vnet, subnet: DEMO.subnet, allowStudio: true, output: 'json' });
    const doc = v.json();
    expect(doc.checks.filter((c: { status: string }) => c.status === 'fail'), v.out).toEqual([]);
    expect(v.code).toBe(0);
  });

  it('deploys back into the environment it came from without a change validate would see, and without a second role assignment', async () => {
    const before = await cli.validate({ allowStudio: true });
    const run = await deployTemplate(cli.emu, 'redeploy', template);
    expect(run.final.properties.provisioningState, JSON.stringify(run.final.properties.error)).toBe('Succeeded');
    const after = await cli.validate({ allowStudio: true });
    expect(after.code).toBe(0);
    expect(after.json.checks.map((c) => [c.id, c.status])).toEqual(before.json.checks.map((c) => [c.id, c.status]));
    const list = await armRequest(cli.emu, 'GET', `${IDS.storage}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`);
    expect(list.body.value.filter((a: any) => a.properties.scope.toLowerCase() === IDS.storage.toLowerCase())).toHaveLength(1);
    // nothing the export reads changed either: the other tests here export this environment after it, in any order
    const again = await cli.run('export', { format: 'arm' });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(template);
  });

  it("holds no key or secret: neither account's keys nor a principal's secret", async () => {
    const text = JSON.stringify(template);
    const storageKeys = await armRequest(cli.emu, 'POST', `${IDS.storage}/listKeys?api-version=2025-08-01`);
    const accountKeys = await armRequest(cli.emu, 'POST', `${IDS.account}/listKeys?api-version=2025-09-01`);
    const secrets = [DEMO.owner.secret, DEMO.reader.secret, ...storageKeys.body.keys.map((k: { value: string }) => k.value), accountKeys.body.key1, accountKeys.body.key2];
    expect(secrets.every((x) => typeof x === 'string' && x.length > 8)).toBe(true);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('exports an account apiProperties key or connection string only as a secureString parameter with no value', async () => {
    const secret = 'Endpoint=sb://hub.example/;SharedAccessKeyName=send;SharedAccessKey=not-for-templates';
    const state = await cli.emu.control('GET', 'state');
    const account = state.resources.find((r: any) => r.id.toLowerCase() === IDS.account.toLowerCase());
    await cli.emu.control('PUT', 'state', { resources: [{ ...account, properties: { ...account.properties, apiProperties: { eventHubConnectionString: secret, statisticsEnabled: true } } }] });
    try {
      const r = await cli.run('export', { format: 'arm' });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toContain('not-for-templates');
      const t = JSON.parse(r.stdout);
      expect(t.parameters.accountApiEventHubConnectionString).toMatchObject({ type: 'securestring' });
      expect(t.parameters.accountApiEventHubConnectionString.defaultValue).toBeUndefined();
      const exported = t.resources.find((x: any) => x.type === 'Microsoft.CognitiveServices/accounts');
      expect(exported.properties.apiProperties).toEqual({ eventHubConnectionString: "[parameters('accountApiEventHubConnectionString')]", statisticsEnabled: true });
    } finally {
      await cli.emu.control('PUT', 'state', { resources: [account] });
    }
  });

  it("names the role assignment as the product does (ARM's guid() of the same inputs)", async () => {
    const deployed = await deployedIntoFresh();
    expect(deployed.final.properties.provisioningState).toBe('Succeeded');
    const list = await armRequest(fresh, 'GET', `${IDS.storage}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`);
    const roleDefinitionId = `/subscriptions/${DEMO.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${DATA_ROLES.reader.guid}`;
    const names = list.body.value.filter((a: any) => a.properties.scope.toLowerCase() === IDS.storage.toLowerCase()).map((a: any) => a.name);
    expect(names).toContain(deterministicGuid(IDS.storage, IDS.account, roleDefinitionId));
  });
});
