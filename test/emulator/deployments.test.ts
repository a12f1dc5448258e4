/**
 * Microsoft.Resources/deployments in the emulator: ARM's guid(), the template language the export uses,
 * refusals with ARM's InvalidTemplate, dependsOn order, failure of one resource's own provider rules,
 * the deploying caller's authorization, and the JSONC body az sends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { armRequest, deploymentPath, deployTemplate, DEPLOYMENTS_API } from '../support/deployments.js';
import { armGuid } from '../../packages/arm-emulator/src/template/guid.js';
import { demoScenario } from '../../packages/arm-emulator/src/demo.js';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const RG = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}`;

const zone = (name: string, extra: Record<string, unknown> = {}) => ({ type: 'Microsoft.Network/privateDnsZones', apiVersion: '2024-06-01', name, location: 'global', ...extra });
const template = (resources: unknown[], more: Record<string, unknown> = {}) => ({ $schema: SCHEMA, contentVersion: '1.0.0.0', resources, ...more });

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.stop();
});

describe("ARM's guid()", () => {
  it('is the version-5 UUID of the arguments joined with - in namespace 11fb06fb-712d-4ddd-98c7-e71bbd588830', () => {
    // python3: uuid.uuid5(uuid.UUID('11fb06fb-712d-4ddd-98c7-e71bbd588830'), 'a-b')
    expect(armGuid('a', 'b')).toBe('2d796349-8c7e-55ec-9624-54ece82ed031');
  });
});

describe('deploying a template', () => {
  it('answers 201 Accepted with an Azure-AsyncOperation URL, then Succeeded, with one operation per resource in dependsOn order', async () => {
    const t = template(
      [
        { type: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks', apiVersion: '2024-06-01', name: "[concat(variables('zone'), '/link-a')]", location: 'global', dependsOn: ["[resourceId('Microsoft.Network/privateDnsZones', variables('zone'))]"], properties: { virtualNetwork: { id: "[resourceId('Microsoft.Network/virtualNetworks', parameters('vnet'))]" }, registrationEnabled: false } },
        zone("[variables('zone')]"),
      ],
      { parameters: { vnet: { type: 'string', defaultValue: DEMO.vnet }, suffix: { type: 'string' } }, variables: { zone: "[format('{0}.{1}', 'privatelink', parameters('suffix'))]" } },
    );
    await emu.clearLog(); // the deployment log read below is this test's own
    const run = await deployTemplate(emu, 'order', t, { suffix: { value: 'example.com' } });
    expect(run.put.status).toBe(201);
    expect(run.put.body.properties.provisioningState).toBe('Accepted');
    expect(run.put.headers['azure-asyncoperation'].toLowerCase()).toContain(`${deploymentPath('order')}/operationStatuses/`.toLowerCase());
    expect(run.polls.at(-1)).toBe('Succeeded');
    expect(run.final.properties.provisioningState).toBe('Succeeded');
    expect(run.final.properties.outputResources.map((r: { id: string }) => r.id)).toEqual([
      `${RG}/providers/Microsoft.Network/privateDnsZones/privatelink.example.com`,
      `${RG}/providers/Microsoft.Network/privateDnsZones/privatelink.example.com/virtualNetworkLinks/link-a`,
    ]);
    const writes = (await emu.control('GET', 'requests?kind=deployment')).value.filter((e: { method: string }) => e.method === 'PUT').map((e: { path: string }) => e.path.split('/').pop());
    expect(writes).toEqual(['privatelink.example.com', 'link-a']);
    expect(run.operations.map((o: any) => o.properties.provisioningState)).toEqual(['Succeeded', 'Succeeded']);
  });

  it("fails with DeploymentFailed when a resource's own provider refuses it, and its operation says why", async () => {
    const t = template([{ type: 'Microsoft.Storage/storageAccounts', apiVersion: '2025-08-01', name: 'Not_A_Valid_Name', location: 'eastus', sku: { name: 'Standard_LRS' }, kind: 'StorageV2', properties: {} }]);
    const run = await deployTemplate(emu, 'refused', t);
    expect(run.final.properties.provisioningState).toBe('Failed');
    expect(run.final.properties.error.code).toBe('DeploymentFailed');
    expect(run.final.properties.error.details[0].code).toBe('AccountNameInvalid');
    expect(run.operations[0].properties).toMatchObject({ provisioningState: 'Failed', statusCode: 'BadRequest', statusMessage: { error: { code: 'AccountNameInvalid' } } });
  });

  it("fails when a resource's own long-running operation ends Failed, after the resources before it succeeded", async () => {
    await emu.control('POST', 'faults', { method: 'PUT', path: 'virtualNetworkLinks/link-fails$', lroFail: true, code: 'InternalServerError', message: 'The link could not be made.', count: 1 });
    const t = template([
      zone('privatelink.lro.example'),
      { type: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks', apiVersion: '2024-06-01', name: 'privatelink.lro.example/link-fails', location: 'global', dependsOn: ['privatelink.lro.example'], properties: { virtualNetwork: { id: `${RG}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}` }, registrationEnabled: false } },
    ]);
    // the fault goes whatever the deployment does, so it cannot meet a later test's link
    const run = await deployTemplate(emu, 'lro-fails', t).finally(() => emu.control('DELETE', 'faults'));
    expect(run.final.properties.provisioningState).toBe('Failed');
    expect(run.final.properties.error.details).toEqual([{ code: 'InternalServerError', message: 'The link could not be made.' }]);
    expect(run.operations.map((o: any) => [o.properties.targetResource.resourceName, o.properties.provisioningState])).toEqual([
      ['privatelink.lro.example', 'Succeeded'],
      ['privatelink.lro.example/link-fails', 'Failed'],
    ]);
  });

  it("writes each resource with the deploying caller's rights: a Reader cannot even create the deployment", async () => {
    const r = await armRequest(emu, 'PUT', `${deploymentPath('reader')}?api-version=${DEPLOYMENTS_API}`, { properties: { mode: 'Incremental', template: template([zone('privatelink.reader.example')]) } }, emu.reader);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('AuthorizationFailed');
    expect(r.body.error.message).toContain('Microsoft.Resources/deployments/write');
  });

  it('reads the JSONC body az sends: the template file spliced into properties with an unquoted key, comments allowed', async () => {
    const raw = `{"properties": {"mode": "Incremental", "parameters": {}, template:{ // from a file
      "$schema": "${SCHEMA}", "contentVersion": "1.0.0.0", /* one zone */ "resources": [${JSON.stringify(zone('privatelink.jsonc.example'))},]}}}`;
    const put = await armRequest(emu, 'PUT', `${deploymentPath('jsonc')}?api-version=${DEPLOYMENTS_API}`, raw);
    expect(put.status, JSON.stringify(put.body)).toBe(201);
  });
});

describe('templates the engine refuses, as ARM does (InvalidTemplate, 400, nothing written)', () => {
  const refused = async (t: unknown, parameters: Record<string, unknown> = {}) => {
    await emu.clearLog();
    const validate = await armRequest(emu, 'POST', `${deploymentPath('refused-t')}/validate?api-version=${DEPLOYMENTS_API}`, { properties: { mode: 'Incremental', template: t, parameters } });
    const put = await armRequest(emu, 'PUT', `${deploymentPath('refused-t')}?api-version=${DEPLOYMENTS_API}`, { properties: { mode: 'Incremental', template: t, parameters } });
    expect(validate.status).toBe(400);
    expect(put.status).toBe(400);
    expect(put.body.error.code).toBe('InvalidTemplate');
    expect(validate.body.error.code).toBe('InvalidTemplate');
    expect((await emu.control('GET', 'requests?kind=deployment')).value).toEqual([]);
    return put.body.error.message as string;
  };

  it('a function it does not evaluate, named with its line and column', async () => {
    const text = JSON.stringify(template([zone("[base64(resourceGroup().id)]")]), null, 2);
    const message = await refused(JSON.parse(text));
    expect(message).toMatch(/^Deployment template validation failed: 'The template resource at index '0'.* at line '\d+' and column '\d+' is not valid: The template function 'base64' is not valid\./);
  });

  it('a parameter without a value or default, a parameter the template does not declare, a value of the wrong type', async () => {
    const t = template([zone("[parameters('name')]")], { parameters: { name: { type: 'string' } } });
    expect(await refused(t)).toContain("The value for the template parameter 'name'");
    expect(await refused(t, { name: { value: 'a' }, extra: { value: 1 } })).toContain("The template parameters 'extra' in the parameters file are not valid");
    expect(await refused(t, { name: { value: 7 } })).toContain("The provided value for the template parameter 'name'");
  });

  it('a secure parameter outside its allowed values is refused without echoing the value', async () => {
    const t = template([zone('privatelink.secure.example')], { parameters: { token: { type: 'securestring', allowedValues: ['only-this'] } } });
    const message = await refused(t, { token: { value: 'sv=2024&sig=not-for-logs' } });
    expect(message).toContain("The provided value for the template parameter 'token'");
    expect(message).not.toContain('not-for-logs');
  });

  it('a dependsOn naming no resource of the template, and a circular dependency', async () => {
    expect(await refused(template([zone('a.example', { dependsOn: ['b.example'] })]))).toContain("The resource 'b.example' is not defined in the template");
    expect(await refused(template([zone('a.example', { dependsOn: ['b.example'] }), zone('b.example', { dependsOn: ['a.example'] })]))).toContain('Circular dependency detected');
  });

  it('reference() where only deployment-time values may go (a resource name)', async () => {
    expect(await refused(template([zone(`[reference('${RG}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}').addressSpace]`)]))).toContain("The template function 'reference' is not expected at this location");
  });
});

describe("each resource is written with the deploying caller's own rights", () => {
  let dnsOnly: TestEmulator;
  beforeAll(async () => {
    // the demo's Reader also holds Private DNS Zone Contributor (which grants deployments/*) on the group
    const scenario = demoScenario();
    scenario.roleAssignments!.push({ scope: RG, principalId: DEMO.reader.objectId, roleName: 'Private DNS Zone Contributor', principalType: 'ServicePrincipal' } as never);
    dnsOnly = await startTestEmulator({ scenario });
  });
  afterAll(async () => {
    await dnsOnly.stop();
  });

  it('the zone it may write succeeds; the storage account it may not fails with AuthorizationFailed, and the deployment Failed', async () => {
    const t = template([
      zone('privatelink.allowed.example'),
      { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2025-08-01', name: 'stnotallowed', location: 'eastus', sku: { name: 'Standard_LRS' }, kind: 'StorageV2', properties: {}, dependsOn: ['privatelink.allowed.example'] },
    ]);
    const run = await deployTemplate(dnsOnly, 'rights', t, {}, dnsOnly.reader);
    expect(run.put.status).toBe(201);
    expect(run.final.properties.provisioningState).toBe('Failed');
    const byType = Object.fromEntries(run.operations.map((o: any) => [o.properties.targetResource.resourceType, o.properties]));
    expect(byType['Microsoft.Network/privateDnsZones'].provisioningState).toBe('Succeeded');
    expect(byType['Microsoft.Storage/storageAccounts']).toMatchObject({ provisioningState: 'Failed', statusCode: 'Forbidden', statusMessage: { error: { code: 'AuthorizationFailed' } } });
    expect(byType['Microsoft.Storage/storageAccounts'].statusMessage.error.message).toContain('Microsoft.Storage/storageAccounts/write');
  });
});

describe('while a resource write is still running', () => {
  let slow: TestEmulator;
  beforeAll(async () => {
    slow = await startTestEmulator({ lroDelayMs: 3_600_000 });
  });
  afterAll(async () => {
    await slow.stop();
  });

  it('the deployment is Running, its status poll says Running with Retry-After, and the operation shows the write Running', async () => {
    const put = await armRequest(slow, 'PUT', `${deploymentPath('slow')}?api-version=${DEPLOYMENTS_API}`, { properties: { mode: 'Incremental', template: template([zone('privatelink.slow.example')]) } });
    expect(put.body.properties.provisioningState).toBe('Accepted');
    const poll = await armRequest(slow, 'GET', put.headers['azure-asyncoperation']);
    expect(poll.body.status).toBe('Running');
    expect(poll.headers['retry-after']).toBe('0');
    const dep = await armRequest(slow, 'GET', `${deploymentPath('slow')}?api-version=${DEPLOYMENTS_API}`);
    expect(dep.body.properties.provisioningState).toBe('Running');
    const ops = await armRequest(slow, 'GET', `${deploymentPath('slow')}/operations?api-version=${DEPLOYMENTS_API}`);
    expect(ops.body.value.map((o: any) => o.properties.provisioningState)).toEqual(['Running']);
    const again = await armRequest(slow, 'PUT', `${deploymentPath('slow')}?api-version=${DEPLOYMENTS_API}`, { properties: { mode: 'Incremental', template: template([zone('privatelink.slow.example')]) } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DeploymentActive');
  });
});

describe('a deployment with secure parameters', () => {
  it('keeps their values out of its GET and out of the emulator state the control endpoint shows', async () => {
    const t = template([zone("[concat('privatelink.', parameters('suffix'))]")], { parameters: { suffix: { type: 'string' }, key: { type: 'securestring' } } });
    const run = await deployTemplate(emu, 'secure', t, { suffix: { value: 'secure-test.example' }, key: { value: 'AccountKey=not-for-logs' } });
    expect(run.final.properties.provisioningState).toBe('Succeeded');
    expect(JSON.stringify(run.final)).not.toContain('not-for-logs');
    expect(JSON.stringify(await emu.control('GET', 'state'))).not.toContain('not-for-logs');
  });
});
