/** The plan is plain data: dry-run, text and JSON output all render the same changes. */

export type ChangeAction = 'create' | 'update' | 'delete' | 'no-op';

export interface Change {
  action: ChangeAction;
  resourceId: string;
  property: string;
  before: unknown;
  after: unknown;
  /**
   * why this needs its own confirmation, if it does: permanent, lock-out, or shared (it changes
   * a resource others use too, beyond the two accounts)
   */
  confirm?: { kind: 'permanent' | 'lockout' | 'shared'; message: string };
}

export type StepStatus = 'applied' | 'unchanged' | 'planned' | 'failed';

export interface StepResult {
  id: string;
  title: string;
  changes: Change[];
  status: StepStatus;
  error?: { code?: string; message: string; fix?: string };
}

export interface StepPlan {
  id: string;
  title: string;
  changes: Change[];
  /** writes the changes and reads back; absent when there is nothing to do */
  apply?: () => Promise<void>;
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
