/**
 * `az deployment group create` (Debian's azure-cli 2.45) with the template `export --format arm` wrote,
 * into a fresh demo emulator. az 2.45 (command_modules/resource/custom.py,
 * _deploy_arm_template_core_unmodified) sends the template file's text spliced into a JSONC body,
 * POSTs `validate` (an LRO poller), then PUTs the deployment and polls it; its JSON result is the
 * deployment. Skipped locally when `az` is missing; required in CI.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { AzureCli, azureCliFor } from '../support/azure-cli.js';
import { Cli, runCli } from '../support/cli.js';

const az = azureCliFor('az deployment group create');

describe.skipIf(!az)('az deployment group create', { timeout: 120_000 }, () => {
  let source: Cli;
  let fresh: TestEmulator;
  let owner: AzureCli;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sdi-az-deploy-'));
    file = join(dir, 'secure-docintel.json');
    source = await Cli.start();
    await source.setup();
    const r = await source.run('export', { format: 'arm', outputFile: file });
    if (r.code !== 0) throw new Error(`export failed (${r.code}): ${r.stderr}`);
    fresh = await startTestEmulator();
    owner = new AzureCli(az!, fresh);
    await owner.login(DEMO.tenantId, DEMO.owner.clientId, DEMO.owner.secret);
  }, 120_000);

  afterAll(async () => {
    owner?.dispose();
    await fresh?.stop();
    await source?.emu.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('validates, deploys and reports Succeeded; validate then passes on the fresh demo', async () => {
    await fresh.clearLog();
    const r = await owner.run(['deployment', 'group', 'create', '--resource-group', DEMO.resourceGroup, '--name', 'secure-docintel', '--template-file', file]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json.properties.provisioningState).toBe('Succeeded');
    const calls = (await fresh.armRequests()).map((e) => `${e.method} ${e.path.replace(/^.*\/deployments\//, 'deployments/')}`);
    expect(calls).toEqual(expect.arrayContaining(['POST deployments/secure-docintel/validate', 'PUT deployments/secure-docintel']));
    const v = await runCli(fresh, 'validate', { subscription: DEMO.subscriptionId, resourceGroup: DEMO.resourceGroup, docintel: DEMO.account, storage: DEMO.storage, vnet: DEMO.vnet, subnet: DEMO.subnet, output: 'json' });
    expect(v.json().checks.filter((c: { status: string }) => c.status === 'fail'), v.out).toEqual([]);
  });

  it('refuses a template calling a function the engine does not evaluate, with InvalidTemplate, before deploying', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      resources: [{ type: 'Microsoft.Network/privateDnsZones', apiVersion: '2024-06-01', name: "[base64(resourceGroup().id)]", location: 'global' }],
    }));
    await fresh.clearLog();
    const r = await owner.run(['deployment', 'group', 'create', '--resource-group', DEMO.resourceGroup, '--name', 'bad', '--template-file', bad]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('InvalidTemplate');
    expect(r.stderr).toContain("The template function 'base64' is not valid");
    expect((await fresh.armRequests()).some((e) => e.method === 'PUT')).toBe(false);
  });
});
