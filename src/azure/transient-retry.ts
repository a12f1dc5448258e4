/**
 * The SDK already retries 429 (honouring Retry-After), 5xx and dropped connections. ARM also answers
 * 409 AnotherOperationInProgress while a previous write on the same resource is still running:
 * that is transient too, so it is retried here with bounded back-off.
 *
 * The SDK clients' deserialization runs inside this policy, so a 409 usually arrives here as a thrown
 * RestError (with `code` parsed from the body) rather than as a response: both forms are handled.
 */
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';

const TRANSIENT_CONFLICTS = ['AnotherOperationInProgress', 'OperationNotAllowedOnResourceInTransitioningState', 'RetryableError'];
const MAX_ATTEMPTS = 6;

interface ThrownRestError {
  statusCode?: number;
  code?: string;
  response?: PipelineResponse;
}

function transientCode(status: number | undefined, code: string | undefined, body: string | undefined): string | undefined {
  if (status !== 409) return undefined;
  const c = code ?? /"code"\s*:\s*"([^"]+)"/.exec(body ?? '')?.[1];
  return c && TRANSIENT_CONFLICTS.includes(c) ? c : undefined;
}

export function transientConflictRetryPolicy(baseDelayMs = 800): PipelinePolicy {
  return {
    name: 'secureDocintelTransientConflictRetry',
    async sendRequest(request, next) {
      for (let attempt = 1; ; attempt++) {
        let response: PipelineResponse | undefined;
        let thrown: ThrownRestError | undefined;
        try {
          response = await next(request);
        } catch (e) {
          thrown = e as ThrownRestError;
        }
        const status = response?.status ?? thrown?.statusCode;
        const raw = response ?? thrown?.response;
        const transient = transientCode(status, thrown?.code, raw?.bodyAsText ?? undefined);
        if (!transient || attempt >= MAX_ATTEMPTS) {
          if (thrown) throw thrown;
          return response!;
        }
        const retryAfter = Number(raw?.headers.get('retry-after'));
        const delay = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.min(baseDelayMs * 2 ** (attempt - 1), 10_000);
        await new Promise((r) => setTimeout(r, delay));
      }
    },
  };
}
