/**
 * The SDK already retries 429 (honouring Retry-After), 5xx and dropped connections. ARM also answers
 * 409 AnotherOperationInProgress while a previous write on the same resource is still running:
 * that is transient too, so it is retried here with bounded back-off.
 *
 * The SDK clients' deserialization runs inside this policy, so a 409 usually arrives here as a thrown
 * RestError (with `code` parsed from the body) rather than as a response: both forms are handled.
 */
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';

const TRANSIENT_CONFLICTS = ['AnotherOperationInProgress', 'OperationNotAllowedOnResourceInTransitioningState', 'RetryableError', 'StorageAccountOperationInProgress'];
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

/**
 * Codes with which a long-running operation can END (not only be refused) and succeed when sent again:
 * `RetryableError`, and `StorageAccountOperationInProgress` when two endpoints are made at once on one
 * storage account (Azure/bicep-registry-modules#6001). A request refused at once with a 409 is the
 * policy above's to retry; this only re-sends a write whose operation ended so.
 */
export const IN_OPERATION_TRANSIENT = ['RetryableError', 'StorageAccountOperationInProgress'];

/** The code of a failure: the RestError's own, or the one core-lro puts in "The long-running operation has failed. CODE. message". */
export function failureCode(e: unknown): string | undefined {
  const r = e as { code?: string; details?: { error?: { code?: string } }; message?: string };
  return r?.details?.error?.code ?? r?.code ?? operationFailureCode(e);
}

/** The code an operation ended with, when the failure is an ended operation (not a refused request). */
export function operationFailureCode(e: unknown): string | undefined {
  return /long-running operation has failed\. ([A-Za-z]+)\./.exec((e as { message?: string })?.message ?? '')?.[1];
}

/** Sends a whole write (request and its operation) again while its operation ends with a transient code, at most `attempts` times. */
export async function retryTransientOperation<T>(send: () => Promise<T>, baseDelayMs = 800, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (e) {
      const code = operationFailureCode(e);
      if (!code || !IN_OPERATION_TRANSIENT.includes(code) || attempt >= attempts) throw e;
      await new Promise((r) => setTimeout(r, Math.min(baseDelayMs * 2 ** (attempt - 1), 10_000)));
    }
  }
}
