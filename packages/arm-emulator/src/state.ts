/**
 * Everything the emulator knows: the directory (tenant, principals), subscriptions,
 * ARM resources as a GET returns them (keyed by lowercase id), long-running operations,
 * the request log and injected faults. Plain data, so it can be saved and restored.
 */
import { keyOf, isAtOrAbove, normalizePath } from './arm/ids.js';

export interface Principal {
  objectId: string;
  /** client (application) id; for managed identities too */
  appId?: string;
  displayName: string;
  type: 'ServicePrincipal' | 'User' | 'Group';
  /** client secret for service principals that log in */
  secret?: string;
  /** ms since epoch from which role assignment and the data planes can see it (directory replication) */
  visibleAt?: number;
  /** the resource that owns this system-assigned identity */
  managedBy?: string;
}

export interface Subscription {
  subscriptionId: string;
  displayName: string;
  state: 'Enabled' | 'Disabled' | 'Warned' | 'PastDue' | 'Deleted';
  tenantId: string;
}

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';

export interface Operation {
  id: string;
  /** the resource the operation acts on */
  resourceId: string;
  kind: 'put' | 'patch' | 'delete' | 'action';
  status: OperationStatus;
  startTime: string;
  endTime?: string;
  /** ms since epoch when it completes */
  dueAt: number;
  /** when set, the operation ends Failed with this error */
  failWith?: { code: string; message: string };
  /** provisioningState the resource shows while in progress */
  inProgressState?: string;
  /** `status` an Azure-AsyncOperation poll shows while in progress (default `InProgress`; Cognitive Services: `Updating`) */
  runningStatus?: string;
}

export interface RequestLogEntry {
  time: string;
  method: string;
  path: string;
  apiVersion?: string;
  status: number;
  /** 'arm' for ARM calls, 'poll' for long-running operation status reads, 'identity', 'data', 'control' */
  kind: 'arm' | 'poll' | 'identity' | 'data' | 'control' | 'deployment';
  callerObjectId?: string;
  requestId?: string;
  userAgent?: string;
}

export interface Fault {
  id: string;
  /** HTTP method to match, or '*' */
  method: string;
  /** case-insensitive regular expression matched against the request path */
  path: string;
  /** respond with this status (omitted with `drop`, `lroFail` or delay-only faults) */
  status?: number;
  code?: string;
  message?: string;
  /** how many matching requests it applies to; omitted = unlimited */
  count?: number;
  /** wait this long before answering */
  delayMs?: number;
  /** `Retry-After` seconds on the response */
  retryAfter?: number;
  /** destroy the socket without answering */
  drop?: boolean;
  /** apply the request, then destroy the socket: the write happened but the client never hears so */
  dropAfterApply?: boolean;
  /** the write is accepted but its long-running operation ends Failed (with `code`/`message` when given, e.g. RetryableError) */
  lroFail?: boolean;
  /** account stays in `Accepted` provisioningState for this long after the write */
  acceptedForMs?: number;
  hits: number;
}

export interface SerializedState {
  tenantId: string;
  subscriptions: Subscription[];
  principals: Principal[];
  resources: Record<string, unknown>[];
  operations: Operation[];
  /** emulator-private facts keyed by resource id (e.g. blob contents), not visible through ARM */
  extras: Record<string, unknown>;
  sequence: number;
}

export type Resource = Record<string, any> & { id: string };

export class EmulatorState {
  tenantId: string;
  subscriptions = new Map<string, Subscription>();
  principals = new Map<string, Principal>();
  resources = new Map<string, Resource>();
  operations = new Map<string, Operation>();
  extras: Record<string, unknown> = {};
  requestLog: RequestLogEntry[] = [];
  faults: Fault[] = [];
  /** the scenario's `throttling` setting, as given (not part of the saved state) */
  scenarioThrottling?: unknown;
  private sequence = 0;

  constructor(tenantId: string) {
    this.tenantId = tenantId;
  }

  nextSequence(): number {
    return ++this.sequence;
  }

  get(id: string): Resource | undefined {
    return this.resources.get(keyOf(id));
  }

  put(resource: Resource): Resource {
    resource.id = normalizePath(resource.id);
    this.resources.set(keyOf(resource.id), resource);
    return resource;
  }

  /** Deletes the resource and everything below it. */
  delete(id: string): boolean {
    const k = keyOf(id);
    const existed = this.resources.delete(k);
    for (const key of [...this.resources.keys()]) if (key.startsWith(k + '/')) this.resources.delete(key);
    return existed;
  }

  /** Direct children of `parent` of the given child type (`.../parent/{type}/{name}`). */
  children(parent: string, childType: string): Resource[] {
    const prefix = keyOf(parent) + '/' + childType.toLowerCase() + '/';
    return [...this.resources.values()].filter((r) => {
      const k = keyOf(r.id);
      return k.startsWith(prefix) && !k.slice(prefix.length).includes('/');
    });
  }

  /** Resources of a full type (e.g. `Microsoft.Network/virtualNetworks`) within a scope. */
  ofType(type: string, scope = '/'): Resource[] {
    const t = type.toLowerCase();
    return [...this.resources.values()].filter(
      (r) => String(r.type ?? '').toLowerCase() === t && isAtOrAbove(scope, r.id),
    );
  }

  /** The principal, when directory replication has made it visible. */
  visiblePrincipal(objectId: string, now = Date.now()): Principal | undefined {
    const p = this.principals.get(objectId.toLowerCase());
    if (!p) return undefined;
    return p.visibleAt === undefined || p.visibleAt <= now ? p : undefined;
  }

  addPrincipal(p: Principal): void {
    this.principals.set(p.objectId.toLowerCase(), p);
  }

  serialize(): SerializedState {
    return {
      tenantId: this.tenantId,
      subscriptions: [...this.subscriptions.values()],
      principals: [...this.principals.values()],
      resources: [...this.resources.values()],
      operations: [...this.operations.values()],
      extras: this.extras,
      sequence: this.sequence,
    };
  }

  static deserialize(s: SerializedState): EmulatorState {
    const st = new EmulatorState(s.tenantId);
    for (const sub of s.subscriptions) st.subscriptions.set(sub.subscriptionId.toLowerCase(), sub);
    for (const p of s.principals) st.addPrincipal(p);
    for (const r of s.resources) st.put(r as Resource);
    for (const o of s.operations) st.operations.set(o.id, o);
    st.extras = s.extras ?? {};
    st.sequence = s.sequence ?? 0;
    return st;
  }
}
