/**
 * Reading the estate through Azure Resource Graph: each query runs over the audited scope (subscriptions
 * in batches of at most MAX_SUBSCRIPTIONS per request, or one management group) and is paged with
 * `$skipToken` until Resource Graph has returned every row. Requests grow with pages, not with accounts.
 */
import { ACCOUNT_KINDS } from '../posture/account-kinds.js';
import type { ArmSession } from '../azure/session.js';
import { arm } from '../steps/context.js';

/** Subscriptions per Resource Graph request (its documented limit for a subscription-scoped query). */
export const MAX_SUBSCRIPTIONS = 1000;
/** Rows per page: Resource Graph's maximum `$top`. */
export const MAX_PAGE = 1000;

export type Scope = { subscriptions: string[] } | { managementGroup: string };

export type GraphRow = Record<string, any>;

export function pageSize(env: NodeJS.ProcessEnv): number {
  const n = Number(env.SECURE_DOCINTEL_GRAPH_PAGE_SIZE);
  return Number.isInteger(n) && n >= 1 && n <= MAX_PAGE ? n : MAX_PAGE;
}

export async function queryAll(session: ArmSession, query: string, scope: Scope, top: number): Promise<GraphRow[]> {
  const client = await session.resourceGraph();
  const batches: { subscriptions?: string[]; managementGroups?: string[] }[] =
    'managementGroup' in scope
      ? [{ managementGroups: [scope.managementGroup] }]
      : Array.from({ length: Math.ceil(scope.subscriptions.length / MAX_SUBSCRIPTIONS) }, (_, i) => ({ subscriptions: scope.subscriptions.slice(i * MAX_SUBSCRIPTIONS, (i + 1) * MAX_SUBSCRIPTIONS) }));
  const rows: GraphRow[] = [];
  for (const batch of batches) {
    let skipToken: string | undefined;
    do {
      const page = await arm('querying Azure Resource Graph', () =>
        client.resources({ ...batch, query, options: { resultFormat: 'objectArray', ...(skipToken ? { skipToken } : { top }) } }),
      );
      rows.push(...rowsOf(page.data));
      skipToken = page.skipToken;
    } while (skipToken);
  }
  return rows;
}

/**
 * The spec types `data` as `object`, so the SDK's mapper deserializes it as a dictionary: an objectArray
 * result arrives keyed "0", "1", … (integer keys keep their order).
 */
function rowsOf(data: unknown): GraphRow[] {
  if (Array.isArray(data)) return data as GraphRow[];
  return data && typeof data === 'object' ? (Object.values(data) as GraphRow[]) : [];
}

/** KQL string literal: the values we put in queries are resource names and GUIDs, quoted as Kusto quotes. */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "\\'")}'`;
}


export const QUERIES = {
  accounts: `resources | where type =~ 'microsoft.cognitiveservices/accounts' and kind in~ (${ACCOUNT_KINDS.map(literal).join(', ')}) | project id, name, kind, location, subscriptionId, identity, properties | order by id asc`,
  storage: "resources | where type =~ 'microsoft.storage/storageaccounts' | project id, name, location, subscriptionId, properties | order by id asc",
  privateEndpoints: "resources | where type =~ 'microsoft.network/privateendpoints' | project id, name, properties | order by id asc",
  roleAssignments: "authorizationresources | where type =~ 'microsoft.authorization/roleassignments' and properties.principalType =~ 'ServicePrincipal' | project id, properties | order by id asc",
  roleDefinitions: (guids: string[]) => `authorizationresources | where type =~ 'microsoft.authorization/roledefinitions' and name in~ (${guids.map(literal).join(', ')}) | project id, name, properties | order by id asc`,
};
