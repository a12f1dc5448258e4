/**
 * Bad input, case by case: each ends with exit 2 (or 1 where Azure is the one that refuses), a
 * message naming what to fix, no write in the emulator's log, no stack trace and no secret.
 * Most cases run the command in-process; the ones commander rejects run the built binary.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { rootCertificates } from 'node:tls';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { runCli, DEMO_TARGETS, installedCopy, runChild, childEnv, demoArgs } from '../support/cli.js';
import { TestHost } from '../support/test-host.js';
import { RG, ACCOUNT_ID, VNET_ID, find, stateOf, armWrites, expectNoStack, expectNoSecrets } from './support.js';

const OTHER_SUB = '99999999-9999-4999-8999-999999999999';
const T = { ...DEMO_TARGETS, yes: true };
const dir = mkdtempSync(join(tmpdir(), 'sd-bad-input-'));
const notPem = join(dir, 'not-a-cert.pem');
writeFileSync(notPem, 'hello, not a certificate\n');
const otherCa = join(dir, 'other-ca.pem');
writeFileSync(otherCa, rootCertificates[0]);

type Seed = (emu: TestEmulator) => Promise<void>;

/** A Cognitive Services account of kind TextAnalytics beside the demo account. */
const textAnalytics: Seed = async (emu) => {
  const account = structuredClone(find(await stateOf(emu), ACCOUNT_ID));
  account.id = `${RG}/providers/Microsoft.CognitiveServices/accounts/ta-demo`;
  account.name = 'ta-demo';
  account.kind = 'TextAnalytics';
  await emu.control('PUT', 'state', { resources: [account] });
};

/** A VNet in westus with a subnet. */
const westVnet: Seed = async (emu) => {
  const vnet = structuredClone(find(await stateOf(emu), VNET_ID));
  vnet.id = `${RG}/providers/Microsoft.Network/virtualNetworks/vnet-west`;
  vnet.name = 'vnet-west';
  vnet.location = 'westus';
  for (const s of vnet.properties.subnets) s.id = `${vnet.id}/subnets/${s.name}`;
  await emu.control('PUT', 'state', { resources: [vnet] });
};

/** The account already has a custom subdomain. */
const withSubdomain: Seed = async (emu) => {
  const account = find(await stateOf(emu), ACCOUNT_ID);
  account.properties.customSubDomainName = 'docintel-demo';
  await emu.control('PUT', 'state', { resources: [account] });
};

interface Case {
  name: string;
  command?: string;
  options?: Record<string, unknown>;
  /** options replaced, not merged with the demo targets */
  only?: boolean;
  env?: NodeJS.ProcessEnv;
  seed?: Seed;
  faults?: unknown[];
  code: 1 | 2;
  says: RegExp;
}

