/** The plan is plain data: dry-run, text and JSON output all render the same changes. */
import type { Requirement } from '../posture/permissions.js';

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
  /** writes the changes and reads back; absent when there is nothing to do */
  apply?: () => Promise<StepOutcome | void>;
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
