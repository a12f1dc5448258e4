/**
 * A plan applies from its data: every change it shows is made by one of its writes, and nothing else
 * is sent. A plan that shows a change without the write that makes it (or a write making a change it
 * does not show) fails before any request; there is no other way for a step to write.
 */
import { describe, it, expect } from 'vitest';
import type { Change, StepPlan, StepResult } from '../../src/plan/types.js';
import type { StepContext } from '../../src/steps/context.js';
import { applyWrites } from '../../src/steps/send-write.js';
import { applyPhases } from '../../src/commands/apply.js';
import { REDACTED } from '../../src/journal/redact.js';
import { TestHost } from '../support/test-host.js';

const ID = '/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/st';

/** A context whose session fails the test on any use: nothing may be sent. */
function noRequests(): { ctx: StepContext; used: string[] } {
  const used: string[] = [];
  const session = new Proxy({}, { get: (_t, p) => { used.push(String(p)); throw new Error(`the session was used (${String(p)})`); } });
  return { ctx: { session, env: {}, host: new TestHost() } as unknown as StepContext, used };
}

const change = (property: string): Change => ({ action: 'update', resourceId: ID, property, before: 'Allow', after: 'Deny' });

describe('a plan is written from its own data', () => {
  it('a change shown without a write is refused before any request, and the step fails', async () => {
    const { ctx, used } = noRequests();
    const shown = change('networkAcls.defaultAction');
    const plan: StepPlan = { id: 'undo-storage', title: 'Restore the storage firewall', changes: [shown] };
    const results = new Map<string, StepResult>([[plan.id, { id: plan.id, title: plan.title, changes: plan.changes, status: 'planned' }]]);
    const failure = await applyPhases(new TestHost(), ctx, [[plan]], [plan], results);
    expect(failure?.message).toBe('undo-storage: the change of networkAcls.defaultAction on ' + ID + ' is not both shown and written');
    expect(results.get(plan.id)!.status).toBe('failed');
    expect(used).toEqual([]);
  });

  it('a write making a change the plan does not show is refused before any request', async () => {
    const { ctx, used } = noRequests();
    const hidden = change('publicNetworkAccess');
    const plan: StepPlan = { id: 'undo-storage', title: 'Restore', changes: [], writes: [{ operation: 'delete', resourceId: ID, changes: [hidden] }] };
    await expect(applyWrites(ctx, plan)).rejects.toThrow(/the change of publicNetworkAccess .* is not both shown and written/);
    expect(used).toEqual([]);
  });

  it('a restore whose recorded body holds the redaction marker is refused before any request, naming the resource', async () => {
    const { ctx, used } = noRequests();
    const shown = change('properties.parameters');
    const plan: StepPlan = {
      id: 'undo-policy-assignment', title: 'Restore', changes: [shown],
      writes: [{ operation: 'restore-recorded', method: 'PUT', resourceId: ID, body: { properties: { parameters: { token: { value: REDACTED } } } }, doing: `restoring ${ID}`, changes: [shown] }],
    };
    await expect(applyWrites(ctx, plan)).rejects.toMatchObject({ code: 'RecordedSecret', message: expect.stringContaining(`Not restoring ${ID}`) });
    expect(used).toEqual([]);
  });

  it('a step cannot carry a closure that writes beside its data', () => {
    // @ts-expect-error StepPlan has no `apply`: a step writes only through its `writes`
    const plan: StepPlan = { id: 'x', title: 'x', changes: [], apply: async () => undefined };
    expect(plan.writes).toBeUndefined();
  });
});
