/**
 * The storage firewall's rule set (`properties.networkAcls`) validated and echoed as the storage
 * resource provider does: flag-set `bypass`, public IPv4 rules only, subnet rules, resource instance rules.
 */
import { invalidNetworkRuleSet, subnetWithoutServiceEndpoint } from './errors.js';
import type { EmulatorContext } from '../../context.js';
import { parseIpv4Range, rangesOverlap, type Ipv4Range } from '../../arm/ipv4.js';

/** Flag order Azure echoes them in (the enum's bit order). */
const BYPASS_FLAGS = ['Logging', 'Metrics', 'AzureServices'] as const;

/** Address ranges the storage firewall refuses in IP rules: private (RFC 1918), shared (RFC 6598) and other non-public blocks. */
export const NON_PUBLIC_RANGES: Ipv4Range[] = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'].map(
  (r) => parseIpv4Range(r)!,
);

/** Parses `bypass` ("Logging,Metrics" / "None") and returns it spaced and ordered as Azure echoes it. */
export function normalizeBypass(value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) throw invalidNetworkRuleSet('networkAcls.bypass');
  const names = value.split(',').map((s) => s.trim().toLowerCase());
  if (names.some((n) => !n)) throw invalidNetworkRuleSet('networkAcls.bypass');
  if (names.includes('none')) {
    if (names.some((n) => n !== 'none')) throw invalidNetworkRuleSet('networkAcls.bypass');
    return 'None';
  }
  const known = new Set(BYPASS_FLAGS.map((f) => f.toLowerCase()));
  if (names.some((n) => !known.has(n))) throw invalidNetworkRuleSet('networkAcls.bypass');
  return BYPASS_FLAGS.filter((f) => names.includes(f.toLowerCase())).join(', ');
}

export function bypassIncludes(bypass: unknown, flag: (typeof BYPASS_FLAGS)[number]): boolean {
  return String(bypass ?? '')
    .split(',')
    .some((s) => s.trim().toLowerCase() === flag.toLowerCase());
}

function validateIpRule(rule: any): { value: string; action: 'Allow' } {
  if (!rule || typeof rule !== 'object' || typeof rule.value !== 'string') throw invalidNetworkRuleSet('networkAcls.ipRule[*].value');
  if (rule.action !== undefined && String(rule.action).toLowerCase() !== 'allow') throw invalidNetworkRuleSet('networkAcls.ipRule[*].action');
  const value = rule.value.trim();
  const range = parseIpv4Range(value);
  // "/31" and "/32" ranges must be written as single addresses.
  if (!range || (value.includes('/') && range.prefix > 30)) throw invalidNetworkRuleSet('networkAcls.ipRule[*].value');
  if (NON_PUBLIC_RANGES.some((r) => rangesOverlap(r, range))) throw invalidNetworkRuleSet('networkAcls.ipRule[*].value');
  return { value, action: 'Allow' };
}

const SUBNET_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A resource id, where resource instance rules allow `*` for subscription, group and name. */
const RESOURCE_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+(\/[^/]+\/[^/]+)*$/i;

function subnetOf(ctx: EmulatorContext, subnetId: string): any | undefined {
  const vnetId = subnetId.replace(/\/subnets\/[^/]+$/i, '');
  const name = subnetId.split('/').pop()!.toLowerCase();
  const own = ctx.state.get(subnetId);
  if (own) return own;
  return (ctx.state.get(vnetId)?.properties?.subnets as any[] | undefined)?.find((s) => String(s.name).toLowerCase() === name);
}

function validateVirtualNetworkRule(ctx: EmulatorContext, rule: any): Record<string, string> {
  if (!rule || typeof rule.id !== 'string' || !SUBNET_ID.test(rule.id)) throw invalidNetworkRuleSet('networkAcls.virtualNetworkRules[*].id');
  if (rule.action !== undefined && String(rule.action).toLowerCase() !== 'allow') throw invalidNetworkRuleSet('networkAcls.virtualNetworkRules[*].action');
  const subnet = subnetOf(ctx, rule.id);
  if (subnet) {
    const endpoints = (subnet.properties?.serviceEndpoints ?? []) as { service?: string }[];
    if (!endpoints.some((e) => /^Microsoft\.Storage(\.Global)?$/i.test(String(e.service)))) {
      throw subnetWithoutServiceEndpoint(rule.id);
    }
  }
  return { id: rule.id, action: 'Allow', state: subnet ? 'Succeeded' : 'NetworkSourceDeleted' };
}

function validateResourceAccessRule(rule: any): { tenantId: string; resourceId: string } {
  if (!rule || typeof rule.tenantId !== 'string' || !GUID.test(rule.tenantId)) throw invalidNetworkRuleSet('networkAcls.resourceAccessRules[*].tenantId');
  if (typeof rule.resourceId !== 'string' || !RESOURCE_ID.test(rule.resourceId)) throw invalidNetworkRuleSet('networkAcls.resourceAccessRules[*].resourceId');
  return { tenantId: rule.tenantId, resourceId: rule.resourceId };
}

/** The rule set as a GET returns it; a write replaces the whole rule set. */
export function validateNetworkAcls(ctx: EmulatorContext, acls: unknown): Record<string, unknown> {
  if (!acls || typeof acls !== 'object' || Array.isArray(acls)) throw invalidNetworkRuleSet('networkAcls');
  const a = acls as Record<string, any>;
  const action = String(a.defaultAction ?? '');
  const defaultAction = ['Allow', 'Deny'].find((d) => d.toLowerCase() === action.toLowerCase());
  if (!defaultAction) throw invalidNetworkRuleSet('networkAcls.defaultAction');
  const list = (v: unknown, path: string): any[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw invalidNetworkRuleSet(path);
    return v;
  };
  const out: Record<string, unknown> = {
    bypass: a.bypass === undefined || a.bypass === null ? 'AzureServices' : normalizeBypass(a.bypass),
    virtualNetworkRules: list(a.virtualNetworkRules, 'networkAcls.virtualNetworkRules').map((r) => validateVirtualNetworkRule(ctx, r)),
    ipRules: list(a.ipRules, 'networkAcls.ipRule').map(validateIpRule),
    defaultAction,
  };
  const ipv6 = list(a.ipv6Rules, 'networkAcls.ipv6Rules');
  if (ipv6.length) out.ipv6Rules = ipv6.map((r) => ({ value: String(r?.value ?? ''), action: 'Allow' }));
  const access = list(a.resourceAccessRules, 'networkAcls.resourceAccessRules').map(validateResourceAccessRule);
  if (access.length) out.resourceAccessRules = access;
  return out;
}

export const DEFAULT_NETWORK_ACLS = { bypass: 'AzureServices', virtualNetworkRules: [], ipRules: [], defaultAction: 'Allow' };
