/** What Document Intelligence Studio needs of blob storage's CORS rules (guide: "Studio access"). */
import type { CorsRule } from '@azure/arm-storage';

export const STUDIO_ORIGINS = ['https://documentintelligence.ai.azure.com', 'https://formrecognizer.appliedai.azure.com'];
export const STUDIO_CORS_RULE: CorsRule = {
  allowedOrigins: STUDIO_ORIGINS,
  allowedMethods: ['DELETE', 'GET', 'HEAD', 'MERGE', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
  allowedHeaders: ['*'],
  exposedHeaders: ['*'],
  maxAgeInSeconds: 120,
};

/**
 * Whether the CORS rules let the Studio's origins make the requests it makes: every origin (or `*`)
 * with every method it uses, any request header, and every response header exposed.
 */
export function corsAdmitsStudio(rules: CorsRule[]): boolean {
  const admits = (origin: string) =>
    rules.some(
      (r) =>
        r.allowedOrigins.some((o) => o === '*' || o.toLowerCase() === origin) &&
        STUDIO_CORS_RULE.allowedMethods.every((m) => r.allowedMethods.map((x) => x.toUpperCase()).includes(m)) &&
        r.allowedHeaders.includes('*') &&
        r.exposedHeaders.includes('*'),
    );
  return STUDIO_ORIGINS.every(admits);
}
