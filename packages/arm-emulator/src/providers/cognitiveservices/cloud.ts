/** Which Azure cloud an account's region belongs to, and the host names that follow from it. */

export type Cloud = 'public' | 'usgov' | 'china';

export function cloudOf(location: string | undefined): Cloud {
  const l = String(location ?? '').toLowerCase().replace(/\s+/g, '');
  if (l.startsWith('usgov') || l.startsWith('usdod')) return 'usgov';
  if (l.startsWith('china')) return 'china';
  return 'public';
}

const SUFFIX: Record<Cloud, string> = {
  public: 'cognitiveservices.azure.com',
  usgov: 'cognitiveservices.azure.us',
  china: 'cognitiveservices.azure.cn',
};

const REGIONAL: Record<Cloud, string> = {
  public: 'api.cognitive.microsoft.com',
  usgov: 'api.cognitive.microsoft.us',
  china: 'api.cognitive.azure.cn',
};

export const CUSTOM_DOMAIN_SUFFIXES = Object.values(SUFFIX);
export const REGIONAL_SUFFIXES = Object.values(REGIONAL);

export function customDomainHost(subdomain: string, location: string | undefined): string {
  return `${subdomain.toLowerCase()}.${SUFFIX[cloudOf(location)]}`;
}

export function regionalHost(location: string | undefined): string {
  return `${normalizeLocation(location)}.${REGIONAL[cloudOf(location)]}`;
}

/**
 * The public suffixes an account's private endpoint serves, by kind: every kind its
 * `{sub}.cognitiveservices.azure.com`; an Azure AI services (Foundry) account, kind `AIServices`, also
 * `{sub}.openai.azure.com` and `{sub}.services.ai.azure.com` (public cloud; BEHAVIOR.md names the evidence).
 */
export function privateLinkSuffixes(kind: string | undefined, location: string | undefined): string[] {
  const cloud = cloudOf(location);
  if (String(kind ?? '').toLowerCase() === 'aiservices' && cloud === 'public') return [SUFFIX.public, 'openai.azure.com', 'services.ai.azure.com'];
  return [SUFFIX[cloud]];
}

/** `https://{sub}.cognitiveservices.azure.com/` once a subdomain is set, the regional endpoint before. */
export function accountEndpoint(location: string | undefined, subdomain: string | undefined): string {
  return subdomain ? `https://${customDomainHost(subdomain, location)}/` : `https://${regionalHost(location)}/`;
}

/** ARM echoes `West US` as given but the endpoint and comparisons use `westus`. */
export function normalizeLocation(location: string | undefined): string {
  return String(location ?? '').toLowerCase().replace(/\s+/g, '');
}
