/**
 * Flags and environment variables, checked before anything touches Azure. Every problem found here
 * is a usage error (exit 2) that names the flag to fix; nothing has been written.
 */
import { UsageError } from './errors.js';
import { isPrivateOrReserved, parseIpv4OrCidr, storageIpRule, WIDE_PREFIX } from './ip.js';
import { parseCloud, type Cloud } from './cloud.js';
import { GUID, NAME_RULES, looksLikeId, parseTypedId } from './resource-id.js';

/** What commander gives us (all optional strings/booleans). */
export interface RawOptions {
  subscription?: string;
  resourceGroup?: string;
  location?: string;
  docintel?: string;
  storage?: string;
  vnet?: string;
  subnet?: string;
  dnsZoneSubscription?: string;
  dnsZoneResourceGroup?: string;
  skipDns?: boolean;
  disablePublicAccess?: boolean;
  allowIp?: string[];
  allowClientIp?: boolean;
  clientIp?: string;
  allowStudio?: boolean;
  accessRule?: string;
  role?: string;
  customSubdomain?: string;
  cloud?: string;
  armEndpoint?: string;
  caCert?: string;
  emulator?: boolean;
  nonInteractive?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  detailedExitcode?: boolean;
  output?: string;
  verbose?: boolean;
  keepSubnetPolicies?: boolean;
  createVnet?: string;
  vnetAddressPrefix?: string;
  subnetAddressPrefix?: string;
  /** setup over every account of this file (inventory/read-inventory.ts) */
  inventory?: string;
  concurrency?: string;
  journal?: string;
  force?: boolean;
}

export type AccessRule = 'trusted-services' | 'resource-instance';
export type DataRole = 'reader' | 'contributor';

export interface Settings {
  subscription?: string;
  resourceGroup?: string;
  location?: string;
  docintel?: string;
  storage?: string;
  vnet?: string;
  subnet?: string;
  dnsZoneSubscription?: string;
  dnsZoneResourceGroup?: string;
  skipDns: boolean;
  disablePublicAccess: boolean;
  /** normalised public IPv4 addresses / CIDRs to allow on both firewalls */
  allowIps: string[];
  allowClientIp: boolean;
  clientIp?: string;
  allowStudio: boolean;
  accessRule: AccessRule;
  role: DataRole;
  customSubdomain?: string;
  cloud: Cloud;
  armEndpoint?: string;
  caCert?: string;
  emulator: boolean;
  interactive: boolean;
  yes: boolean;
  dryRun: boolean;
  /** with dryRun: exit 4 when changes are pending */
  detailedExitcode: boolean;
  /** csv: audit only (its inventory) */
  output: 'text' | 'json' | 'csv';
  verbose: boolean;
  /** leave the subnet's privateEndpointNetworkPolicies as they are (the guide enables them) */
  keepSubnetPolicies: boolean;
  /** a virtual network to use, created (with the subnet) in the account's group when it does not exist */
  createVnet?: string;
  vnetAddressPrefix?: string;
  subnetAddressPrefix?: string;
  /** where this run's journal goes (default: a new file in the runs directory) */
  journal?: string;
  /** undo: restore resources changed since the run too */
  force: boolean;
  /** the options given as flags: an interactive run asks only about the others */
  given: ReadonlySet<keyof RawOptions>;
}

export const ENV = {
  subscription: 'AZURE_SUBSCRIPTION_ID',
  resourceGroup: 'SECURE_DOCINTEL_RESOURCE_GROUP',
  location: 'SECURE_DOCINTEL_LOCATION',
  docintel: 'SECURE_DOCINTEL_ACCOUNT',
  storage: 'SECURE_DOCINTEL_STORAGE',
  vnet: 'SECURE_DOCINTEL_VNET',
  subnet: 'SECURE_DOCINTEL_SUBNET',
  armEndpoint: 'SECURE_DOCINTEL_ARM_ENDPOINT',
  caCert: 'SECURE_DOCINTEL_CA_CERT',
  cloud: 'AZURE_CLOUD',
} as const;

export const STUDIO_IP = '20.3.165.95';

function checkName(problems: string[], flag: string, value: string | undefined, rule: { re: RegExp; rule: string }, type?: string): void {
  if (value === undefined) return;
  if (type && looksLikeId(value)) {
    if (!parseTypedId(value, type)) problems.push(`${flag} '${value}' is not a ${type} resource id (/subscriptions/<id>/resourceGroups/<group>/providers/${type}/<name>).`);
    return;
  }
  if (!rule.re.test(value)) problems.push(`${flag} '${value}' is not a valid name: ${rule.rule}.`);
}

