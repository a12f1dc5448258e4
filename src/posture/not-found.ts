/**
 * Reading through ARM: one reading of "it is not there" (a 404 from ARM, whatever the code in its body),
 * and any other failure explained as what was being done. The explanation (azure/remedies.ts) loads
 * only when a call fails.
 */
export function isNotFound(e: unknown): boolean {
  const r = e as { statusCode?: number; code?: string };
  return r?.statusCode === 404 || r?.code === 'ResourceNotFound' || r?.code === 'ResourceGroupNotFound';
}

/** Runs an SDK call; a failure becomes an explained AzureOperationError naming what was being done. */
export async function arm<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw await explained(e, doing);
  }
}

/** Runs a read; a 404 is `undefined`, any other failure is explained as `doing` failed. */
export async function orUndefined<T>(doing: string, get: () => Promise<T>): Promise<T | undefined> {
  try {
    return await get();
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw await explained(e, doing);
  }
}

async function explained(e: unknown, doing: string): Promise<Error> {
  const { explainAzureError } = await import('../azure/remedies.js');
  return explainAzureError(e, doing);
}
