/**
 * The choices the guide leaves to the user, asked in an interactive run when no flag gave them:
 * each explained, with a safe default (never wider than needed). A choice with one possible answer
 * is printed, not asked. The answers go into the run's settings, where the steps read them.
 */
import type { StepContext } from '../steps/context.js';
import type { Settings } from '../core/settings.js';
import { STUDIO_IP } from '../core/settings.js';
import { storageIpRule } from '../core/ip.js';
import { privateDnsZoneName } from '../core/cloud.js';
import { NAME_RULES, rgOf, sameId, subscriptionOf } from '../core/resource-id.js';
import type { IoHost } from '../io/host.js';
import { explain } from '../io/choose.js';
import { DATA_ROLES } from '../steps/grant.js';

type Command = 'setup' | 'identity' | 'storage-lockdown' | 'grant' | 'private-endpoint' | 'validate';

const ASKS: Record<string, ('studio' | 'accessRule' | 'role' | 'dns' | 'publicAccess' | 'ips' | 'subdomain')[]> = {
  setup: ['studio', 'accessRule', 'role', 'dns', 'publicAccess', 'ips', 'subdomain'],
  'storage-lockdown': ['studio', 'ips'],
  grant: ['role'],
  'private-endpoint': ['studio', 'dns', 'publicAccess', 'ips', 'subdomain'],
};

/**
 * storage-lockdown needs the account only for a resource-instance rule, so its access rule is asked
 * before the targets are looked up.
 */
export async function askBeforeTargets(settings: Settings, host: IoHost, command: string): Promise<void> {
  if (settings.interactive && command === 'storage-lockdown') await askAccessRule(settings, host);
}

export async function askGuideChoices(ctx: StepContext, command: Command | string): Promise<void> {
  const { settings } = ctx;
  if (!settings.interactive) return;
  const asks = ASKS[command] ?? [];
  if (!asks.length) return;
  ctx.host.info('\nThe choices the guide leaves to you (flags skip these questions; see --help):');
  for (const ask of asks) {
    if (ask === 'studio') await askStudio(ctx);
    if (ask === 'accessRule') await askAccessRule(settings, ctx.host);
    if (ask === 'role') await askRole(ctx);
    if (ask === 'dns') await askDnsPlacement(ctx);
    if (ask === 'publicAccess') await askPublicAccess(ctx);
    if (ask === 'ips') await askExtraIps(ctx);
    if (ask === 'subdomain') await askSubdomain(ctx);
  }
}

async function askStudio(ctx: StepContext): Promise<void> {
  const { settings, host } = ctx;
  if (settings.given.has('allowStudio')) return;
  explain(host, [
    'Document Intelligence Studio (https://documentintelligence.ai.azure.com) calls both accounts from Microsoft\'s network, not from your VNet.',
    'Without access, once the firewalls close the Studio stops working: analyze and labeling get AccessDenied from the account, and',
    'the training container cannot be listed or read (AuthorizationFailure, and CORS errors in the browser).',
    `With access: the Studio's IP ${STUDIO_IP} is allowed on both firewalls and its origins get a CORS rule on the blob service.`,
  ]);
  settings.allowStudio = await ctx.host.select({
    id: 'allowStudio',
    message: 'Allow Document Intelligence Studio through the firewalls?',
    choices: [
      { name: 'No — only the VNet (and IPs you allow) reach the accounts', value: false, description: 'The Studio will show AccessDenied / AuthorizationFailure.' },
      { name: `Yes — allow ${STUDIO_IP} on both firewalls and CORS for the Studio on storage`, value: true, description: 'Needed to label and train in the Studio.' },
    ],
    default: false,
  });
}

async function askAccessRule(settings: Settings, host: IoHost): Promise<void> {
  if (settings.given.has('accessRule')) return;
  explain(host, [
    'Storage must still admit the account\'s managed identity once its firewall denies everything else. Two ways:',
    '  trusted-services: the exception "Allow Azure services on the trusted services list" (bypass AzureServices), as the guide does;',
    '    any trusted Azure service that authenticates with a managed identity holding a data role gets through.',
    '  resource-instance: a resource instance rule naming only this Document Intelligence account (by resource id and tenant);',
    '    narrower, and independent of the trusted-services list.',
    'Either way the identity also needs the data role granted in the next step.',
  ]);
  settings.accessRule = await host.select({
    id: 'accessRule',
    message: 'How should storage admit the account\'s identity?',
    choices: [
      { name: 'trusted-services — the guide\'s exception for trusted Azure services', value: 'trusted-services' as const },
      { name: 'resource-instance — a rule for this account only', value: 'resource-instance' as const },
    ],
    default: 'trusted-services',
  });
}

