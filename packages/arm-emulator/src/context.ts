import type { EmulatorState, Principal, Resource } from './state.js';
import type { ArmResult, Caller } from './arm/router.js';

export interface EmulatorOptions {
  /** how long a long-running operation stays in progress */
  lroDelayMs: number;
  /** how long a new service principal stays invisible to role assignment */
  replicationDelayMs: number;
  /** items per page in list responses before a nextLink */
  pageSize: number;
}

/** Decides whether a caller may perform an action at a scope (role assignments and definitions). */
export interface Authorizer {
  can(caller: Caller, action: string, scope: string): boolean;
}

/** Hooks a provider runs when a long-running operation on one of its resources completes. */
export type SettleHook = (resource: Resource, ctx: EmulatorContext) => void;

export interface EmulatorContext {
  state: EmulatorState;
  options: EmulatorOptions;
  /** e.g. https://127.0.0.1:8443 */
  baseUrl: string;
  authorizer: Authorizer;
  /** per lowercase resource type */
  settleHooks: Map<string, SettleHook>;
  now(): number;
  newGuid(): string;
  /** checks an `Authorization: Bearer` header against the emulator's signing key (data planes use it); throws ArmError 401 */
  verifyBearer(header: string | undefined): Caller;
  /** creates a service principal for a system-assigned identity, visible after the replication delay */
  createManagedIdentityPrincipal(resourceId: string, displayName: string): Principal;
  /**
   * A request ARM makes itself, on `caller`'s behalf: a deployment writing its resources, a policy
   * remediation's deployment or Modify write. Routed, checked for api-version, containers, the caller's
   * authorization and Azure Policy exactly as an HTTP request, injected status faults included, and
   * answered as a result (errors included). Without `apiVersion` the route's newest version is used.
   * Logged (with that kind) only when `log` says so: a deployment's writes are, a remediation's are not.
   */
  internalRequest(method: string, path: string, body: unknown, caller: Caller, apiVersion?: string, options?: { log?: 'deployment' }): Promise<ArmResult & { apiVersion: string }>;
}
