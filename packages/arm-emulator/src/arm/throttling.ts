/**
 * ARM's request throttling as "Understand how Azure Resource Manager throttles requests" describes
 * it since 2024: a token bucket per subscription, per security principal and per operation type
 * (reads, writes, deletes), in the region serving the request (the emulator is one region). Each
 * request takes a token; the bucket refills at a fixed rate up to its size; an empty bucket answers
 * 429 with Retry-After. Every answered request carries the bucket's remaining tokens in
 * `x-ms-ratelimit-remaining-subscription-{reads|writes|deletes}`.
 */
import { ArmError } from './errors.js';

export type OperationKind = 'reads' | 'writes' | 'deletes';

export interface BucketLimits {
  /** tokens the bucket holds when full */
  bucket: number;
  /** tokens added per second */
  refillPerSecond: number;
}

export type ThrottlingOptions = Partial<Record<OperationKind, BucketLimits>>;

/** Azure's published subscription limits (bucket size, refill per second). */
export const AZURE_SUBSCRIPTION_LIMITS: Record<OperationKind, BucketLimits> = {
  reads: { bucket: 250, refillPerSecond: 25 },
  writes: { bucket: 200, refillPerSecond: 10 },
  deletes: { bucket: 200, refillPerSecond: 10 },
};

export function operationKind(method: string): OperationKind {
  if (method === 'GET' || method === 'HEAD') return 'reads';
  if (method === 'DELETE') return 'deletes';
  return 'writes';
}

export const REMAINING_HEADER: Record<OperationKind, string> = {
  reads: 'x-ms-ratelimit-remaining-subscription-reads',
  writes: 'x-ms-ratelimit-remaining-subscription-writes',
  deletes: 'x-ms-ratelimit-remaining-subscription-deletes',
};

/** Checks a throttling setting from a scenario, a start option or the faults endpoint; throws on nonsense. */
export function parseThrottling(value: unknown): ThrottlingOptions | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (value === true || value === 'azure') return { ...AZURE_SUBSCRIPTION_LIMITS };
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error("throttling is true, 'azure', null, or { reads?, writes?, deletes?: { bucket, refillPerSecond } }");
  const out: ThrottlingOptions = {};
  for (const [kind, limits] of Object.entries(value as Record<string, unknown>)) {
    if (!(kind in AZURE_SUBSCRIPTION_LIMITS)) throw new Error(`throttling has no operation type '${kind}' (reads, writes, deletes)`);
    const l = limits as Partial<BucketLimits>;
    if (!(Number(l?.bucket) >= 1) || !(Number(l?.refillPerSecond) > 0)) throw new Error(`throttling.${kind} needs bucket ≥ 1 and refillPerSecond > 0`);
    out[kind as OperationKind] = { bucket: Number(l.bucket), refillPerSecond: Number(l.refillPerSecond) };
  }
  return out;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RequestThrottle {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private limits: ThrottlingOptions | undefined) {}

  get settings(): ThrottlingOptions | undefined {
    return this.limits;
  }

  /** New limits start with full buckets. */
  configure(limits: ThrottlingOptions | undefined): void {
    this.limits = limits;
    this.buckets.clear();
  }

  /**
   * Takes a token for this request, or throws 429 SubscriptionRequestsThrottled with Retry-After.
   * Returns the headers to add to the response (none when throttling is off or the request is not
   * subscription-scoped: tenant limits are not modelled).
   */
  take(subscriptionId: string | undefined, principal: string, method: string, now: number): Record<string, string> {
    const kind = operationKind(method);
    const limits = this.limits?.[kind];
    if (!limits || !subscriptionId) return {};
    const key = `${subscriptionId.toLowerCase()}|${principal.toLowerCase()}|${kind}`;
    const b = this.buckets.get(key) ?? { tokens: limits.bucket, at: now };
    b.tokens = Math.min(limits.bucket, b.tokens + ((now - b.at) / 1000) * limits.refillPerSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) {
      const seconds = Math.max(1, Math.ceil((1 - b.tokens) / limits.refillPerSecond));
      throw new ArmError(
        429,
        'SubscriptionRequestsThrottled',
        `Number of '${kind === 'reads' ? 'read' : kind === 'writes' ? 'write' : 'delete'}' requests for subscription '${subscriptionId}' actor '${principal}' exceeded. Please try again after '${seconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
        [],
        { 'retry-after': String(seconds), [REMAINING_HEADER[kind]]: '0' },
      );
    }
    b.tokens -= 1;
    return { [REMAINING_HEADER[kind]]: String(Math.floor(b.tokens)) };
  }
}