async function askRole(ctx: StepContext): Promise<void> {
  const { settings, host } = ctx;
  if (settings.given.has('role')) return;
  explain(host, [
    `${DATA_ROLES.reader.roleName} lets the account read training documents: enough to train and to analyze by URL.`,
    `${DATA_ROLES.contributor.roleName} also lets it write: the Studio's labeling and auto-label save their results into the container.`,
  ]);
  settings.role = await host.select({
    id: 'role',
    message: 'Data role for the account\'s identity on the storage account',
    choices: [
      { name: `reader — ${DATA_ROLES.reader.roleName}`, value: 'reader' as const },
      { name: `contributor — ${DATA_ROLES.contributor.roleName}${settings.allowStudio ? ' (the Studio\'s labeling needs it)' : ''}`, value: 'contributor' as const },
    ],
    default: settings.allowStudio ? 'contributor' : 'reader',
  });
}

type DnsPlace = { kind: 'vnet' } | { kind: 'existing'; subscriptionId: string; resourceGroup: string } | { kind: 'skip' };

async function askDnsPlacement(ctx: StepContext): Promise<void> {
  const { settings, host, session } = ctx;
  if (settings.given.has('skipDns') || settings.given.has('dnsZoneResourceGroup') || settings.given.has('dnsZoneSubscription')) return;
  const vnetId = ctx.targets.vnet!.id;
  const zones = ctx.targets.zoneNames;
  const wanted = zones ? [...new Set([...zones.account, ...zones.blob])] : [privateDnsZoneName(settings.cloud, 'account'), privateDnsZoneName(settings.cloud, 'blob')];
  // Existing privatelink.* zones the caller can read, by subscription and group (a hub, usually).
  const places = new Map<string, { subscriptionId: string; subscriptionName: string; resourceGroup: string; zones: string[] }>();
  const subs = await session.subscriptions();
  for await (const s of subs.subscriptions.list()) {
    const dns = await session.privateDns(s.subscriptionId!);
    try {
      for await (const z of dns.privateZones.list()) {
        if (!z.name?.toLowerCase().startsWith('privatelink.')) continue;
        const key = `${s.subscriptionId}/${rgOf(z.id!)}`.toLowerCase();
        const place = places.get(key) ?? { subscriptionId: s.subscriptionId!, subscriptionName: s.displayName ?? s.subscriptionId!, resourceGroup: rgOf(z.id!), zones: [] };
        place.zones.push(z.name);
        places.set(key, place);
      }
    } catch {
      // A subscription whose zones the caller cannot list offers none.
    }
  }
  const inVnetGroup = places.get(`${subscriptionOf(vnetId)}/${rgOf(vnetId)}`.toLowerCase());
  const elsewhere = [...places.values()].filter((p) => p !== inVnetGroup);
  const has = (p: { zones: string[] }) => wanted.filter((w) => p.zones.some((z) => z.toLowerCase() === w));
  explain(host, [
    `Clients in the VNet find the private addresses through the private DNS zones ${wanted.join(', ')}, linked to the VNet.`,
    'Put them where your network keeps them: an existing hub group (zones are reused, never duplicated), the VNet\'s own group,',
    'or nowhere, when Azure Policy (DeployIfNotExists) creates the zone groups for every new endpoint.',
    ...(elsewhere.length ? [] : ['No other private DNS zones were found in the subscriptions you can read.']),
  ]);
  const choices: { name: string; value: DnsPlace; group?: string }[] = [
    ...elsewhere
      .sort((a, b) => has(b).length - has(a).length)
      .map((p) => ({
        name: `${p.resourceGroup} — has ${has(p).length ? has(p).join(', ') : 'none of these zones'}${p.zones.length > has(p).length ? ` (+${p.zones.length - has(p).length} other privatelink zones)` : ''}`,
        value: { kind: 'existing' as const, subscriptionId: p.subscriptionId, resourceGroup: p.resourceGroup },
        group: p.subscriptionName,
      })),
    { name: `${rgOf(vnetId)} — the VNet's resource group${inVnetGroup && has(inVnetGroup).length ? ` (has ${has(inVnetGroup).join(', ')})` : ' (zones created there)'}`, value: { kind: 'vnet' } },
    { name: 'Azure Policy manages them — create no zones or zone groups (--skip-dns)', value: { kind: 'skip' } },
  ];
  // Safe default: reuse a place that already holds both zones, so no second zone splits name resolution.
  const complete = elsewhere.find((p) => has(p).length === wanted.length);
  const place = await host.select({
    id: 'dnsZones',
    message: 'Where do the private DNS zones live?',
    choices,
    default: complete && !(inVnetGroup && has(inVnetGroup).length) ? choices[0].value : choices[elsewhere.length].value,
  });
  if (place.kind === 'skip') settings.skipDns = true;
  if (place.kind === 'existing') {
    if (!sameId(place.subscriptionId, subscriptionOf(vnetId))) settings.dnsZoneSubscription = place.subscriptionId;
    settings.dnsZoneResourceGroup = place.resourceGroup;
  }
}

