/**
 * The end of a change run: what to do next — the endpoint, how to test from inside the VNet, what the
 * Studio needs — and the non-interactive command line that repeats this run with the answers given.
 */
import type { Settings } from '../core/settings.js';
import { STUDIO_IP } from '../core/settings.js';
import type { Targets } from '../steps/targets.js';
import type { NetworkToCreate } from '../steps/virtual-network.js';
import { rgOf, sameId, subscriptionOf } from '../core/resource-id.js';
import { DATA_ROLES } from '../steps/grant.js';

const NEEDS: Record<string, { account?: boolean; storage?: boolean; network?: boolean; studio?: boolean; accessRule?: boolean; role?: boolean; endpoint?: boolean }> = {
  setup: { account: true, storage: true, network: true, studio: true, accessRule: true, role: true, endpoint: true },
  identity: { account: true },
  'storage-lockdown': { storage: true, studio: true, accessRule: true },
  grant: { account: true, storage: true, role: true },
  'private-endpoint': { account: true, storage: true, network: true, studio: true, endpoint: true },
  validate: { account: true, storage: true, network: true, studio: true },
};

function quote(v: string): string {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** The targets as flags: names where a name finds them, resource ids where it would not (another group or subscription). */
function targetFlags(command: string, settings: Settings, t: Targets, created: NetworkToCreate | undefined): string[] {
  const need = NEEDS[command] ?? {};
  const accountish = need.account || (command === 'storage-lockdown' && settings.accessRule === 'resource-instance');
  const args = ['--subscription', t.subscriptionId];
  if (accountish && t.account) args.push('--resource-group', rgOf(t.account.id), '--docintel', t.account.name);
  if (need.storage && t.storage) args.push('--storage', sameId(subscriptionOf(t.storage.id), t.subscriptionId) ? t.storage.name : t.storage.id);
  if (need.network && t.vnet && t.subnet) {
    const inAccountGroup = sameId(subscriptionOf(t.vnet.id), t.subscriptionId) && sameId(rgOf(t.vnet.id), t.resourceGroup);
    if (created && !created.vnet.exists) {
      args.push('--create-vnet', created.vnet.name, '--vnet-address-prefix', created.vnet.addressPrefixes[0], '--subnet', created.subnet.name, '--subnet-address-prefix', created.subnet.addressPrefix);
    } else args.push('--vnet', inAccountGroup ? t.vnet.name : t.vnet.id, '--subnet', t.subnet.name);
  }
  return args;
}

function endpointFlags(settings: Settings): string[] {
  const args: string[] = [];
  if (settings.cloud.name !== 'AzureCloud') args.push('--cloud', settings.cloud.name);
  if (settings.emulator) args.push('--emulator');
  else if (settings.armEndpoint) {
    args.push('--arm-endpoint', settings.armEndpoint);
    if (settings.caCert) args.push('--ca-cert', settings.caCert);
  }
  return args;
}

/** The command line that repeats this run without asking anything. */
export function repeatCommand(command: string, settings: Settings, t: Targets, created: NetworkToCreate | undefined, subdomainSetHere: boolean): string {
  const need = NEEDS[command] ?? {};
  const args = ['secure-docintel', command, ...targetFlags(command, settings, t, created)];
  if (need.studio && settings.allowStudio) args.push('--allow-studio');
  if (need.accessRule) args.push('--access-rule', settings.accessRule);
  if (need.role) args.push('--role', settings.role);
  if (need.studio) {
    for (const ip of settings.allowIps) args.push('--allow-ip', ip);
    if (settings.allowClientIp) args.push('--allow-client-ip', ...(settings.clientIp ? ['--client-ip', settings.clientIp] : []));
  }
  if (need.endpoint) {
    if (settings.skipDns) args.push('--skip-dns');
    if (settings.dnsZoneSubscription) args.push('--dns-zone-subscription', settings.dnsZoneSubscription);
    if (settings.dnsZoneResourceGroup) args.push('--dns-zone-resource-group', settings.dnsZoneResourceGroup);
    if (settings.disablePublicAccess) args.push('--disable-public-access');
    if (subdomainSetHere && settings.customSubdomain) args.push('--custom-subdomain', settings.customSubdomain);
    if (settings.keepSubnetPolicies) args.push('--keep-subnet-policies');
  }
  args.push(...endpointFlags(settings), '--non-interactive', '--yes');
  if (settings.output === 'json') args.push('--output', 'json');
  return args.map(quote).join(' ');
}

export interface RunEnd {
  command: string;
  settings: Settings;
  targets: Targets;
  created?: NetworkToCreate;
  /** the account had no subdomain when the run started */
  subdomainSetHere: boolean;
  stoppedBeforeEndpoints: boolean;
}

export function nextSteps(end: RunEnd): string {
  const { command, settings, targets: t } = end;
  const need = NEEDS[command] ?? {};
  const lines = ['', 'What next'];
  if (end.stoppedBeforeEndpoints) {
    const pe = repeatCommand('private-endpoint', { ...settings, customSubdomain: undefined }, t, end.created, false);
    lines.push(
      '  Stopped before the private endpoints: the account has no custom subdomain yet, and endpoints need one.',
      '  When you have chosen the name, finish with:',
      `    ${pe} --custom-subdomain <name>`,
    );
  } else if (need.endpoint && t.account && t.vnet && t.subnet) {
    const subdomain = t.account.properties?.customSubDomainName ?? settings.customSubdomain;
    if (subdomain) lines.push(`  Endpoint: https://${subdomain}.${settings.cloud.cognitiveServicesSuffix}/ — inside ${t.vnet.name} it resolves to the private endpoint's address.`);
    const validate = ['secure-docintel validate', ...targetFlags('validate', settings, t, undefined), ...(settings.allowStudio ? ['--allow-studio'] : []), '--probe'].join(' ');
    lines.push(
      `  Test from inside the VNet: on a VM in ${t.vnet.name}/${t.subnet.name} (the guide suggests a Data Science VM), signed in with az login, run`,
      `    ${validate}`,
      '  It resolves both host names, calls both endpoints and analyzes a training document through the account\'s identity.',
    );
    if (settings.allowStudio) {
      lines.push(
        `  Studio: allowed (${STUDIO_IP} on both firewalls, CORS for its origins on storage). Sign in at https://documentintelligence.ai.azure.com with`,
        `  an identity that has Cognitive Services User on ${t.account.name}; labeling also needs the account's identity to hold ${DATA_ROLES.contributor.roleName}${settings.role === 'contributor' ? ' (granted)' : ' (run again with --role contributor)'}.`,
      );
    } else {
      lines.push('  Studio: not allowed — Document Intelligence Studio now gets AccessDenied from the account. To use it, run again with --allow-studio (and --role contributor for labeling).');
    }
  }
  if (!end.stoppedBeforeEndpoints) {
    lines.push(
      `  Repeat this run in a pipeline (now that it is done, it makes no change${command === 'setup' ? ' and validates' : ''}):`,
      `    ${repeatCommand(command, settings, t, end.created, end.subdomainSetHere)}`,
    );
  }
  return lines.join('\n');
}
