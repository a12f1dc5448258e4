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

/** One of the guide's four connections, judged from the configuration. */
export interface Reachability {
  /** stable id: vnet-client-to-account, public-client-to-account, studio-to-account, studio-to-storage, identity-to-storage */
  id: string;
  from: string;
  to: string;
  ok: boolean;
  reason: string;
}

export interface ValidateResult {
  ok: boolean;
  checks: Check[];
  reachability: Omit<Reachability, 'id'>[];
}

export const pass = (id: string, resourceId: string | undefined, message: string): Check => ({ id, status: 'pass', resourceId, message });
export const fail = (id: string, resourceId: string | undefined, message: string, fix: string): Check => ({ id, status: 'fail', resourceId, message, fix });
export const warn = (id: string, resourceId: string | undefined, message: string, fix?: string): Check => ({ id, status: 'warn', resourceId, message, ...(fix ? { fix } : {}) });
export const skip = (id: string, resourceId: string | undefined, message: string): Check => ({ id, status: 'skip', resourceId, message });
