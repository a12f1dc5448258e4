/** The plan is plain data: dry-run, text and JSON output all render the same changes. */
import type { Requirement } from '../posture/permissions.js';
import type { PrivateLinkService } from '../core/cloud.js';
import type { ConnectionRef } from '../posture/endpoints.js';

export type ChangeAction = 'create' | 'update' | 'delete' | 'no-op';

export interface Change {
  action: ChangeAction;
  resourceId: string;
  property: string;
  before: unknown;
  after: unknown;
  /**
   * why this needs its own confirmation, if it does: permanent, lock-out, shared (it changes a
   * resource others use too, beyond the two accounts), or approval (a connection left for the
   * target's owner to approve), or widen (undo opens a firewall back to what it was)
   */
  confirm?: { kind: 'permanent' | 'lockout' | 'shared' | 'approval' | 'widen'; message: string };
}

export type StepStatus = 'applied' | 'unchanged' | 'planned' | 'failed';

export interface StepResult {
  id: string;
  title: string;
  changes: Change[];
  status: StepStatus;
  error?: { code?: string; message: string; fix?: string };
}

/** A resource group or subscription the user named (by a flag) that a write goes into: it must exist. */
export interface NamedPlace {
  kind: 'subscription' | 'resourceGroup';
  /** `/subscriptions/{id}` or `/subscriptions/{id}/resourceGroups/{name}` */
  id: string;
  /** the flag that named it, for the fix line */
  flag: string;
}

/**
 * One ARM request and the changes it makes: apply sends exactly this, so what the plan shows is by
 * construction what is written (and undo or export can read the same data).
 */
/** When a write is sent. */
export interface WriteOrder {
  /** names the write for others' `after` */
  key?: string;
  /** the keys of earlier writes of the step it waits for, each having succeeded; absent: the write before it */
  after?: string[];
  /**
   * sent only if this private endpoint's connection is Approved by then (make before break: the account's
   * network restriction); otherwise left out, and the user is told why
   */
  onlyIfApproved?: string;
}

