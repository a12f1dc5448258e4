/** What a firewall should admit: one list of the public IPs this run allows, and the flags of storage's `bypass`. */
import { STUDIO_IP } from '../core/settings.js';
import { ruleAdmits } from '../core/ip.js';

export interface AllowInputs {
  allowIps: string[];
  allowStudio: boolean;
}

/** The IPs both firewalls (account and storage) must allow: --allow-ip, the client's IP, the Studio's. */
export function allowedIps(settings: AllowInputs, clientIp: string | undefined): string[] {
  const ips = [...settings.allowIps];
  if (clientIp) ips.push(clientIp);
  if (settings.allowStudio) ips.push(STUDIO_IP);
  return [...new Set(ips)];
}

/** `bypass` is a comma-separated flag set; add AzureServices, keep Logging/Metrics, drop None. */
export function bypassWithAzureServices(bypass: string | undefined): string {
  const flags = (bypass ?? '').split(',').map((f) => f.trim()).filter((f) => f && f !== 'None');
  if (!flags.includes('AzureServices')) flags.push('AzureServices');
  const order = ['Logging', 'Metrics', 'AzureServices'];
  return flags.sort((a, b) => order.indexOf(a) - order.indexOf(b)).join(', ');
}

export function sameFlags(a: string | undefined, b: string): boolean {
  const norm = (s: string | undefined) => (s ?? '').split(',').map((f) => f.trim()).filter(Boolean).sort().join(',');
  return norm(a) === norm(b);
}

/** Whether one of a firewall's IP rules (addresses or CIDR ranges) admits this address: a range that covers it is as good as the address itself. */
export function rulesAdmit(rules: readonly (string | undefined)[], ip: string | undefined): boolean {
  return !!ip && rules.some((r) => !!r && ruleAdmits(r, ip));
}

interface AccountFirewall {
  publicNetworkAccess?: string;
  networkAcls?: { defaultAction?: string; ipRules?: { value?: string }[] };
}
interface StorageFirewall {
  publicNetworkAccess?: string;
  networkRuleSet?: { defaultAction?: string; ipRules?: { iPAddressOrRange?: string }[] };
}

/** Whether the account's firewall admits this public address. */
export function accountAdmitsIp(account: AccountFirewall, ip: string | undefined): boolean {
  if (account.publicNetworkAccess === 'Disabled') return false;
  if (account.networkAcls?.defaultAction !== 'Deny') return true;
  return rulesAdmit((account.networkAcls.ipRules ?? []).map((r) => r.value), ip);
}

/** Whether the storage firewall admits this public address. */
export function storageAdmitsIp(storage: StorageFirewall, ip: string | undefined): boolean {
  if (storage.publicNetworkAccess === 'Disabled') return false;
  if (storage.networkRuleSet?.defaultAction !== 'Deny') return true;
  return rulesAdmit((storage.networkRuleSet.ipRules ?? []).map((r) => r.iPAddressOrRange), ip);
}
