/**
 * Signing in as most people do: `az login`, then the tool. Debian's az signs in to the emulator
 * (registered as a custom cloud), then `setup` and `validate` run with no client secret in the
 * environment and no --subscription: the token comes from `az account get-access-token` and the
 * subscription is the Azure CLI's default. Skipped locally when `az` is missing; required in CI.
 */
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { AzureCli, azureCliFor } from '../support/azure-cli.js';
import { DEMO_TARGETS } from '../support/cli.js';
import { TestHost } from '../support/test-host.js';
import { runCommand } from '../../src/commands/index.js';

const az = azureCliFor('az login');

describe.skipIf(!az)('signed in with az login, no secret, no --subscription', { timeout: 120_000 }, () => {
  let emu: TestEmulator;
  let cli: AzureCli;
  let env: NodeJS.ProcessEnv;
  const { subscription: _subscription, ...targets } = DEMO_TARGETS;

  beforeAll(async () => {
    emu = await startTestEmulator();
    cli = new AzureCli(az!, emu);
    await cli.login(DEMO.tenantId, DEMO.owner.clientId, DEMO.owner.secret);
    env = { ...cli.environment(), SECURE_DOCINTEL_RETRY_DELAY_MS: '50' };
    for (const k of ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_AUTHORITY_HOST', 'AZURE_SUBSCRIPTION_ID']) delete env[k];
    // AzureCliCredential starts `az` with this process's environment.
    for (const [k, v] of Object.entries(env)) if (v !== undefined) vi.stubEnv(k, v);
    for (const k of ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_AUTHORITY_HOST', 'AZURE_SUBSCRIPTION_ID']) vi.stubEnv(k, undefined);
  }, 120_000);

  afterAll(async () => {
    vi.unstubAllEnvs();
    cli?.dispose();
    await emu?.stop();
  });

  async function run(command: string, options: Record<string, unknown> = {}) {
    const host = new TestHost(false);
    const code = await runCommand(command, { ...targets, armEndpoint: emu.url, caCert: emu.caFile, nonInteractive: true, ...options }, { host, env, stdinIsTty: false });
    return { code, host };
  }

  it('setup converges on the az token and the az default subscription', async () => {
    const { code, host } = await run('setup', { yes: true });
    expect(code, host.err + host.out).toBe(0);
    expect(host.err).toContain(`Using the Azure CLI's default subscription '${DEMO.subscriptionName}' (${DEMO.subscriptionId})`);
    const callers = new Set((await emu.control('GET', 'requests?kind=arm')).value.map((e: { callerObjectId?: string }) => e.callerObjectId));
    expect(callers.size).toBe(1);
  });

  it('validate then passes on the same sign-in', async () => {
    const { code, host } = await run('validate');
    expect(code, host.err + host.out).toBe(0);
    expect(host.err).toContain(`Using the Azure CLI's default subscription '${DEMO.subscriptionName}'`);
  });
});
