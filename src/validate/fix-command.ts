/**
 * The `secure-docintel …` command that repairs a failed check, spelled with this run's targets so it
 * can be pasted as is. Each command names only the inputs it needs.
 */
import type { Settings } from '../core/settings.js';
import type { Posture } from './posture.js';
import { resourceGroupId, rgOf, subscriptionOf } from '../core/resource-id.js';
import { COMMAND_NEEDS } from '../posture/commands.js';

export type FixCommand = 'identity' | 'storage-lockdown' | 'grant' | 'private-endpoint' | 'setup';

export function fixCommand(settings: Settings, p: Posture, command: FixCommand, extra: string[] = []): string {
  const needs = COMMAND_NEEDS[command];
  const args = ['secure-docintel', command, '--subscription', subscriptionOf(p.account.id)];
  const needsAccount = needs.includes('account') || extra.includes('--access-rule resource-instance');
  if (needsAccount) args.push('--resource-group', rgOf(p.account.id), '--docintel', p.account.name);
  if (needs.includes('storage')) args.push('--storage', subscriptionOf(p.storage.id).toLowerCase() === subscriptionOf(p.account.id).toLowerCase() ? p.storage.name : p.storage.id);
  if (needs.includes('network')) {
    args.push('--vnet', p.vnet.id.toLowerCase().startsWith(`${resourceGroupId(subscriptionOf(p.account.id), rgOf(p.account.id))}/`.toLowerCase()) ? p.vnet.name : p.vnet.id);
    args.push('--subnet', p.subnet.name);
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
export function dnsZoneFlags(p: Posture, zoneId: string): string[] {
  const flags: string[] = [];
  if (subscriptionOf(zoneId).toLowerCase() !== subscriptionOf(p.account.id).toLowerCase()) flags.push(`--dns-zone-subscription ${subscriptionOf(zoneId)}`);
  if (rgOf(zoneId).toLowerCase() !== rgOf(p.vnet.id).toLowerCase() || flags.length) flags.push(`--dns-zone-resource-group ${rgOf(zoneId)}`);
  return flags;
}
