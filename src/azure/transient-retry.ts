/**
 * The SDK already retries 429 (honouring Retry-After), 5xx and dropped connections. ARM also answers
 * 409 AnotherOperationInProgress while a previous write on the same resource is still running:
 * that is transient too, so it is retried here with bounded back-off.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

const TRANSIENT_CONFLICTS = ['AnotherOperationInProgress', 'OperationNotAllowedOnResourceInTransitioningState', 'RetryableError'];
const MAX_ATTEMPTS = 6;

export function transientConflictRetryPolicy(baseDelayMs = 800): PipelinePolicy {
  return {
    name: 'secureDocintelTransientConflictRetry',
    async sendRequest(request, next) {
      for (let attempt = 1; ; attempt++) {
        const response = await next(request);
        if (response.status !== 409 || attempt >= MAX_ATTEMPTS) return response;
        const code = /"code"\s*:\s*"([^"]+)"/.exec(response.bodyAsText ?? '')?.[1];
        if (!code || !TRANSIENT_CONFLICTS.includes(code)) return response;
        const retryAfter = Number(response.headers.get('retry-after'));
        const delay = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.min(baseDelayMs * 2 ** (attempt - 1), 10_000);
        await new Promise((r) => setTimeout(r, delay));
      }
    },
  };
}
