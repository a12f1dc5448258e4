/**
 * The `secure-docintel …` command that repairs a failed check, spelled with this run's targets so it
 * can be pasted as is. Each command names only the inputs it needs; a target audit could not find
 * (no linked storage, no private endpoint to take the subnet from) is left as a placeholder to fill in.
 */
import type { Settings } from '../core/settings.js';
import type { AccountPosture, Posture } from '../posture/model.js';
import { resourceGroupId, rgOf, subscriptionOf } from '../core/resource-id.js';
import { COMMAND_NEEDS } from '../posture/commands.js';

export type FixCommand = 'identity' | 'storage-lockdown' | 'grant' | 'private-endpoint' | 'setup';

export function fixCommand(settings: Settings, p: AccountPosture, command: FixCommand, extra: string[] = []): string {
  const needs = COMMAND_NEEDS[command];
  const args = ['secure-docintel', command, '--subscription', subscriptionOf(p.account.id)];
  const needsAccount = needs.includes('account') || extra.includes('--access-rule resource-instance');
  if (needsAccount) args.push('--resource-group', rgOf(p.account.id), '--docintel', p.account.name);
  if (needs.includes('storage')) {
    const s = p.storage;
    args.push('--storage', !s ? '<storage-account>' : subscriptionOf(s.id).toLowerCase() === subscriptionOf(p.account.id).toLowerCase() ? s.name : s.id);
  }
  if (needs.includes('network')) {
    const v = p.vnet;
    args.push('--vnet', !v ? '<vnet>' : v.id.toLowerCase().startsWith(`${resourceGroupId(subscriptionOf(p.account.id), rgOf(p.account.id))}/`.toLowerCase()) ? v.name : v.id);
    args.push('--subnet', p.subnet?.name ?? '<subnet>');
  }
  args.push(...extra);
  if (settings.cloud.name !== 'AzureCloud') args.push('--cloud', settings.cloud.name);
  if (settings.armEndpoint && !settings.emulator) {
    args.push('--arm-endpoint', settings.armEndpoint);
    if (settings.caCert) args.push('--ca-cert', settings.caCert);
  }
  return args.join(' ');
}

/** `--dns-zone-…` flags when a zone lives elsewhere than private-endpoint would put it (the VNet's group). */
export function dnsZoneFlags(p: Pick<Posture, 'account' | 'vnet'>, zoneId: string): string[] {
  const flags: string[] = [];
  if (subscriptionOf(zoneId).toLowerCase() !== subscriptionOf(p.account.id).toLowerCase()) flags.push(`--dns-zone-subscription ${subscriptionOf(zoneId)}`);
  if (rgOf(zoneId).toLowerCase() !== rgOf(p.vnet.id).toLowerCase() || flags.length) flags.push(`--dns-zone-resource-group ${rgOf(zoneId)}`);
  return flags;
}
