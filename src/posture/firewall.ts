/** What a firewall should admit: one list of the public IPs this run allows, and the flags of storage's `bypass`. */
import { STUDIO_IP } from '../core/settings.js';

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
