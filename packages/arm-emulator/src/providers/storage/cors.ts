/** Blob service CORS rules: validated as the storage service does, echoed with all four lists, matched for preflights. */
import { corsRuleInvalid } from './errors.js';

export interface CorsRule {
  allowedOrigins: string[];
  allowedMethods: string[];
  maxAgeInSeconds: number;
  exposedHeaders: string[];
  allowedHeaders: string[];
}

export const CORS_METHODS = ['DELETE', 'GET', 'HEAD', 'MERGE', 'POST', 'OPTIONS', 'PUT', 'PATCH', 'CONNECT', 'TRACE'];
export const MAX_CORS_RULES = 5;

function strings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw corsRuleInvalid();
  return v.map((s) => s.trim()).filter(Boolean);
}

export function validateCorsRules(cors: unknown): { corsRules: CorsRule[] } {
  const rules = (cors as { corsRules?: unknown } | undefined)?.corsRules ?? [];
  if (!Array.isArray(rules)) throw corsRuleInvalid();
  if (rules.length > MAX_CORS_RULES) throw corsRuleInvalid();
  return {
    corsRules: rules.map((r: any) => {
      const allowedOrigins = strings(r?.allowedOrigins);
      const allowedMethods = strings(r?.allowedMethods).map((m) => m.toUpperCase());
      if (!allowedOrigins.length || !allowedMethods.length) throw corsRuleInvalid();
      if (allowedMethods.some((m) => !CORS_METHODS.includes(m))) throw corsRuleInvalid();
      const maxAge = r?.maxAgeInSeconds ?? 0;
      if (!Number.isInteger(maxAge) || maxAge < 0) throw corsRuleInvalid();
      return { allowedOrigins, allowedMethods, maxAgeInSeconds: maxAge, exposedHeaders: strings(r?.exposedHeaders), allowedHeaders: strings(r?.allowedHeaders) };
    }),
  };
}

/** Header names match exactly or by a trailing-`*` prefix (`x-ms-meta-*`); `*` alone matches all. */
function headerAllowed(patterns: string[], header: string): boolean {
  const h = header.toLowerCase();
  return patterns.some((p) => {
    const q = p.toLowerCase();
    return q === '*' || q === h || (q.endsWith('*') && h.startsWith(q.slice(0, -1)));
  });
}

function originAllowed(origins: string[], origin: string): boolean {
  return origins.some((o) => o === '*' || o.toLowerCase() === origin.toLowerCase());
}

/** The first rule that admits this request, as the service evaluates them in order. */
export function matchCorsRule(rules: CorsRule[], origin: string, method: string, requestHeaders: string[] = []): CorsRule | undefined {
  return rules.find(
    (r) => originAllowed(r.allowedOrigins, origin) && r.allowedMethods.includes(method.toUpperCase()) && requestHeaders.every((h) => headerAllowed(r.allowedHeaders, h)),
  );
}