export function resolveSettings(raw: RawOptions, env: NodeJS.ProcessEnv, stdinIsTty: boolean): Settings {
  const problems: string[] = [];
  const pick = (v: string | undefined, key: keyof typeof ENV) => {
    const value = v ?? env[ENV[key]];
    return value === undefined || value === '' ? undefined : value.trim();
  };
  // an id or a display name; a name is looked up once signed in (subscription-by-name.ts)
  const subscription = pick(raw.subscription, 'subscription');
  const dnsZoneSubscription = raw.dnsZoneSubscription?.trim();
  if (dnsZoneSubscription && !GUID.test(dnsZoneSubscription)) problems.push(`--dns-zone-subscription '${dnsZoneSubscription}' is not a subscription id (a GUID).`);
  const resourceGroup = pick(raw.resourceGroup, 'resourceGroup');
  checkName(problems, '--resource-group', resourceGroup, NAME_RULES.resourceGroup);
  checkName(problems, '--dns-zone-resource-group', raw.dnsZoneResourceGroup, NAME_RULES.resourceGroup);
  const docintel = pick(raw.docintel, 'docintel');
  checkName(problems, '--docintel', docintel, NAME_RULES.account, 'Microsoft.CognitiveServices/accounts');
  const storage = pick(raw.storage, 'storage');
  checkName(problems, '--storage', storage, NAME_RULES.storage, 'Microsoft.Storage/storageAccounts');
  const vnet = pick(raw.vnet, 'vnet');
  checkName(problems, '--vnet', vnet, NAME_RULES.vnet, 'Microsoft.Network/virtualNetworks');
  const subnet = pick(raw.subnet, 'subnet');
  checkName(problems, '--subnet', subnet, NAME_RULES.subnet);
  if (raw.customSubdomain !== undefined) checkName(problems, '--custom-subdomain', raw.customSubdomain, NAME_RULES.subdomain);
  const location = pick(raw.location, 'location')?.toLowerCase().replace(/\s+/g, '');
  if (location !== undefined && !/^[a-z][a-z0-9]{2,30}$/.test(location)) problems.push(`--location '${location}' is not an Azure region name (e.g. eastus, westeurope).`);

  const cloud = parseCloud(raw.cloud ?? env[ENV.cloud]);
  if (!cloud) problems.push(`--cloud '${raw.cloud ?? env[ENV.cloud]}' is unknown: use AzureCloud, AzureUSGovernment or AzureChinaCloud.`);

  const armEndpoint = pick(raw.armEndpoint, 'armEndpoint');
  if (armEndpoint !== undefined) {
    let u: URL | undefined;
    try {
      u = new URL(armEndpoint);
    } catch {
      u = undefined;
    }
    if (!u || u.protocol !== 'https:' || (u.pathname !== '/' && u.pathname !== '') || u.search) {
      problems.push(`--arm-endpoint '${armEndpoint}' is not an https origin (e.g. https://127.0.0.1:8443).`);
    }
  }
  const caCert = pick(raw.caCert, 'caCert');

  const allowIps: string[] = [];
  for (const ip of raw.allowIp ?? []) {
    const r = storageIpRule(ip);
    if ('error' in r) problems.push(`--allow-ip ${r.error}`);
    else if (!allowIps.includes(r.value)) allowIps.push(r.value);
  }
  const interactive = !raw.nonInteractive && stdinIsTty && env.CI !== 'true';
  const wide = wideRanges(allowIps);
  if (wide.length && !raw.yes && !interactive) {
    problems.push(`--allow-ip ${wide.join(', ')} admits more than ${2 ** (32 - WIDE_PREFIX)} addresses; pass --yes to confirm that range, or allow a narrower one (/${WIDE_PREFIX} or longer).`);
  }
  let clientIp: string | undefined;
  if (raw.clientIp !== undefined) {
    const r = storageIpRule(raw.clientIp);
    if ('error' in r) problems.push(`--client-ip ${r.error}`);
    else if (raw.clientIp.includes('/')) problems.push(`--client-ip '${raw.clientIp}' must be a single address.`);
    else clientIp = r.value;
  }

  // Enum values are case-insensitive, as the Azure CLI's are (`--role Reader`, `-o JSON`).
  const accessRule = (raw.accessRule ?? 'trusted-services').toLowerCase() as AccessRule;
  if (accessRule !== 'trusted-services' && accessRule !== 'resource-instance') problems.push(`--access-rule '${raw.accessRule}' is unknown: use trusted-services or resource-instance.`);
  const role = (raw.role ?? 'reader').toLowerCase() as DataRole;
  if (role !== 'reader' && role !== 'contributor') problems.push(`--role '${raw.role}' is unknown: use reader (Storage Blob Data Reader) or contributor (Storage Blob Data Contributor).`);
  const output = (raw.output ?? 'text').toLowerCase() as Settings['output'];
  if (output !== 'text' && output !== 'json' && output !== 'csv') problems.push(`--output '${raw.output}' is unknown: use text or json (audit also csv).`);
  if (raw.skipDns && (raw.dnsZoneResourceGroup || raw.dnsZoneSubscription)) {
    problems.push('--skip-dns conflicts with --dns-zone-resource-group/--dns-zone-subscription: either let secure-docintel manage the zones there, or skip DNS (Azure Policy manages it).');
  }
  if (raw.detailedExitcode && !raw.dryRun) problems.push('--detailed-exitcode only applies to --dry-run: it makes a plan with pending changes exit 4.');
  const createVnet = raw.createVnet?.trim();
  checkName(problems, '--create-vnet', createVnet, NAME_RULES.vnet);
  if (createVnet && vnet && vnet.toLowerCase() !== createVnet.toLowerCase()) problems.push(`--create-vnet ${createVnet} conflicts with --vnet ${vnet}: pass one of them (--create-vnet uses the VNet when it exists already).`);
  if (!createVnet && (raw.vnetAddressPrefix || raw.subnetAddressPrefix) && !vnet) problems.push('--vnet-address-prefix and --subnet-address-prefix need --create-vnet <name>.');
  for (const [flag, value] of [['--vnet-address-prefix', raw.vnetAddressPrefix], ['--subnet-address-prefix', raw.subnetAddressPrefix]] as const) {
    if (value === undefined) continue;
    const p = parseIpv4OrCidr(value);
    if (!p || !value.includes('/') || p.prefix > 29 || p.prefix < 8) problems.push(`${flag} '${value}' is not an address prefix between /8 and /29 (e.g. 10.20.0.0/16).`);
    else if (!isPrivateOrReserved(p.address)) problems.push(`${flag} '${value}' is a public range; use a private one (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16).`);
  }
  if (raw.journal !== undefined && !raw.journal.trim()) problems.push('--journal needs a file path.');
  if (raw.emulator && armEndpoint) problems.push('--emulator conflicts with --arm-endpoint: --emulator starts its own endpoint.');

  if (problems.length) {
    throw new UsageError(problems.join('\n'), 'Fix the flags above and run again; nothing was written.');
  }
  return {
    subscription,
    resourceGroup,
    location,
    docintel,
    storage,
    vnet,
    subnet,
    dnsZoneSubscription,
    dnsZoneResourceGroup: raw.dnsZoneResourceGroup,
    skipDns: !!raw.skipDns,
    disablePublicAccess: !!raw.disablePublicAccess,
    allowIps,
    allowClientIp: !!raw.allowClientIp,
    clientIp,
    allowStudio: !!raw.allowStudio,
    accessRule,
    role,
    customSubdomain: raw.customSubdomain,
    cloud: cloud!,
    armEndpoint,
    caCert,
    emulator: !!raw.emulator,
    interactive,
    yes: !!raw.yes,
    dryRun: !!raw.dryRun,
    detailedExitcode: !!raw.detailedExitcode,
    output,
    verbose: !!raw.verbose,
    keepSubnetPolicies: !!raw.keepSubnetPolicies,
    createVnet,
    vnetAddressPrefix: raw.vnetAddressPrefix,
    subnetAddressPrefix: raw.subnetAddressPrefix,
    journal: raw.journal?.trim() || undefined,
    force: !!raw.force,
    given: new Set((Object.keys(raw) as (keyof RawOptions)[]).filter((k) => raw[k] !== undefined && !(Array.isArray(raw[k]) && !(raw[k] as unknown[]).length))),
  };
}

/** Allow entries wider than /24: they need a confirmation (asked interactively, or --yes). */
export function wideRanges(allowIps: string[]): string[] {
  return allowIps.filter((ip) => ip.includes('/') && Number(ip.split('/')[1]) < WIDE_PREFIX);
}
