/** What Microsoft.CognitiveServices accepts in an account's body: kind, sku, subdomain, network rules. */
import { customSubDomainRequired, invalidSubdomain, ipRuleMalformed, ipRuleNotPublic, kindInvalid, networkAclsNotObject, notAnArray, skuInvalid, valueNotAllowed, virtualNetworkRuleInvalid } from './errors.js';
import { parseIpv4Range, rangesOverlap } from '../../arm/ipv4.js';
import { NON_PUBLIC_RANGES } from '../storage/network-acls.js';

/** Kinds the emulator accepts (the ones Azure offers today plus the classic single-service kinds). */
export const KINDS = [
  'FormRecognizer', 'CognitiveServices', 'AIServices', 'OpenAI', 'TextAnalytics', 'ComputerVision', 'Face',
  'SpeechServices', 'TextTranslation', 'ContentSafety', 'CustomVision.Training', 'CustomVision.Prediction',
  'Language', 'AnomalyDetector', 'ContentModerator', 'Personalizer', 'ImmersiveReader', 'LUIS', 'LUIS.Authoring', 'QnAMaker.v2',
  'Emotion', 'Bing.Search.v7',
];

const SKUS_BY_KIND: Record<string, string[]> = {
  formrecognizer: ['F0', 'S0'],
  cognitiveservices: ['S0'],
  aiservices: ['S0'],
  openai: ['S0'],
};
const COMMON_SKUS = ['F0', 'F1', 'S', 'S0', 'S1', 'S2', 'S3', 'S4', 'E0', 'P0', 'P1', 'P2', 'DC0'];

export function validateKind(kind: unknown): string {
  if (typeof kind !== 'string' || !kind) {
    throw kindInvalid('');
  }
  const known = KINDS.find((k) => k.toLowerCase() === kind.toLowerCase());
  if (!known) throw kindInvalid(kind);
  return known;
}

export function validateSku(kind: string, sku: unknown): { name: string } {
  const name = (sku as { name?: unknown } | undefined)?.name;
  const allowed = SKUS_BY_KIND[kind.toLowerCase()] ?? COMMON_SKUS;
  if (typeof name !== 'string' || !allowed.some((s) => s.toLowerCase() === name.toLowerCase())) {
    throw skuInvalid(String(name ?? ''));
  }
  return { name: allowed.find((s) => s.toLowerCase() === name.toLowerCase())! };
}

/** DNS label rules: 2–64 letters, digits and hyphens, starting and ending with a letter or digit. */
export function validateSubdomain(subdomain: unknown): string {
  if (typeof subdomain !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}[a-zA-Z0-9]$/.test(subdomain)) {
    throw invalidSubdomain(String(subdomain ?? ''));
  }
  return subdomain;
}

export function validatePublicNetworkAccess(value: unknown): void {
  if (value === undefined || value === null) return;
  if (value !== 'Enabled' && value !== 'Disabled') {
    throw valueNotAllowed(value, 'publicNetworkAccess', ['Enabled', 'Disabled']);
  }
}

export interface NetworkAcls {
  defaultAction: 'Allow' | 'Deny';
  bypass?: string;
  ipRules?: { value: string }[];
  virtualNetworkRules?: { id: string; ignoreMissingVnetServiceEndpoint?: boolean; state?: string }[];
}

/** Checks `networkAcls` as the resource provider does; `hasSubdomain` because rules need the account's own host. */
export function validateNetworkAcls(acls: unknown, hasSubdomain: boolean): NetworkAcls | undefined {
  if (acls === undefined || acls === null) return undefined;
  if (typeof acls !== 'object' || Array.isArray(acls)) {
    throw networkAclsNotObject();
  }
  const a = acls as Record<string, any>;
  if (a.defaultAction !== 'Allow' && a.defaultAction !== 'Deny') {
    throw valueNotAllowed(a.defaultAction ?? '', 'networkAcls.defaultAction', ['Allow', 'Deny']);
  }
  if (a.bypass !== undefined && a.bypass !== 'AzureServices' && a.bypass !== 'None') {
    throw valueNotAllowed(a.bypass, 'networkAcls.bypass', ['AzureServices', 'None']);
  }
  const ipRules = (a.ipRules ?? []) as { value?: unknown }[];
  if (!Array.isArray(ipRules)) throw notAnArray('networkAcls.ipRules');
  for (const r of ipRules) assertIpRule(r?.value);
  const vnetRules = (a.virtualNetworkRules ?? []) as { id?: unknown }[];
  if (!Array.isArray(vnetRules)) throw notAnArray('networkAcls.virtualNetworkRules');
  for (const r of vnetRules) {
    if (typeof r?.id !== 'string' || !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i.test(r.id)) {
      throw virtualNetworkRuleInvalid(String(r?.id ?? ''));
    }
  }
  const restrictive = a.defaultAction === 'Deny' || ipRules.length > 0 || vnetRules.length > 0;
  if (restrictive && !hasSubdomain) throw customSubDomainRequired('virtual network and firewall rules');
  return a as NetworkAcls;
}

/**
 * An IPv4 address or CIDR range of the public internet; Cognitive Services rejects /31 and /32 ranges (give the
 * address itself) and, like storage, private and other non-public ranges (docs: "Configure Azure AI services
 * virtual networks", "IP network rules are only allowed for public internet IP addresses").
 */
function assertIpRule(value: unknown): void {
  const text = String(value ?? '');
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text);
  const octetsOk = m && m.slice(1, 5).every((o) => Number(o) <= 255);
  const prefix = m?.[5] === undefined ? undefined : Number(m[5]);
  if (!m || !octetsOk || (prefix !== undefined && (prefix < 1 || prefix > 30))) {
    throw ipRuleMalformed(text);
  }
  const range = parseIpv4Range(text);
  if (range && NON_PUBLIC_RANGES.some((r) => rangesOverlap(r, range))) {
    throw ipRuleNotPublic(text);
  }
}