const CASES: Case[] = [
  // identifiers and names
  { name: 'subscription name no one has', options: { subscription: 'my-subscription' }, code: 2, says: /--subscription 'my-subscription' is neither a subscription id/ },
  { name: 'subscription id one digit short', options: { subscription: '22222222-2222-2222-2222-22222222222' }, code: 2, says: /--subscription .* GUID/ },
  { name: 'resource group with invalid characters', options: { resourceGroup: 'rg bad!' }, code: 2, says: /--resource-group 'rg bad!' is not a valid name: 1-90 letters/ },
  { name: 'resource group ending in a period', options: { resourceGroup: 'rg-docintel.' }, code: 2, says: /--resource-group .* not ending in a period/ },
  { name: 'resource group of 91 characters', options: { resourceGroup: 'r'.repeat(91) }, code: 2, says: /--resource-group .* 1-90/ },
  { name: 'account name starting with a hyphen', options: { docintel: '-docintel' }, code: 2, says: /--docintel '-docintel' is not a valid name/ },
  { name: 'account name of 65 characters', options: { docintel: 'a'.repeat(65) }, code: 2, says: /--docintel .* 2-64/ },
  { name: 'storage name with capitals', options: { storage: 'StDocIntel' }, code: 2, says: /--storage 'StDocIntel' .* 3-24 lowercase letters and digits/ },
  { name: 'storage name too short', options: { storage: 'st' }, code: 2, says: /--storage 'st' .* 3-24/ },
  { name: 'storage name with a hyphen', options: { storage: 'st-docintel' }, code: 2, says: /--storage 'st-docintel'/ },
  { name: 'VNet name with a space', options: { vnet: 'vnet demo' }, code: 2, says: /--vnet 'vnet demo' is not a valid name/ },
  { name: 'subnet name with an exclamation mark', options: { subnet: 'snet!' }, code: 2, says: /--subnet 'snet!' is not a valid name/ },
  { name: 'custom subdomain with an underscore', command: 'private-endpoint', options: { customSubdomain: 'Bad_Sub' }, code: 2, says: /--custom-subdomain 'Bad_Sub' .* lowercase/ },
  { name: 'location that is not a region name', options: { location: 'east-us!' }, code: 2, says: /--location .* not an Azure region name/ },
  // resource ids of the wrong type or place
  { name: '--docintel is a storage account id', options: { docintel: `${RG}/providers/Microsoft.Storage/storageAccounts/stdocinteldemo` }, code: 2, says: /--docintel .* is not a Microsoft.CognitiveServices\/accounts resource id/ },
  { name: '--storage is an account id', options: { storage: ACCOUNT_ID }, code: 2, says: /--storage .* is not a Microsoft.Storage\/storageAccounts resource id/ },
  { name: '--vnet is a subnet id', options: { vnet: `${VNET_ID}/subnets/snet-pe` }, code: 2, says: /--vnet .* is not a Microsoft.Network\/virtualNetworks resource id/ },
  { name: '--docintel id in another subscription than --subscription', options: { docintel: ACCOUNT_ID.replace(DEMO.subscriptionId, OTHER_SUB) }, code: 2, says: /--docintel is in subscription 9999.*Pass matching values/s },
  { name: 'storage in a subscription the caller cannot read', options: { storage: `/subscriptions/${OTHER_SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stother` }, code: 2, says: /No storage account 'stother' in resource group 'rg-data' of subscription 9999.*Check --storage/s },
  { name: 'VNet in a subscription the caller cannot read', options: { vnet: VNET_ID.replace(DEMO.subscriptionId, OTHER_SUB) }, code: 2, says: /No virtual network 'vnet-demo' in resource group 'rg-docintel-demo' of subscription 9999.*Check --vnet/s },
  // resources that exist but are wrong, or do not exist
  { name: 'account of the wrong kind (TextAnalytics)', seed: textAnalytics, options: { docintel: 'ta-demo' }, code: 2, says: /kind 'TextAnalytics', not Document Intelligence.*--docintel/s },
  { name: 'account that does not exist', options: { docintel: 'di-missing' }, code: 2, says: /No Cognitive Services account 'di-missing'.*Check --docintel/s },
  { name: 'resource group that does not exist', options: { resourceGroup: 'rg-missing' }, code: 2, says: /rg-missing.*(Check|--resource-group)/s },
  { name: 'storage account that does not exist', options: { storage: 'stmissing' }, code: 2, says: /No storage account 'stmissing'.*Check --storage/s },
  { name: 'VNet that does not exist', options: { vnet: 'vnet-missing' }, code: 2, says: /No virtual network 'vnet-missing'.*Check --vnet/s },
  { name: 'subnet missing from the VNet', options: { subnet: 'snet-missing' }, code: 2, says: /has no subnet 'snet-missing' \(it has: snet-pe\).*--subnet/s },
  { name: 'VNet in another region than --location', seed: westVnet, options: { vnet: 'vnet-west', location: 'eastus' }, code: 2, says: /--location eastus differs from the VNet's region westus.*--location westus/s },
  { name: 'subscription that does not exist', options: { subscription: OTHER_SUB }, code: 2, says: /subscription 9999.*Check .*--subscription/s },
  { name: 'grant before the account has an identity', command: 'grant', code: 2, says: /no system-assigned managed identity yet.*secure-docintel identity/s },
  { name: '--custom-subdomain other than the one the account has', seed: withSubdomain, command: 'private-endpoint', options: { customSubdomain: 'other-name' }, code: 2, says: /already has the custom subdomain 'docintel-demo'.*without --custom-subdomain/s },
  // firewall entries
  { name: '--allow-ip that is not an address', options: { allowIp: ['not-an-ip'] }, code: 2, says: /--allow-ip 'not-an-ip' is not an IPv4 address or CIDR/ },
  { name: '--allow-ip with an octet above 255', options: { allowIp: ['300.1.1.1'] }, code: 2, says: /--allow-ip '300.1.1.1' is not an IPv4/ },
  { name: '--allow-ip with a prefix above 32', options: { allowIp: ['203.0.113.0/33'] }, code: 2, says: /--allow-ip '203.0.113.0\/33'/ },
  { name: '--allow-ip /31', options: { allowIp: ['203.0.113.0/31'] }, code: 2, says: /\/31 or \/32.*pass the address alone/ },
  { name: '--allow-ip /32', options: { allowIp: ['203.0.113.7/32'] }, code: 2, says: /\/31 or \/32.*\(203\.0\.113\.7\)/ },
  { name: '--allow-ip in 10/8', options: { allowIp: ['10.1.2.3'] }, code: 2, says: /includes 10\.0\.0\.0\/8 \(private\), a private or reserved range/ },
  { name: '--allow-ip in 192.168/16', options: { allowIp: ['192.168.1.0/24'] }, code: 2, says: /includes 192\.168\.0\.0\/16 \(private\)/ },
  { name: '--allow-ip in 172.16/12', options: { allowIp: ['172.20.0.1'] }, code: 2, says: /includes 172\.16\.0\.0\/12 \(private\)/ },
  { name: '--allow-ip loopback', options: { allowIp: ['127.0.0.1'] }, code: 2, says: /includes 127\.0\.0\.0\/8 \(loopback\)/ },
  { name: '--allow-ip 172.0.0.0/8, whose base is public but which contains 172.16/12', options: { allowIp: ['172.0.0.0/8'] }, code: 2, says: /'172\.0\.0\.0\/8' includes 172\.16\.0\.0\/12 \(private\)/ },
  { name: '--allow-ip 100.0.0.0/8, which contains the shared 100.64/10', options: { allowIp: ['100.0.0.0/8'] }, code: 2, says: /'100\.0\.0\.0\/8' includes 100\.64\.0\.0\/10 \(shared\)/ },
  { name: '--allow-ip 192.0.0.0/16, which contains reserved 192.0.0/24', options: { allowIp: ['192.0.0.0/16'] }, code: 2, says: /includes 192\.0\.0\.0\/24 \(reserved\)/ },
  { name: '--allow-ip with host bits set', options: { allowIp: ['1.2.3.4/8'] }, code: 2, says: /'1\.2\.3\.4\/8' has host bits set.*Pass 1\.0\.0\.0\/8, or the address 1\.2\.3\.4 alone/ },
  { name: '--allow-ip with leading zeros', options: { allowIp: ['052.168.001.001'] }, code: 2, says: /leading zeros.*\(52\.168\.1\.1\)/ },
  { name: '--client-ip with leading zeros', options: { allowClientIp: true, clientIp: '020.001.002.003' }, code: 2, says: /--client-ip '020\.001\.002\.003' has leading zeros.*\(20\.1\.2\.3\)/ },
  { name: '--allow-ip wider than /24 without --yes in a non-interactive run', options: { allowIp: ['11.0.0.0/8'], yes: false }, code: 2, says: /--allow-ip 11\.0\.0\.0\/8 admits more than 256 addresses; pass --yes/ },
  { name: '--allow-ip 0.0.0.0/0', options: { allowIp: ['0.0.0.0/0'] }, code: 2, says: /0\.0\.0\.0\/0/ },
  { name: '--allow-ip wider than /8', options: { allowIp: ['20.0.0.0/7'] }, code: 2, says: /wider than \/8/ },
  { name: '--allow-ip mixed good and bad', options: { allowIp: ['203.0.113.7', '10.0.0.1'] }, code: 2, says: /'10\.0\.0\.1' includes 10\.0\.0\.0\/8/ },
  { name: '--client-ip given as a CIDR', options: { allowClientIp: true, clientIp: '203.0.113.0/24' }, code: 2, says: /--client-ip .* must be a single address/ },
  { name: '--allow-client-ip without --client-ip', options: { allowClientIp: true }, code: 2, says: /--client-ip <address>/ },
  // flags and their combinations
  { name: 'unknown cloud', options: { cloud: 'AzureMars' }, code: 2, says: /--cloud 'AzureMars' is unknown: use AzureCloud/ },
  { name: 'unknown cloud from AZURE_CLOUD', env: { AZURE_CLOUD: 'AzureGermanCloud' }, code: 2, says: /--cloud 'AzureGermanCloud' is unknown/ },
  { name: 'unknown --output', options: { output: 'yaml' }, code: 2, says: /--output 'yaml' is unknown: use text or json/ },
  { name: 'unknown --role (in-process)', command: 'grant', options: { role: 'owner' }, code: 2, says: /--role 'owner' is unknown: use reader .* or contributor/ },
  { name: 'unknown --access-rule (in-process)', command: 'storage-lockdown', options: { accessRule: 'everyone' }, code: 2, says: /--access-rule 'everyone' is unknown/ },
  { name: '--skip-dns with --dns-zone-resource-group', options: { skipDns: true, dnsZoneResourceGroup: 'rg-dns' }, code: 2, says: /--skip-dns conflicts with --dns-zone-resource-group/ },
  { name: '--skip-dns with --dns-zone-subscription', options: { skipDns: true, dnsZoneSubscription: DEMO.subscriptionId }, code: 2, says: /--skip-dns conflicts/ },
  { name: '--dns-zone-subscription that is not a GUID', options: { dnsZoneSubscription: 'hub' }, code: 2, says: /--dns-zone-subscription 'hub' is not a subscription id/ },
  { name: '--dns-zone-resource-group with invalid characters', options: { dnsZoneResourceGroup: 'rg dns' }, code: 2, says: /--dns-zone-resource-group 'rg dns' is not a valid name/ },
  { name: '--emulator with --arm-endpoint', options: { emulator: true }, code: 2, says: /--emulator conflicts with --arm-endpoint/ },
  { name: 'lock-out and permanent changes without --yes in a non-interactive run', options: { yes: false }, code: 2, says: /needs confirmation.*pass --yes/s },
  { name: 'missing inputs in a non-interactive run', only: true, options: { subscription: DEMO.subscriptionId }, code: 2, says: /--resource-group <name> or set SECURE_DOCINTEL_RESOURCE_GROUP/ },
  // endpoint, CA and credentials
  { name: 'malformed --arm-endpoint', options: { armEndpoint: 'not a url' }, code: 2, says: /--arm-endpoint 'not a url' is not an https origin/ },
  { name: '--arm-endpoint over http', options: { armEndpoint: 'http://127.0.0.1:8443' }, code: 2, says: /--arm-endpoint .* https origin/ },
  { name: '--arm-endpoint with a path', options: { armEndpoint: 'https://127.0.0.1:8443/subscriptions' }, code: 2, says: /--arm-endpoint .* https origin/ },
  { name: 'unreadable CA file', options: { caCert: join(dir, 'missing.pem') }, code: 2, says: /Cannot read the CA certificate file .*ENOENT.*Pass --ca-cert/s },
  { name: 'CA file that holds no certificate', options: { caCert: notPem }, code: 2, says: /holds no PEM certificate.*--ca-cert/s },
  { name: 'CA file of another CA (the endpoint is not trusted)', options: { caCert: otherCa }, code: 2, says: /certificate.*--ca-cert/is },
  { name: 'no CA file for an endpoint with a private CA', options: { caCert: undefined }, code: 2, says: /certificate.*--ca-cert/is },
  { name: 'wrong client secret', env: { AZURE_CLIENT_SECRET: 'wrong-secret' }, code: 2, says: /could not sign in to Azure.*AZURE_CLIENT_SECRET/s },
  { name: 'unknown client id', env: { AZURE_CLIENT_ID: '77777777-7777-4777-8777-777777777777' }, code: 2, says: /could not sign in to Azure.*AZURE_CLIENT_ID/s },
  { name: 'client secret with --arm-endpoint but no AZURE_AUTHORITY_HOST', env: { AZURE_AUTHORITY_HOST: '' }, code: 2, says: /AZURE_AUTHORITY_HOST is not set; the secret is sent only to the authority.*Set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_AUTHORITY_HOST/s },
  { name: 'client secret with an http AZURE_AUTHORITY_HOST', env: { AZURE_AUTHORITY_HOST: 'http://127.0.0.1:1' }, code: 2, says: /AZURE_AUTHORITY_HOST 'http:\/\/127\.0\.0\.1:1' is not an https URL/ },
  { name: 'server text with terminal control characters (printed without them)', faults: [{ method: 'GET', path: '.', status: 401, code: 'InvalidAuthenticationToken', message: 'Bad \u001b]0;owned\u0007request\u001b[2J\r text.', count: 1000 }], code: 1, says: /Azure said: Bad request text\./ },
  { name: 'expired token (ARM answers ExpiredAuthenticationToken)', faults: [{ method: 'GET', path: '.', status: 401, code: 'ExpiredAuthenticationToken', message: "The access token expiry UTC time '1/1/2026 12:00:00 AM' is earlier than current UTC time.", count: 1000 }], code: 1, says: /ExpiredAuthenticationToken.*Sign in again/s },
  { name: 'invalid token (ARM answers InvalidAuthenticationToken)', faults: [{ method: 'GET', path: '.', status: 401, code: 'InvalidAuthenticationToken', message: 'The access token is invalid.', count: 1000 }], code: 1, says: /InvalidAuthenticationToken.*AZURE_CLIENT_SECRET/s },
];

let emu: TestEmulator;
beforeAll(async () => {
  installedCopy();
  emu = await startTestEmulator();
}, 120_000);
afterAll(async () => emu.stop());

describe('bad input', () => {
  it('has at least 40 cases', () => expect(CASES.length + CLI_CASES.length).toBeGreaterThanOrEqual(40));

  it.each(CASES)('$name → exit $code', async (c) => {
    await emu.control('POST', 'reset');
    await c.seed?.(emu);
    if (c.faults) await emu.control('POST', 'faults', c.faults);
    await emu.clearLog();
    const options = c.only ? c.options! : { ...T, ...c.options };
    const run = await runCli(emu, c.command ?? 'setup', options, { env: { SECURE_DOCINTEL_RETRY_DELAY_MS: '5', ...c.env } });
    const text = run.out + run.err;
    expect(run.code, text).toBe(c.code);
    expect(text).toMatch(c.says);
    expect(text, 'names a fix').toMatch(/Fix:|pass |Pass |use |Check |Sign in|Set /);
    expect(await armWrites(emu), 'nothing written').toEqual([]);
    expectNoStack(text, c.name);
    expectNoSecrets(text, c.name);
    expect(text, 'no terminal control characters').not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('a range wider than /24 is asked about in an interactive run; declining writes nothing (exit 3)', async () => {
    await emu.control('POST', 'reset');
    await emu.clearLog();
    const host = new TestHost(true, { wideAllowIp: false });
    const run = await runCli(emu, 'setup', { ...DEMO_TARGETS, allowIp: ['11.0.0.0/8'] }, { host });
    expect(run.code, run.err).toBe(3);
    expect(host.asked.map((a) => a.id)).toEqual(['wideAllowIp']);
    expect(host.asked[0].message).toMatch(/11\.0\.0\.0\/8 admits more than 256 addresses/);
    expect(run.err).toMatch(/Nothing was written\. Pass a narrower --allow-ip/);
    expect(await armWrites(emu)).toEqual([]);
  });
});

/** Usage errors commander itself catches: only the real binary shows their exit code. */
const CLI_CASES: { name: string; args: string[]; last?: string[]; says: RegExp }[] = [
  { name: 'unknown --role', args: ['grant', '--role', 'admin'], says: /--role <role>' argument 'admin' is invalid. Allowed choices are reader, contributor/ },
  { name: 'unknown --access-rule', args: ['storage-lockdown', '--access-rule', 'everyone'], says: /Allowed choices are trusted-services, resource-instance/ },
  { name: 'unknown flag', args: ['setup', '--allow-everything'], says: /unknown option '--allow-everything'/ },
  { name: 'flag without its value', args: ['setup'], last: ['--subscription'], says: /'--subscription <id-or-name>' argument missing/ },
  { name: 'unknown command', args: ['lockdown'], says: /unknown command 'lockdown'/ },
  { name: 'no command', args: [], says: /Usage: secure-docintel/ },
];

describe('bad input the command line parser catches', () => {
  it.each(CLI_CASES)('$name → exit 2', async (c) => {
    await emu.control('POST', 'reset');
    await emu.clearLog();
    const args = c.args.length === 0 || c.args[0] === 'lockdown' ? c.args : [...c.args, ...demoArgs(emu), '--non-interactive', '--yes', ...(c.last ?? [])];
    const r = await runChild(args, childEnv(emu)).done;
    expect(r.code, r.err).toBe(2);
    expect(r.out + r.err).toMatch(c.says);
    expect(r.out + r.err).toMatch(/--help|Allowed choices|Usage/);
    expect(await armWrites(emu)).toEqual([]);
    expectNoStack(r.out + r.err, c.name);
  });
});
