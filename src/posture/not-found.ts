/** One reading of "it is not there": a 404 from ARM, whatever the code in its body. */
export function isNotFound(e: unknown): boolean {
  const r = e as { statusCode?: number; code?: string };
  return r?.statusCode === 404 || r?.code === 'ResourceNotFound' || r?.code === 'ResourceGroupNotFound';
}

/** Runs a read; a 404 is `undefined`, any other failure is explained as `doing` failed. */
export async function orUndefined<T>(doing: string, get: () => Promise<T>): Promise<T | undefined> {
  try {
    return await get();
  } catch (e) {
    if (isNotFound(e)) return undefined;
    const { explainAzureError } = await import('../azure/remedies.js');
    throw explainAzureError(e, doing);
  }
}
