/** The Azure CLI's default subscription, read from a fake azureProfile.json in a temporary AZURE_CONFIG_DIR. */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azureCliDefaultSubscription, subscriptionFromAzureCli } from '../../src/azure/az-profile.js';

const BOM = '\uFEFF';
const SUB_A = 'aaaaaaaa-0000-0000-0000-000000000001';
const SUB_B = 'bbbbbbbb-0000-0000-0000-000000000002';
const SUB_GOV = 'cccccccc-0000-0000-0000-000000000003';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'az-profile-test-'));
  env = { AZURE_CONFIG_DIR: dir };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function profile(subscriptions: object[], { bom = true } = {}): void {
  writeFileSync(join(dir, 'azureProfile.json'), (bom ? BOM : '') + JSON.stringify({ installationId: 'x', subscriptions }));
}
const entry = (id: string, name: string, isDefault: boolean, environmentName = 'AzureCloud') => ({
  id, name, isDefault, environmentName, state: 'Enabled', tenantId: 't', user: { name: 'someone@example.com', type: 'user' },
});

describe('the Azure CLI default subscription', () => {
  it('is the isDefault entry of azureProfile.json, read through the BOM az writes', () => {
    profile([entry(SUB_A, 'Dev', false), entry(SUB_B, 'Prod', true)]);
    expect(azureCliDefaultSubscription(env)).toEqual({ id: SUB_B, name: 'Prod', tenantId: 't', cloud: 'AzureCloud' });
  });

  it('also reads a profile without a BOM', () => {
    profile([entry(SUB_A, 'Dev', true)], { bom: false });
    expect(azureCliDefaultSubscription(env)?.id).toBe(SUB_A);
  });

  it("belongs to az's active cloud (config [cloud] name, or AZURE_CLOUD_NAME)", () => {
    profile([entry(SUB_A, 'Public', true), entry(SUB_GOV, 'Gov', true, 'AzureUSGovernment')]);
    writeFileSync(join(dir, 'config'), `${BOM}[core]\noutput = json\n\n[cloud]\nname = AzureUSGovernment\n`);
    expect(azureCliDefaultSubscription(env)?.id).toBe(SUB_GOV);
    expect(azureCliDefaultSubscription({ ...env, AZURE_CLOUD_NAME: 'AzureCloud' })?.id).toBe(SUB_A);
  });

  it('is absent when az has no login, no default, or an unreadable profile', () => {
    expect(azureCliDefaultSubscription(env)).toBeUndefined();
    profile([entry(SUB_A, 'Dev', false)]);
    expect(azureCliDefaultSubscription(env)).toBeUndefined();
    writeFileSync(join(dir, 'azureProfile.json'), `${BOM}{ not json`);
    expect(azureCliDefaultSubscription(env)).toBeUndefined();
  });

  it('is used only when the run signed in with az, never with a service principal from the environment', () => {
    profile([entry(SUB_A, 'Dev', true)]);
    expect(subscriptionFromAzureCli('azure-cli', env)?.id).toBe(SUB_A);
    expect(subscriptionFromAzureCli('default-chain', env)?.id).toBe(SUB_A);
    expect(subscriptionFromAzureCli('default-chain', { ...env, AZURE_CLIENT_ID: 'x' })).toBeUndefined();
    expect(subscriptionFromAzureCli('client-secret', env)).toBeUndefined();
  });
});