export type Write = WriteOrder & (
  /** PATCH an account (`identity` and/or `properties`), then wait until it accepts the next write */
  | { operation: 'patch-account'; resourceId: string; body: { identity?: Record<string, unknown>; properties?: Record<string, unknown> }; changes: Change[] }
  /** PATCH a storage account's `networkRuleSet` (sent whole: Azure replaces it) */
  | { operation: 'patch-storage-network'; resourceId: string; body: { networkRuleSet: Record<string, unknown> }; changes: Change[] }
  /** PUT the blob service's properties (`{storage}/blobServices/default`) */
  | { operation: 'put-blob-service'; resourceId: string; body: { cors: { corsRules: unknown[] } }; changes: Change[] }
  /**
   * PUT a role assignment at `resourceId` (its scope), named from scope, account and role (as an exported
   * template's guid() names it); a principal
   * not known when planning is the identity of `principalOf` (an account whose identity this run turns on)
   */
  | { operation: 'put-role-assignment'; resourceId: string; body: { roleDefinitionId: string; principalId?: string; principalType: 'ServicePrincipal' }; principalOf?: string; /** the account whose identity it is: with scope and role, its name */ account: string; changes: Change[] }
  /** PUT a subnet (the whole subnet: what is not sent is removed) */
  | { operation: 'put-subnet'; resourceId: string; body: Record<string, unknown>; changes: Change[] }
  /** PUT a virtual network with its subnets */
  | { operation: 'put-virtual-network'; resourceId: string; body: Record<string, unknown>; changes: Change[] }
  /**
   * PUT a private endpoint to `targetId` (sent again when a transient code ended its operation); one to an
   * account first waits until `waitForAccount` accepts new endpoints
   */
  | { operation: 'put-private-endpoint'; resourceId: string; body: Record<string, unknown>; targetId: string; waitForAccount?: string; changes: Change[] }
  /** PUT the Approved state on a Pending connection (`resourceId`) of an account or storage account */
  | { operation: 'approve-connection'; resourceId: string; service: PrivateLinkService; privateEndpointId: string; body: { privateLinkServiceConnectionState: { status: 'Approved'; description: string } }; changes: Change[] }
  /** PUT a private DNS zone */
  | { operation: 'put-dns-zone'; resourceId: string; body: { location: 'global'; tags?: Record<string, string> }; changes: Change[] }
  /** PUT a private DNS zone's virtual network link */
  | { operation: 'put-dns-link'; resourceId: string; body: Record<string, unknown>; changes: Change[] }
  /** PUT a private endpoint's DNS zone group (one config per zone; Azure writes the A records) */
  | { operation: 'put-zone-group'; resourceId: string; body: { privateDnsZoneConfigs: { name?: string; privateDnsZoneId?: string }[] }; changes: Change[] }
  /** DELETE a resource by its id (waiting for its operation); one already gone is done */
  | { operation: 'delete'; resourceId: string; changes: Change[] }
  /**
   * PUT or PATCH values a journal recorded back (never sent when they hold the journal's redaction marker);
   * an account is then waited for until it accepts the next write, and first when `waitForAccount` names it
   */
  | { operation: 'restore-recorded'; method: 'PUT' | 'PATCH'; resourceId: string; body: Record<string, unknown>; /** what the error says was being done */ doing: string; waitForAccount?: string; changes: Change[] }
  /** PUT a subnet back as it is when sent (read then: a PUT replaces it) with `privateEndpointNetworkPolicies` set as recorded */
  | { operation: 'restore-subnet-policy'; resourceId: string; body: { privateEndpointNetworkPolicies: string }; changes: Change[] }
  /** PUT a policy set definition (at the subscription or management group of its id) */
  | { operation: 'put-policy-set-definition'; resourceId: string; body: Record<string, unknown>; changes: Change[] }
  /** PUT a policy assignment (at the scope of its id) */
  | { operation: 'put-policy-assignment'; resourceId: string; body: Record<string, unknown>; changes: Change[] }
  /**
   * PUT the role assignment `resourceId` (its name as planned) for a policy assignment's identity: the one in
   * `body`, or, when not known when planning, the identity of `principalOf` (a policy assignment this run makes)
   */
  | { operation: 'put-policy-role-assignment'; resourceId: string; body: { roleDefinitionId: string; principalId?: string; principalType: 'ServicePrincipal' }; principalOf: string; /** a subscription whose client reaches the scope */ subscriptionId: string; changes: Change[] }
  /** PUT a remediation task, then follow it to its end (or the wait's limit); failed deployments fail the write */
  | { operation: 'start-remediation'; resourceId: string; body: { policyAssignmentId: string; policyDefinitionReferenceId: string; resourceDiscoveryMode: 'ReEvaluateCompliance' | 'ExistingNonCompliant'; filters?: { resourceIds: string[] } }; /** the initiative member it remediates, for what the user is told */ member: { referenceId: string; displayName: string }; changes: Change[] }
  /** DELETE a remediation task; Azure deletes only one that has ended, so a running one is cancelled and waited for first */
  | { operation: 'delete-remediation'; resourceId: string; changes: Change[] }
);

/** A private endpoint connection a step's writes make or approve: who must approve it if it stays Pending. */
export interface ConnectionWatch {
  privateEndpointId: string;
  service: PrivateLinkService;
  targetId: string;
  targetName: string;
  /** its state as read before the run (undefined: not made yet) */
  status?: string;
  /** the target's connections as read */
  connections: ConnectionRef[];
}

/** What applying a step tells the user besides its changes (e.g. who must approve a connection, and how). */
export interface StepOutcome {
  notes: string[];
}

export interface StepPlan {
  id: string;
  title: string;
  changes: Change[];
  /** the permissions the writes need (checked before the first write of the command) */
  requires?: Requirement[];
  /** places named by flags that the writes go into */
  places?: NamedPlace[];
  /** the writes that make the changes, in the order they are sent (absent or empty: nothing to write) */
  writes?: Write[];
  /** the connections its writes make or approve (their state decides `onlyIfApproved` and who is told to approve) */
  connections?: ConnectionWatch[];
}

export const noOp = (resourceId: string, property: string, value: unknown): Change => ({
  action: 'no-op',
  resourceId,
  property,
  before: value,
  after: value,
});

export function hasWrites(plan: StepPlan): boolean {
  return plan.changes.some((c) => c.action !== 'no-op');
}

/** Effective permissions cannot be read at a management group (for `policy` and its undo): Azure decides at the first write. */
export function withoutManagementGroupChecks(p: StepPlan): StepPlan {
  return p.requires ? { ...p, requires: p.requires.filter((r) => !r.scope.toLowerCase().startsWith('/providers/microsoft.management/')) } : p;
}
