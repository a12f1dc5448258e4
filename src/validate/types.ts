/** The validate result as DESIGN.md fixes it: checks, reachability of the guide's connections, exit 0/1. */

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface Check {
  /** stable id, e.g. `storage.rbac` */
  id: string;
  status: CheckStatus;
  resourceId?: string;
  message: string;
  /** a `secure-docintel …` command (or a portal step) that makes the check pass */
  fix?: string;
}

/** The parts of the guide's picture a connection passes through (graph node ids, safe in Mermaid and DOT). */
export type RouteNode = 'vnetClient' | 'publicClient' | 'studio' | 'account' | 'identity' | 'storage' | 'accountEndpoint';

/** One leg of a connection: what allows or blocks it, in a few words (an edge label of `validate --graph`). */
export interface Hop {
  from: RouteNode;
  to: RouteNode;
  ok: boolean;
  label: string;
}

/** One of the guide's four connections, judged from the configuration. */
export interface Reachability {
  /** stable id: vnet-client-to-account, public-client-to-account, studio-to-account, studio-to-storage, identity-to-storage */
  id: string;
  from: string;
  to: string;
  /** true exactly when every hop of `path` is */
  ok: boolean;
  reason: string;
  /** the legs from `from` to `to`: one, or two through the account's private endpoint */
  path: Hop[];
}

export interface ValidateResult {
  ok: boolean;
  checks: Check[];
  reachability: Pick<Reachability, 'from' | 'to' | 'ok' | 'reason'>[];
  /** with --graph: the connections as a picture (graph.ts) */
  graph?: import('./graph.js').GraphDocument;
}

export const pass = (id: string, resourceId: string | undefined, message: string): Check => ({ id, status: 'pass', resourceId, message });
export const fail = (id: string, resourceId: string | undefined, message: string, fix: string): Check => ({ id, status: 'fail', resourceId, message, fix });
export const warn = (id: string, resourceId: string | undefined, message: string, fix?: string): Check => ({ id, status: 'warn', resourceId, message, ...(fix ? { fix } : {}) });
export const skip = (id: string, resourceId: string | undefined, message: string): Check => ({ id, status: 'skip', resourceId, message });
