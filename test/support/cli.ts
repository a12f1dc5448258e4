/** Runs the product's commands in-process against a test emulator, as a pipeline would. */
import { runCommand } from '../../src/commands/index.js';
import { DEMO, type TestEmulator } from './emulator.js';
import { TestHost } from './test-host.js';

export const DEMO_TARGETS = {
  subscription: DEMO.subscriptionId,
  resourceGroup: DEMO.resourceGroup,
  docintel: DEMO.account,
  storage: DEMO.storage,
  vnet: DEMO.vnet,
  subnet: DEMO.subnet,
};

export interface CliRun {
  code: number;
  out: string;
  err: string;
  host: TestHost;
  json(): any;
}

export async function runCli(
  emu: TestEmulator,
  command: string,
  options: Record<string, unknown> = {},
  opts: { host?: TestHost; caller?: 'owner' | 'reader'; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  const who = opts.caller === 'reader' ? DEMO.reader : DEMO.owner;
  const host = opts.host ?? new TestHost(false);
  const env = {
    AZURE_TENANT_ID: DEMO.tenantId,
    AZURE_CLIENT_ID: who.clientId,
    AZURE_CLIENT_SECRET: who.secret,
    AZURE_AUTHORITY_HOST: emu.url,
    SECURE_DOCINTEL_RETRY_DELAY_MS: '200',
    ...opts.env,
  };
  const code = await runCommand(
    command,
    { armEndpoint: emu.url, caCert: emu.caFile, nonInteractive: !host.interactive, ...options },
    { host, env, stdinIsTty: host.interactive },
  );
  return { code, out: host.out, err: host.err, host, json: () => JSON.parse(host.out) };
}
