/**
 * Keeps the requests of many runs sharing one subscription inside ARM's throttling limits, from the
 * `x-ms-ratelimit-remaining-subscription-{reads|writes|deletes}` header ARM puts on every response:
 * while the bucket is nearly empty, requests of that subscription and kind wait for the tokens its
 * refill (estimated from the header's rise) brings, instead of spending the last ones at once.
 *
 * A 429 is not retried here: the SDK's retry policy already waits its Retry-After and sends again
 * (core-rest-pipeline's throttlingRetryStrategy). The pacer only holds every other request of that
 * subscription and kind until the same moment, so the others do not run into the limit meanwhile.
 * It sits per retry, so the SDK's re-sent request passes through it too.
 */
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';

type Kind = 'reads' | 'writes' | 'deletes';

/** Tokens kept back in each bucket: room for requests already sent when the header was read. */
const RESERVE = 4;
/** With no refill observed yet, how long an empty bucket is given before one request probes it. */
const PROBE_MS = 1000;

interface Bucket {
  /** tokens the last response reported, less the requests sent since */
  tokens?: number;
  at: number;
  /** tokens per second, measured while requests went one at a time */
  refillPerSecond: number;
  /** the last reported count, when its request went alone (for measuring the refill) */
  alone?: { reported: number; at: number };
  /** no request of this bucket before this time (a 429's Retry-After) */
  pausedUntil: number;
  /** the turn of the next request */
  queue: Promise<void>;
}

function kindOf(method: string): Kind {
  if (method === 'GET' || method === 'HEAD') return 'reads';
  if (method === 'DELETE') return 'deletes';
  return 'writes';
}

function retryAfterMs(response: PipelineResponse): number | undefined {
  const ms = Number(response.headers.get('retry-after-ms') ?? response.headers.get('x-ms-retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = response.headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ArmPacer {
  private readonly buckets = new Map<string, Bucket>();
  /** 429s seen, and the time spent holding requests back (for the summary) */
  readonly stats = { throttled: 0, heldMs: 0 };

  private bucket(subscriptionId: string, kind: Kind): Bucket {
    const key = `${subscriptionId.toLowerCase()}|${kind}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = { at: Date.now(), refillPerSecond: 0, pausedUntil: 0, queue: Promise.resolve() };
      this.buckets.set(key, b);
    }
    return b;
  }

  private available(b: Bucket, now: number): number {
    if (b.tokens === undefined) return Infinity;
    return b.tokens + (Math.max(0, now - b.at) / 1000) * b.refillPerSecond;
  }

  /**
   * Waits for this request's turn and takes its token. While the bucket is low, requests go one at a
   * time (the next waits for this one's response, which reports the bucket again); `alone` says so.
   */
  private async admit(b: Bucket): Promise<{ alone: boolean; release: () => void }> {
    let release!: () => void;
    const answered = new Promise<void>((r) => (release = r));
    const turn = b.queue.then(async () => {
      const started = Date.now();
      let alone = false;
      for (;;) {
        const now = Date.now();
        if (now < b.pausedUntil) {
          // Retry-After: then one request finds out how the bucket stands
          await sleep(b.pausedUntil - now);
          alone = true;
          break;
        }
        if (this.available(b, now) >= RESERVE + 1) break;
        alone = true;
        if (b.refillPerSecond === 0) {
          await sleep(PROBE_MS);
          break;
        }
        await sleep(Math.max(1, Math.ceil(((RESERVE + 1 - this.available(b, now)) / b.refillPerSecond) * 1000)));
      }
      this.stats.heldMs += Date.now() - started;
      if (b.tokens !== undefined) {
        b.tokens = this.available(b, Date.now()) - 1;
        b.at = Date.now();
      }
      return alone;
    });
    b.queue = turn.then((alone) => (alone ? answered : undefined)).catch(() => undefined);
    return { alone: await turn, release };
  }

  private observe(b: Bucket, kind: Kind, response: PipelineResponse, alone: boolean): void {
    const now = Date.now();
    if (response.status === 429) {
      this.stats.throttled++;
      const wait = retryAfterMs(response);
      if (wait === undefined) return;
      b.pausedUntil = Math.max(b.pausedUntil, now + wait);
      b.tokens = 0;
      b.at = now + wait;
      b.alone = undefined;
      return;
    }
    const reported = Number(response.headers.get(`x-ms-ratelimit-remaining-subscription-${kind}`));
    if (!Number.isFinite(reported)) return;
    if (alone) {
      // One request since the last lone one: what the bucket gained beyond it is the refill.
      if (b.alone && now > b.alone.at) {
        const rate = (reported - (b.alone.reported - 1)) / ((now - b.alone.at) / 1000);
        if (rate > 0) b.refillPerSecond = rate;
      }
      b.alone = { reported, at: now };
    } else b.alone = undefined;
    b.tokens = reported;
    b.at = now;
  }

  policy(): PipelinePolicy {
    return {
      name: 'secureDocintelArmPacer',
      sendRequest: async (request, next) => {
        const sub = /\/subscriptions\/([^/?]+)/i.exec(new URL(request.url).pathname)?.[1];
        if (!sub) return next(request);
        const kind = kindOf(request.method);
        const b = this.bucket(sub, kind);
        const { alone, release } = await this.admit(b);
        try {
          const response = await next(request);
          this.observe(b, kind, response, alone);
          return response;
        } catch (e) {
          const response = (e as { response?: PipelineResponse }).response;
          if (response) this.observe(b, kind, response, alone);
          throw e;
        } finally {
          release();
        }
      },
    };
  }
}
