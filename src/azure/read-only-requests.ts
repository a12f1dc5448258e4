/**
 * ARM operations sent as POST that only read: a Resource Graph query, Policy Insights' `queryResults`
 * and `summarize`, and a remediation's `listDeployments`. They count as reads, and do not end the
 * session's read-once cache.
 */
const READ_ONLY_POST = /\/providers\/Microsoft\.(?:ResourceGraph\/resources|PolicyInsights\/(?:policyStates\/[^/]+\/(?:queryResults|summarize)|remediations\/[^/]+\/listDeployments))$/i;

export function isReadOnly(method: string, url: string): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  return method === 'POST' && READ_ONLY_POST.test(new URL(url).pathname);
}