async function askPublicAccess(ctx: StepContext): Promise<void> {
  const { settings, host } = ctx;
  if (settings.given.has('disablePublicAccess')) return;
  const account = ctx.targets.account!;
  if (account.properties?.publicNetworkAccess === 'Disabled') {
    host.info(`Public network access of '${account.name}': Disabled already — kept (nothing here widens it).`);
    return;
  }
  if (settings.allowStudio) {
    host.info(`Public network access of '${account.name}': selected networks and private endpoints — the only answer with Studio access (Disabled would block the Studio too).`);
    return;
  }
  explain(host, [
    'Selected networks and private endpoints: the VNet (through the private endpoint) and the IPs you allow reach the account.',
    'Disabled: only the private endpoint; every public client, the Studio included, gets AccessDenied. ARM management is unaffected.',
  ]);
  settings.disablePublicAccess = await host.select({
    id: 'publicAccess',
    message: `Public network access of '${account.name}'`,
    choices: [
      { name: 'Selected networks and private endpoints (the guide\'s choice)', value: false },
      { name: 'Disabled — private endpoint only', value: true },
    ],
    default: false,
  });
}

async function askExtraIps(ctx: StepContext): Promise<void> {
  const { settings, host } = ctx;
  if (settings.given.has('allowIp') || settings.given.has('allowClientIp')) return;
  explain(host, [
    'Clients inside the VNet need no firewall entry. Public clients that must still reach the accounts (an office egress, a build agent)',
    'need their public IPv4 address or range on both firewalls.',
  ]);
  const answer = await host.input({
    id: 'allowIps',
    message: 'Other public IPs or CIDRs to allow on both firewalls (comma-separated; empty for none)',
    default: '',
    validate: (text) => {
      for (const ip of splitIps(text)) {
        const r = storageIpRule(ip);
        if ('error' in r) return r.error;
      }
      return true;
    },
  });
  for (const ip of splitIps(answer)) {
    const r = storageIpRule(ip);
    if ('value' in r && !settings.allowIps.includes(r.value)) settings.allowIps.push(r.value);
  }
}

function splitIps(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** The account name as a subdomain: lowercase, letters, digits and hyphens. */
export function subdomainFrom(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'docintel';
}

async function askSubdomain(ctx: StepContext): Promise<void> {
  const { settings, host } = ctx;
  const account = ctx.targets.account!;
  const current = account.properties?.customSubDomainName;
  if (current) {
    host.info(`Custom subdomain of '${account.name}': ${current} — set already, and permanent.`);
    return;
  }
  if (settings.given.has('customSubdomain')) return;
  settings.customSubdomain = await askSubdomainName(ctx, subdomainFrom(account.name));
}

export async function askSubdomainName(ctx: StepContext, suggested: string, refused?: string): Promise<string> {
  const { settings, host } = ctx;
  explain(host, [
    `Private endpoints and Entra ID authentication need a custom subdomain: the endpoint becomes https://<name>.${settings.cloud.cognitiveServicesSuffix}/.`,
    'It must be unique in Azure, and it is permanent: Azure never lets it change or be removed.',
  ]);
  return host.input({
    id: 'customSubdomain',
    message: 'Custom subdomain for the account',
    default: suggested,
    validate: (v) => (!NAME_RULES.subdomain.re.test(v) ? `Not a valid subdomain: ${NAME_RULES.subdomain.rule}.` : v === refused ? 'That is the name you just declined; choose another.' : true),
  });
}
